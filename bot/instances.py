"""What lets several `nhacviec run` share one PostgreSQL: one poller a channel, one pace a bot.

Planners and dispatchers run in every instance (the outbox's claims are atomic, storage/claims.py).
Polling does not: each channel that polls (Telegram, Zalo, without a webhook) is polled by the one
instance holding its poller lock (storage/poller_lock.py); the others try for it every
`NHACVIEC_POLLER_CHECK_SECONDS` and take over when its holder dies. And a bot's rate limit is the
bot's: each channel's limiter books its overall slots in the database (storage/pace.py).

While the database does not answer, an instance that polls keeps polling (chats are told their
message could not be recorded) and one that waits keeps waiting: nobody can take the lock from the
holder meanwhile. Once it answers again, an instance that finds another holding the lock stops.
(Were the holder alone cut off from a database the others still reach, they would take over after
its session ended, about 20 s, and both would poll until it reached the database again: Telegram
then ends one of the two polls with a 409, which each logs.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from scheduler.ratelimit import Limits, RateLimiter
from storage import pace
from storage.poller_lock import PollerLock

log = logging.getLogger(__name__)
CHANNELS = ("telegram", "zalo")
# Seconds each step of a stop may wait for the database (unlocking, closing): `nhacviec run` must end
# within 5 s of a SIGTERM, and a database that drops packets answers never.
STOP_WITHIN = 1.0


def limiters(engine: AsyncEngine) -> dict[str, RateLimiter]:
    """One limiter per channel, for its reminders and its answers: they go to the same chats under the
    same limits, and a 429 on either pauses both; one channel's sends never spend another's budget.
    (Zalo documents no rate limits; Telegram's are the careful default.) On PostgreSQL each keeps the
    bot's overall pace with the other instances."""
    return {name: RateLimiter(Limits(), shared=pace.for_engine(engine, name)) for name in CHANNELS}


async def close(limiters: dict[str, RateLimiter], *, within: float = STOP_WITHIN / 2) -> None:
    """Close each limiter's shared pace; one whose database does not answer within `within` s is left."""

    async def closed(limiter: RateLimiter) -> None:
        try:
            async with asyncio.timeout(within):
                await limiter.close()
        except TimeoutError:
            log.warning("the send pace's connection did not close within %g s; left to the process's end", within)

    await asyncio.gather(*(closed(limiter) for limiter in limiters.values()))


def polled(settings: Settings) -> set[str]:
    """The channels this configuration polls (the others take their updates by webhook, or do not run)."""
    channels = set()
    if settings.telegram_token is not None and settings.telegram_webhook_url is None:
        channels.add("telegram")
    if settings.zalo_token is not None and (settings.zalo_webhook_url is None or settings.zalo_webhook_secret is None):
        channels.add("zalo")
    return channels


class Pollable(Protocol):
    async def start_polling(self) -> None: ...

    async def stop_polling(self) -> None: ...


class Poller:
    """Polls one channel while this instance holds the channel's poller lock.

    While the database does not answer, it goes on as the last answer said: the holder polls, the
    others wait (see the module)."""

    def __init__(self, name: str, channel: Pollable, lock: PollerLock, *, every: float, holder: bool = False) -> None:
        self.name = name
        self.channel = channel
        self.lock = lock
        self.every = every
        self.holder = holder  # what the database last said
        self.polling = False
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._unanswered = False  # the database did not answer the last try (logged once until it does)
        self._waiting_told = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"poller lock: {self.name}")

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self._turn()
            except Exception:  # polling failed to start or stop: the next turn tries again
                log.exception("the %s poller failed; trying again in %g s", self.name, self.every)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.every)

    async def _turn(self) -> None:
        await self._ask()
        if self.holder and not self.polling:
            try:
                await self.channel.start_polling()
            except Exception:
                log.exception("could not start polling %s; trying again in %g s", self.name, self.every)
                await self.lock.release()  # meanwhile another instance may
                self.holder = False
                return
            log.info("this instance polls %s now (it holds the poller lock)", self.name)
            self.polling = True
        elif not self.holder and self.polling:
            log.warning("another instance polls %s now: this one stops polling", self.name)
            self.polling = False
            await self.channel.stop_polling()
        elif not self.holder and not self._waiting_told:
            log.info("another instance polls %s: this one takes over if it stops", self.name)
            self._waiting_told = True

    async def _ask(self) -> None:
        """Whether this instance holds the lock (taking it if free), into `holder`; unchanged when the
        database does not answer."""
        try:
            self.holder = await self.lock.take()
        except Exception as exc:
            if not self._unanswered:
                log.warning(
                    "cannot check the %s poller lock (%s): this instance %s until the database answers",
                    self.name,
                    type(exc).__name__,
                    "polls" if self.holder else "waits",
                )
            self._unanswered = True
            return
        self._unanswered = False

    async def stop(self) -> None:
        """Stop polling, and let another instance take over at once (a lock the database does not
        let go of within STOP_WITHIN goes with the connection, dropped)."""
        self._stopping.set()
        if self._task is not None:
            _done, busy = await asyncio.wait({self._task}, timeout=STOP_WITHIN)  # a check of the lock may hang
            for task in busy:
                task.cancel()
                await asyncio.wait({task}, timeout=STOP_WITHIN)
        if self.polling:
            self.polling = False
            await self.channel.stop_polling()
        await self.lock.release(within=STOP_WITHIN)


class Pollers:
    """A `Poller` for each running channel that polls. `take` asks for the locks before the channels
    start (so a database lost during the start leaves the holder polling); `stop` ends polling before
    anything else stops."""

    def __init__(self, settings: Settings, engine: AsyncEngine, channels: dict[str, Any]) -> None:
        self.every = settings.poller_check_seconds
        self.channels = channels  # filled as the channels start
        self.locks = {name: PollerLock(engine, name) for name in sorted(polled(settings))}
        self.held: dict[str, bool] = {}
        self.pollers: list[Poller] = []

    async def take(self) -> None:
        for name, lock in self.locks.items():
            try:
                self.held[name] = await lock.take()
            except Exception as exc:  # the poller tries again
                log.warning("cannot take the %s poller lock yet (%s)", name, type(exc).__name__)

    def start(self) -> None:
        for name, lock in self.locks.items():
            if name in self.channels:
                poller = Poller(name, self.channels[name], lock, every=self.every, holder=self.held.get(name, False))
                self.pollers.append(poller)
                poller.start()

    async def stop(self) -> None:
        """Stop polling and let go of every lock (taken too, when a channel failed to start)."""
        pollers, self.pollers = self.pollers, []
        await asyncio.gather(*(poller.stop() for poller in pollers))
        for lock in self.locks.values():
            await lock.release(within=STOP_WITHIN)
