"""Answers sent while the person waits: retried within the limits as reminders are, for a bounded time.

A channel turns its errors into the dispatcher's (`scheduler.sending`): a 429 waits the server's
retry_after, a 5xx or a network error waits a short growing pause, and a 400 or 403 is not tried
again (the person blocked the bot, or the message can never be sent). All the waiting of one
answer stays within `Retries.budget`: past it the answer is given up, and the channel tells the
person what happened to their message, if it still can.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from scheduler.ratelimit import RateLimiter
from scheduler.sending import RetryLater, SendError, Transient

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Retries:
    pauses: tuple[float, ...] = (0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8)  # after each 5xx or network error
    budget: float = 30.0  # seconds of waiting, all told, for one answer


class AnswerSender:
    """Sends one API call of an answer, again when the server says it may work later.

    With a `limiter` (the dispatcher's), answers and reminders share the per-chat and overall slots,
    and a 429 on either pauses both. `sleep` is injected so that tests wait no real time.
    """

    def __init__(
        self,
        *,
        limiter: RateLimiter | None = None,
        retries: Retries | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limiter = limiter
        self.retries = retries or Retries()
        self.sleep = sleep

    async def send(self, chat: str, call: Callable[[], Awaitable[T]], *, group: bool = False, once: bool = False) -> T:
        """The result of `call`; raises its last SendError once retrying is pointless or too long
        (at once with `once`)."""
        waited, failures = 0.0, 0
        while True:
            if self.limiter is not None:
                await self.limiter.acquire(chat, group=group)
            try:
                return await call()
            except RetryLater as exc:
                error: SendError = exc
                wait = exc.seconds
            except Transient as exc:
                error = exc
                if failures >= len(self.retries.pauses):
                    raise
                wait = self.retries.pauses[failures]
                failures += 1
            if once or waited + wait > self.retries.budget:
                raise error
            log.info("answer to chat %s not sent (%s); trying again in %gs", chat, error.reason, wait)
            waited += wait
            if isinstance(error, RetryLater) and self.limiter is not None:
                self.limiter.pause(wait)  # the next acquire waits it out, and no reminder is sent meanwhile
            else:
                await self.sleep(wait)
