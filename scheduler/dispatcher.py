"""The dispatcher: sends due outbox rows through a Sender, within the limits, each at most once.

A row is claimed with a lease before it is sent, and its outcome (sent, retry later, given up) is
recorded afterwards, which releases the claim; a claimed row is never claimed again while its lease
lasts, so a restart or a second instance never sends it twice.

What no design can close is a crash between the server accepting a message and the record of it:
the Bot API has no idempotency key, so such a row is sent again when its lease expires rather than
lost. The dispatcher keeps that window to one message, the one in flight: one message at a time, the
next only once the outcome of the last one is committed, so a hard crash (kill -9, power loss) sends
at most one message twice (the office's rows of one occurrence and step are one message). The price:
one message per round trip plus one write (bench/README.md, "Figures the code's comments stand on").

The write is one UPDATE by primary key and its COMMIT, on a connection held for the whole run; on
SQLite it runs on the event loop while SQLite's lock is free (`storage/outcomes.py` says why and
how). When it must wait (PostgreSQL's round trips, SQLite's lock held elsewhere), the dispatcher
prepares the next message meanwhile, and books its slot under the rate limits once the write is
done: a slot booked before a slow write and used after it would crowd the slot after it, another
instance's when several share the bot's pace (scheduler/ratelimit.py).

An outcome that cannot be written (the database is away) stays in memory and its write is tried
again after growing pauses (`WRITE_RETRY`) until it succeeds; nothing new is sent meanwhile. After
`stop()` (or a cancel) it is tried once more, and if that fails `dispatch_due` raises: that row is
sent again when its lease ends, the one message twice. A send starts only while the lease has
`RECORD_MARGIN` left (a quarter of a lease shorter than two minutes), so the lease still holds when
its outcome is written and no other dispatcher can claim the row before.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from scheduler.calendar import WorkCalendar
from scheduler.clock import Clock
from scheduler.ladder import allowed_moment
from scheduler.observer import Observer, Unobserved
from scheduler.ratelimit import Limits, RateLimiter
from scheduler.recorder import Recorder
from scheduler.sending import Rejected, ReminderMessage, Renderer, RetryLater, Sender, Transient, Unreachable
from scheduler.steps import StepKey
from storage import claims, outcomes
from storage.claims import ReminderRow
from storage.models import ReminderStatus
from storage.outcomes import Outcome

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(minutes=10)
# A send may take its timeouts (PTB: 5 s each to connect, write and read) and its outcome a write
# after it: a row whose lease has less than this left goes back to the outbox unsent.
RECORD_MARGIN = timedelta(seconds=30)


@dataclass
class DispatchStats:
    sent: int = 0
    cancelled: int = 0
    undeliverable: int = 0
    retried: int = 0
    postponed: int = 0
    errors: list[str] = field(default_factory=list)


class Dispatcher:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        sender: Sender,
        render: Renderer,
        clock: Clock,
        calendar: WorkCalendar,
        tz: ZoneInfo,
        locale: str = "vi",
        limiter: RateLimiter | None = None,
        limiters: Mapping[str, RateLimiter] | None = None,
        batch: int = 200,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        observer: Observer | None = None,
        lease: timedelta = LEASE,
    ) -> None:
        self.sessions = sessions
        self.sender = sender
        self.render = render  # the words of each message (scheduler/sending.py: the send path runs one way)
        self.clock = clock
        self.calendar = calendar
        self.tz = tz
        self.locale = locale
        self.limiter = limiter or RateLimiter(Limits())  # a channel's own limiter (`limiters`) comes first
        self.limiters = dict(limiters or {})
        self.batch = batch
        self.sleep = sleep  # between tries of a write that failed (tests pass one that does not wait)
        self.observer = observer or Unobserved()  # told when a pass or a batch ends (/readyz asks)
        self.lease = lease  # NHACVIEC_CLAIM_LEASE_SECONDS
        self.record_margin = min(RECORD_MARGIN, lease / 4)  # a short lease (tests) leaves a shorter margin
        self._running = asyncio.Lock()
        self._stopping = asyncio.Event()

    async def dispatch_due(self) -> DispatchStats:
        """Send everything due now; returns when nothing due is left (retries wait for a later call)."""
        stats = DispatchStats()
        async with self._running:
            recorder = Recorder(self.sessions, stopping=self._stopping, sleep=self.sleep)
            try:
                while not self._stopping.is_set():
                    now = self.clock.now()
                    lease_until = now + self.lease
                    async with self.sessions() as session:
                        ids = await claims.claim_due(session, now=now, lease_until=lease_until, limit=self.batch)
                        rows = await claims.reminder_rows(session, ids=ids) if ids else []
                    if not rows:
                        self.observer.dispatched(now)
                        return stats
                    allowed = allowed_moment(now, self.calendar, self.tz)
                    if allowed > now:  # night or a day off: hold everything until the next allowed moment
                        await self._postpone(rows, allowed, stats)
                        return stats
                    await self._send_all(rows, lease_until, recorder, stats)
                    self.observer.dispatched(self.clock.now())
                return stats
            except BaseException:
                recorder.last_try = True  # failed or cancelled: try a failing write once more, do not wait for it
                raise
            finally:
                # Also when cancelled: what was sent is written, not sent again when the lease ends.
                try:
                    await recorder.written()
                finally:
                    await recorder.close()

    def stop(self) -> None:
        """Finish the send in flight, record it, hand back the rest; `dispatch_due` then returns."""
        self._stopping.set()

    async def _send_all(
        self, rows: list[ReminderRow], lease_until: datetime, recorder: Recorder, stats: DispatchStats
    ) -> None:
        async with self.sessions() as session:
            unwanted = await claims.unwanted(session, rows=rows)
            if unwanted:  # nothing is sent for them: written together, before any send
                cancelled = {"status": ReminderStatus.CANCELLED}
                await outcomes.record(session, [Outcome(reminder_id, cancelled) for reminder_id in sorted(unwanted)])
        stats.cancelled += len(unwanted)
        groups = _grouped([row for row in rows if row.id not in unwanted])
        last_start = lease_until - self.record_margin
        for index, group in enumerate(groups):
            # Prepared while the last send's outcome is being written...
            message, failed = await self._worded(self._message(group[0], late_units=tuple(r.unit_name for r in group)))
            await recorder.written()  # ...given its slot and sent only once that outcome is committed.
            await self.limiter_for(message.channel).acquire(message.chat_id, group=message.group_chat)
            if self.clock.now() > last_start or self._stopping.is_set():
                # Too late to send and record within the lease (a 429's pause can be long), or stopped.
                left = [row.id for unsent in groups[index:] for row in unsent]
                async with self.sessions() as session:
                    await claims.release(session, ids=left, claimed_until=lease_until)
                return
            recorder.start(await self._send(group, message, stats, failed=failed))
        await recorder.written()

    def limiter_for(self, channel: str) -> RateLimiter:
        """The channel's limiter, shared with its answers; `limiter` for a channel without its own."""
        return self.limiters.get(channel, self.limiter)

    async def _worded(self, message: ReminderMessage) -> tuple[ReminderMessage, Exception | None]:
        """The message with its words; a failure to word it (the database away for a digest) is
        recorded as a failed send would be, and retried."""
        try:
            return await self.render(message), None
        except Exception as exc:
            log.warning("could not word reminder %s; it is tried again later", message.reminder_id, exc_info=True)
            return message, Transient(f"could not word it: {exc}")

    async def _send(
        self, group: list[ReminderRow], message: ReminderMessage, stats: DispatchStats, *, failed: Exception | None
    ) -> list[Outcome]:
        """One message for one row, or for the office's rows about one occurrence and step."""
        error: Exception | None = failed
        message_id: str | None = None
        if error is None:
            try:
                message_id = await self.sender.send_reminder(message)
            except Exception as exc:  # recorded; a bug in a sender must not stop the other reminders
                error = exc
        return [self._outcome(row, message_id, error, stats) for row in group]

    def _outcome(
        self, row: ReminderRow, message_id: str | None, error: Exception | None, stats: DispatchStats
    ) -> Outcome:
        reminder_id = row.id
        if error is None:
            stats.sent += 1
            values: dict[str, Any] = {
                "status": ReminderStatus.SENT,
                "sent_at": self.clock.now(),
                "message_id": message_id,
                "attempts": row.attempts + 1,
                "last_error": None,
            }
            return Outcome(reminder_id, values)
        if isinstance(error, RetryLater):
            self.limiter_for(row.channel).pause(error.seconds if error.pace else 0)  # a spent quota is no pace
            return self._retry(row, error, stats, after=timedelta(seconds=error.seconds), count=False)
        if isinstance(error, Unreachable):
            outcome = self._give_up(row, error.reason, stats)
            return Outcome(reminder_id, outcome.values, unreachable=error.code, account_id=row.account_id)
        if isinstance(error, Rejected):
            return self._give_up(row, error.reason, stats)
        if not isinstance(error, Transient):
            log.error("sender failed on reminder %s", row.id, exc_info=error)
        return self._retry(row, error, stats)

    def _retry(
        self,
        row: ReminderRow,
        error: Exception,
        stats: DispatchStats,
        *,
        after: timedelta | None = None,
        count: bool = True,
    ) -> Outcome:
        attempts = row.attempts + (1 if count else 0)
        reason = str(error)[:300]
        if attempts >= MAX_ATTEMPTS:
            return self._give_up(row, f"gave up after {attempts} attempts: {reason}", stats)
        if after is None:
            backoff = min(timedelta(seconds=2**attempts), MAX_BACKOFF)
            after = backoff * random.uniform(0.8, 1.2)
        stats.retried += 1
        values = {"attempts": attempts, "last_error": reason, "next_attempt_at": self.clock.now() + after}
        return Outcome(row.id, values)

    def _give_up(self, row: ReminderRow, reason: str, stats: DispatchStats) -> Outcome:
        stats.undeliverable += 1
        stats.errors.append(reason)
        values = {
            "status": ReminderStatus.UNDELIVERABLE,
            "attempts": row.attempts + 1,
            "last_error": reason[:300],
        }
        return Outcome(row.id, values)

    async def _postpone(self, rows: list[ReminderRow], until: datetime, stats: DispatchStats) -> None:
        async with self.sessions() as session:
            await claims.postpone(session, ids=[row.id for row in rows], until=until)
        stats.postponed += len(rows)

    def _message(self, row: ReminderRow, *, late_units: tuple[str, ...] = ()) -> ReminderMessage:
        today = self.clock.now().astimezone(self.tz).date()
        return ReminderMessage(
            reminder_id=row.id,
            channel=row.channel,
            chat_id=row.chat_id,
            locale=row.locale or self.locale,
            audience=row.audience,
            step=StepKey(row.step),
            duty_title=row.duty_title,
            duty_title_en=row.duty_title_en,
            unit_name=row.unit_name,
            nominal=row.nominal,
            inclusive=row.inclusive,
            aim_day=row.aim_day,
            legal_last_day=row.legal_last_day,
            working_days_left=working_days_left(self.calendar, today, row.aim_day, row.legal_last_day),
            period_start=row.period_start,
            period_end=row.period_end,
            late_units=late_units if row.audience == "office" else (),
            occurrence_id=row.occurrence_id,
            plan_title=row.plan_title or "",
            plan_number=row.plan_number or "",
            plan_issued_on=row.plan_issued_on,
            plan_issuer=row.plan_issuer or "",
        )


def working_days_left(cal: WorkCalendar, today: date, aim_day: date, legal_last_day: date) -> int:
    """Working days to the day to aim for; 0 up to the legal last day; after it, minus the days late."""
    if today > legal_last_day:
        return -cal.working_days_between(legal_last_day, today)
    return max(cal.working_days_between(today, aim_day), 0)


def _grouped(rows: list[ReminderRow]) -> list[list[ReminderRow]]:
    """Each row alone, except the office's rows of one occurrence and step: one message lists the units."""
    groups: dict[tuple[int, int, int, str], list[ReminderRow]] = {}
    for row in rows:
        key = (0, row.account_id, row.occurrence_id, row.step) if row.audience == "office" else (1, row.id, 0, "")
        groups.setdefault(key, []).append(row)
    return list(groups.values())
