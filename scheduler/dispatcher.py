"""The dispatcher: sends due outbox rows through a Sender, within the limits, each at most once.

A row is claimed with a lease before it is sent, and its outcome (sent, retry later, given up) is
recorded afterwards, which releases the claim; a claimed row is never claimed again while its lease
lasts, so a restart or a second instance never sends it twice.

Outcomes are recorded in batches (`_Recorder`): one transaction for up to `RECORD_ROWS` outcomes, and
none waits longer than `RECORD_SECONDS` after its send; everything is written at the end of each
claimed batch, on `stop()` and before `dispatch_due` returns, so a graceful stop loses nothing and
sends nothing twice. One UPDATE and COMMIT per message had cost more than the send itself.

What no design can close is a crash between the server accepting a message and the record of it:
the Bot API has no idempotency key, so such a row is sent again when its lease expires rather than
lost. Batching widens that window: a hard crash (kill -9, power loss) re-sends the sends whose
outcomes were not yet written, about `RECORD_ROWS` at most, none older than `RECORD_SECONDS` plus
the write under way, besides those in flight (at most `concurrency`), as before. At Telegram's 29
messages a second the timer decides: about three messages. While writes fail (the database is
away), no new send starts. A send starts only while the lease has `RECORD_MARGIN` left, so the
lease still holds when its outcome is written and no other dispatcher can claim the row before.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from scheduler.calendar import WorkCalendar
from scheduler.clock import Clock
from scheduler.ladder import allowed_moment
from scheduler.ratelimit import Limits, RateLimiter
from scheduler.sending import Rejected, ReminderMessage, RetryLater, Sender, Transient, Unreachable
from storage import outbox, outcomes
from storage.models import ReminderStatus
from storage.outbox import ReminderRow
from storage.outcomes import Outcome

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(minutes=10)
RECORD_ROWS = 32  # outcomes per transaction: the per-statement cost is spread, the crash window stays small
RECORD_SECONDS = 0.1  # and none waits longer than this for its transaction, however slowly sends go
# A send may take its timeouts (PTB: 5 s each to connect, write and read) and its outcome a write
# after it: a row whose lease has less than this left goes back to the outbox unsent.
RECORD_MARGIN = timedelta(seconds=30)
# Sends in flight at once. Against Telegram, 29 messages/s needs about 29 × round trip in flight
# (the limiter keeps it to that): 8 covers round trips up to ~275 ms; the Bot API is far from
# Viet Nam, so measure against it before going lower. More only costs CPU when sends are fast:
# each send in flight holds an HTTP connection, and httpx's pool walks all of them for every
# request, so on loopback 2 at once cost ~1.7 ms of CPU a message, 8 ~2.1 and 16 ~3.4
# (bench/README.md). 16 was the old default.
CONCURRENCY = 8


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
        clock: Clock,
        calendar: WorkCalendar,
        tz: ZoneInfo,
        locale: str = "vi",
        limiter: RateLimiter | None = None,
        concurrency: int = CONCURRENCY,
        batch: int = 200,
        record_rows: int = RECORD_ROWS,
        record_seconds: float = RECORD_SECONDS,
    ) -> None:
        self.sessions = sessions
        self.sender = sender
        self.clock = clock
        self.calendar = calendar
        self.tz = tz
        self.locale = locale
        self.limiter = limiter or RateLimiter(Limits())
        self.concurrency = concurrency
        self.batch = batch
        self.record_rows = record_rows
        self.record_seconds = record_seconds
        self._running = asyncio.Lock()
        self._stopping = asyncio.Event()

    async def dispatch_due(self) -> DispatchStats:
        """Send everything due now; returns when nothing due is left (retries wait for a later call)."""
        stats = DispatchStats()
        async with self._running:
            recorder = _Recorder(self.sessions, rows=self.record_rows, seconds=self.record_seconds)
            try:
                while not self._stopping.is_set():
                    now = self.clock.now()
                    lease_until = now + LEASE
                    async with self.sessions() as session:
                        ids = await outbox.claim_due(session, now=now, lease_until=lease_until, limit=self.batch)
                        rows = await outbox.reminder_rows(session, ids=ids) if ids else []
                    if not rows:
                        return stats
                    allowed = allowed_moment(now, self.calendar, self.tz)
                    if allowed > now:  # night or a day off: hold everything until the next allowed moment
                        await self._postpone(rows, allowed, stats)
                        return stats
                    await self._send_all(rows, lease_until, recorder, stats)
                return stats
            finally:
                # Also when cancelled: what was sent is written, not sent again when the lease ends.
                await recorder.flush()

    def stop(self) -> None:
        """Finish the sends in flight, record them, hand back the rest; `dispatch_due` then returns."""
        self._stopping.set()

    async def _send_all(
        self, rows: list[ReminderRow], lease_until: datetime, recorder: _Recorder, stats: DispatchStats
    ) -> None:
        async with self.sessions() as session:
            unwanted = await outbox.unwanted(session, rows=rows)
        for reminder_id in sorted(unwanted):
            recorder.add(Outcome(reminder_id, {"status": ReminderStatus.CANCELLED}))
        stats.cancelled += len(unwanted)
        queue: asyncio.Queue[list[ReminderRow]] = asyncio.Queue()
        for group in _grouped([row for row in rows if row.id not in unwanted]):
            queue.put_nowait(group)
        last_start = lease_until - RECORD_MARGIN
        late: list[list[ReminderRow]] = []  # not sent: handed back with the rest

        async def worker() -> None:
            while not queue.empty() and not self._stopping.is_set() and not recorder.failing:
                group = queue.get_nowait()
                if not await self._send_group(group, recorder, stats, last_start=last_start):
                    late.append(group)

        await asyncio.gather(*(worker() for _ in range(min(self.concurrency, queue.qsize()))))
        await recorder.flush()  # the end of a claimed batch: every outcome is written before going on
        left = [row.id for group in late for row in group]
        while not queue.empty():
            left += [row.id for row in queue.get_nowait()]
        if left:
            async with self.sessions() as session:
                await outbox.release(session, ids=left, claimed_until=lease_until)

    async def _send_group(
        self, group: list[ReminderRow], recorder: _Recorder, stats: DispatchStats, *, last_start: datetime
    ) -> bool:
        """One message for one row, or for the office's rows about one occurrence and step.

        False, and nothing sent, when the wait for a slot (a 429's pause can be long) ended after
        `last_start`, too late to send and record within the lease, or after a stop.
        """
        message = self._message(group[0], late_units=tuple(row.unit_name for row in group))
        await self.limiter.acquire(message.chat_id, group=message.group_chat)
        if self.clock.now() > last_start or self._stopping.is_set():
            return False
        error: Exception | None = None
        message_id: str | None = None
        try:
            message_id = await self.sender.send_reminder(message)
        except Exception as exc:  # recorded below; a bug in a sender must not stop the other reminders
            error = exc
        for row in group:
            recorder.add(self._outcome(row, message_id, error, stats))
        return True

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
            self.limiter.pause(error.seconds)
            return self._retry(row, error, stats, after=timedelta(seconds=error.seconds), count=False)
        if isinstance(error, Unreachable):
            outcome = self._give_up(row, error.reason, stats)
            return Outcome(reminder_id, outcome.values, unreachable=error.reason, account_id=row.account_id)
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
            await outbox.postpone(session, ids=[row.id for row in rows], until=until)
        stats.postponed += len(rows)

    def _message(self, row: ReminderRow, *, late_units: tuple[str, ...] = ()) -> ReminderMessage:
        today = self.clock.now().astimezone(self.tz).date()
        return ReminderMessage(
            reminder_id=row.id,
            channel=row.channel,
            chat_id=row.chat_id,
            locale=row.locale or self.locale,
            audience=row.audience,
            step=row.step,
            duty_title=row.duty_title,
            duty_title_en=row.duty_title_en,
            unit_name=row.unit_name,
            nominal=row.nominal,
            inclusive=row.inclusive,
            last_day=row.last_day,
            working_days_left=self.calendar.working_days_between(today, row.last_day),
            period_start=row.period_start,
            period_end=row.period_end,
            late_units=late_units if row.audience == "office" else (),
            occurrence_id=row.occurrence_id,
        )


def _grouped(rows: list[ReminderRow]) -> list[list[ReminderRow]]:
    """Each row alone, except the office's rows of one occurrence and step: one message lists the units."""
    groups: dict[tuple[int, int, int, str], list[ReminderRow]] = {}
    for row in rows:
        key = (0, row.account_id, row.occurrence_id, row.step) if row.audience == "office" else (1, row.id, 0, "")
        groups.setdefault(key, []).append(row)
    return list(groups.values())


class _Recorder:
    """Outcomes waiting to be written, and the writes: one transaction for many sends.

    `add` never waits: a full batch (`rows`) or the timer (`seconds` after the first outcome waiting)
    starts a write in the background, so sending goes on while the database works. Writes run one at
    a time and each takes everything waiting when it begins. A write that fails leaves its outcomes
    waiting for the next one (every write is idempotent) and sets `failing`, so that no new send
    starts until a write succeeds; `flush` raises if they still cannot be written.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, rows: int, seconds: float) -> None:
        self._sessions = sessions
        self._rows = rows
        self._seconds = seconds
        self._waiting: list[Outcome] = []
        self._lock = asyncio.Lock()
        self._writes: set[asyncio.Task[None]] = set()
        self._write_queued = False  # a write has started but not yet taken what is waiting
        self.failing = False  # the last write failed: its outcomes are waiting again
        self._timer: asyncio.TimerHandle | None = None

    def add(self, outcome: Outcome) -> None:
        self._waiting.append(outcome)
        if self._write_queued:
            return
        if len(self._waiting) >= self._rows:
            self._start_write()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self._seconds, self._start_write)

    def _start_write(self) -> None:
        self._cancel_timer()
        if self._waiting and not self._write_queued:
            self._write_queued = True
            task = asyncio.create_task(self._write_in_background())
            self._writes.add(task)
            task.add_done_callback(self._writes.discard)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def _write_in_background(self) -> None:
        try:
            await self._write()
        except Exception:  # kept waiting; the next write or the flush tries again
            self.failing = True
            log.warning("could not record reminder outcomes yet (%d waiting)", len(self._waiting), exc_info=True)

    async def _write(self) -> None:
        async with self._lock:
            self._write_queued = False
            batch, self._waiting = self._waiting, []
            if not batch:
                return
            try:
                async with self._sessions() as session:
                    await outcomes.record(session, batch)
                self.failing = False
            except BaseException:
                self._waiting[:0] = batch
                raise

    async def flush(self) -> None:
        """Write everything waiting, after the writes already started; raises if it cannot be written."""
        self._cancel_timer()
        if self._writes:
            await asyncio.wait(set(self._writes))  # not gather: a cancelled flush leaves them running
        await self._write()
