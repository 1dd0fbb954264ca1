"""Bot API errors as the dispatcher and the answers tell them apart (`scheduler.sending`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from scheduler.sending import Rejected, RetryLater, SendError, Transient, Unreachable

T = TypeVar("T")


def send_error(exc: TelegramError) -> SendError:
    """A Bot API error as the dispatcher and the answers tell them apart."""
    if isinstance(exc, RetryAfter):
        wait = exc.retry_after
        return RetryLater(wait.total_seconds() if isinstance(wait, timedelta) else float(wait))
    if isinstance(exc, Forbidden):  # the person blocked the bot, or cannot be written to at all
        text = exc.message.lower()
        code = "blocked" if "blocked" in text else "deactivated" if "deactivated" in text else "refused"
        if "can't initiate" in text:
            code = "never_started"
        return Unreachable(exc.message, code=code)
    if isinstance(exc, BadRequest):
        if "chat not found" in exc.message.lower():
            return Unreachable(f"never opened a chat with the bot ({exc.message})", code="never_started")
        return Rejected(exc.message)
    return Transient(exc.message)  # NetworkError (TimedOut, 5xx answers) and anything else


async def api(call: Callable[[], Awaitable[T]]) -> T:
    """Make one Bot API call, its error raised as a `SendError`."""
    try:
        return await call()
    except TelegramError as exc:
        raise send_error(exc) from exc
