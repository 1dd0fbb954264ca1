"""getUpdates answers read before python-telegram-bot builds them: an update it cannot build (a `from`
that is a string) would fail the whole batch, and its poller would ask for the same batch forever."""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram import Update
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)


def checked(payload: bytes) -> bytes:
    """The getUpdates answer with each update python-telegram-bot cannot build replaced by its bare
    `update_id` (so the offset moves past it and nothing is handled), logged once; others untouched."""
    try:
        body = json.loads(payload)
    except ValueError:
        return payload  # python-telegram-bot answers this as a network error
    updates = body.get("result") if isinstance(body, dict) else None
    if not isinstance(updates, list):
        return payload
    kept: list[Any] = []
    for update in updates:
        try:
            Update.de_json(update, None)
        except Exception as exc:  # python-telegram-bot raises what its constructors raise
            log.warning("dropped a Telegram update that cannot be read: %s", type(exc).__name__)
            update_id = update.get("update_id") if isinstance(update, dict) else None
            if isinstance(update_id, int) and not isinstance(update_id, bool):
                kept.append({"update_id": update_id})
            continue
        kept.append(update)
    if kept == updates:
        return payload
    return json.dumps({**body, "result": kept}).encode()


class CheckedUpdates(HTTPXRequest):
    """The request python-telegram-bot polls with, its answers `checked`."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        status, payload = await super().do_request(url, method, request_data, *args, **kwargs)
        if status == 200 and url.endswith("/getUpdates"):
            payload = checked(payload)
        return status, payload
