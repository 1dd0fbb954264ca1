"""A thin httpx client of the Zalo Bot API, and its errors as the dispatcher and the answers tell them apart."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

from scheduler.sending import QuotaSpent, Rejected, RetryLater, SendError, Transient, Unreachable

T = TypeVar("T")
RATE_PAUSE = 5.0  # Zalo's 429 says no retry_after: the wait before trying again
# A spent monthly quota is asked again hourly (a refused message costs nothing): the reminders wait in
# the outbox, none lost and none sent twice, and go out within the hour the quota comes back
QUOTA_PAUSE = 3600.0


class ZaloError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(f"{status}: {description}")
        self.status = status
        self.description = description


class ZaloClient:
    """The Bot API methods the bot uses, over one httpx client.

    getUpdates returns one update per call with no offset, and an idle long poll answers HTTP 408,
    which is normal.
    """

    def __init__(self, token: str, api_url: str, *, client: httpx.AsyncClient | None = None) -> None:
        self._base = f"{api_url.rstrip('/')}/bot{token}/"
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(10.0, read=45.0))

    async def call(self, method: str, **params: Any) -> Any:
        response = await self._client.post(self._base + method, json=params)
        try:
            body = response.json()
        except ValueError:
            raise ZaloError(response.status_code, response.text[:200]) from None
        if not isinstance(body, dict):  # not the API's envelope: no call of ours succeeds with it
            raise ZaloError(response.status_code if response.status_code >= 400 else 502, "the answer is no envelope")
        if response.status_code >= 400 or not body.get("ok"):
            code = body.get("error_code")
            status = code if isinstance(code, int) and not isinstance(code, bool) else response.status_code
            raise ZaloError(status, str(body.get("description", ""))[:500])
        return body.get("result")

    async def get_update(self, poll_seconds: int) -> object:
        """The next update as Zalo sent it (the channel reads it: `zalo_updates.read_update`), or None
        when the long poll ended idle (HTTP 408)."""
        try:
            result = await self.call("getUpdates", timeout=poll_seconds)
        except ZaloError as exc:
            if exc.status == 408:
                return None
            raise
        return result

    async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        result = await self.call("sendMessage", chat_id=chat_id, text=text)
        return result if isinstance(result, dict) else {}

    async def send_photo(self, chat_id: str, photo_url: str) -> dict[str, Any]:
        """A picture Zalo fetches from `photo_url` (it takes pictures by URL only)."""
        result = await self.call("sendPhoto", chat_id=chat_id, photo=photo_url)
        return result if isinstance(result, dict) else {}

    async def close(self) -> None:
        await self._client.aclose()


def spent(exc: ZaloError) -> bool:
    """Zalo's 429 "Quota exceeded": the bot's messages for the month are spent, not a pace to slow to."""
    return exc.status == 429 and "quota" in exc.description.lower()


def send_error(exc: httpx.HTTPError | ZaloError) -> SendError:
    """A Zalo error as the dispatcher and the answers tell them apart."""
    if isinstance(exc, httpx.HTTPError):
        return Transient(str(exc))
    if spent(exc):  # the month's messages are spent: reminders wait, asked again each QUOTA_PAUSE
        return QuotaSpent(QUOTA_PAUSE)
    if exc.status == 429:
        return RetryLater(RATE_PAUSE)
    if exc.status in (401, 403) or "not found" in exc.description.lower():
        code = "not_found" if "not found" in exc.description.lower() else "refused"
        return Unreachable(exc.description or str(exc), code=code)
    if exc.status >= 500:
        return Transient(exc.description)
    return Rejected(exc.description)


async def api(call: Callable[[], Awaitable[T]]) -> T:
    """Make one Bot API call, its error raised as a `SendError`."""
    try:
        return await call()
    except (httpx.HTTPError, ZaloError) as exc:
        raise send_error(exc) from exc
