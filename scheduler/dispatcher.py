"""The dispatcher: sends due outbox rows through a Sender, within the limits, each at most once.

A row is claimed (with a lease) before it is sent and marked sent right after, in its own
transaction, so a restart or a second instance never sends it again. The one window no design can
close is a crash between the server accepting a message and the mark: the Bot API has no
idempotency key, so such a row is sent again when its lease expires rather than lost.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from scheduler.calendar import WorkCalendar
from scheduler.clock import Clock
from scheduler.ladder import allowed_moment
from scheduler.ratelimit import Limits, RateLimiter
from scheduler.sending import Rejected, ReminderMessage, RetryLater, Sender, Transient, Unreachable
from storage import outbox
from storage.models import ReminderStatus
from storage.outbox import ReminderRow

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(minutes=10)


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
        concurrency: int = 16,
        batch: int = 200,
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
        self._running = asyncio.Lock()
        self._stopping = asyncio.Event()

    async def dispatch_due(self) -> DispatchStats:
        """Send everything due now; returns when nothing due is left (retries wait for a later call)."""
        stats = DispatchStats()
        async with self._running:
            while not self._stopping.is_set():
                now = self.clock.now()
                async with self.sessions() as session:
                    ids = await outbox.claim_due(session, now=now, lease_until=now + LEASE, limit=self.batch)
                    rows = await outbox.reminder_rows(session, ids=ids) if ids else []
                if not rows:
                    return stats
                allowed = allowed_moment(now, self.calendar, self.tz)
                if allowed > now:  # night or a day off: hold everything until the next allowed moment
                    await self._postpone(rows, allowed, stats)
                    return stats
                await self._send_all(rows, stats)
            return stats

    def stop(self) -> None:
        """Finish the sends in flight, record them, hand back the rest; `dispatch_due` then returns."""
        self._stopping.set()

    async def _send_all(self, rows: list[ReminderRow], stats: DispatchStats) -> None:
        async with self.sessions() as session:
            unwanted = await outbox.unwanted(session, rows=rows)
            for reminder_id in sorted(unwanted):
                await outbox.finish(session, reminder_id=reminder_id, status=ReminderStatus.CANCELLED)
        stats.cancelled += len(unwanted)
        queue: asyncio.Queue[list[ReminderRow]] = asyncio.Queue()
        for group in _grouped([row for row in rows if row.reminder.id not in unwanted]):
            queue.put_nowait(group)

        async def worker() -> None:
            while not queue.empty() and not self._stopping.is_set():
                await self._send_group(queue.get_nowait(), stats)

        await asyncio.gather(*(worker() for _ in range(min(self.concurrency, queue.qsize()))))
        left = []
        while not queue.empty():
            left += [row.reminder.id or 0 for row in queue.get_nowait()]
        if left:
            async with self.sessions() as session:
                await outbox.release(session, ids=left)

    async def _send_group(self, group: list[ReminderRow], stats: DispatchStats) -> None:
        """One message for one row, or for the office's rows about one occurrence and step."""
        wanted = group
        message = self._message(wanted[0], late_units=tuple(row.unit.name for row in wanted))
        await self.limiter.acquire(message.chat_id, group=message.group_chat)
        error: Exception | None = None
        message_id: str | None = None
        try:
            message_id = await self.sender.send_reminder(message)
        except Exception as exc:  # recorded below; a bug in a sender must not stop the other reminders
            error = exc
        async with self.sessions() as session:
            for row in wanted:
                await self._record(session, row, message_id, error, stats)

    async def _record(
        self,
        session: AsyncSession,
        row: ReminderRow,
        message_id: str | None,
        error: Exception | None,
        stats: DispatchStats,
    ) -> None:
        if error is None:
            await outbox.finish(
                session,
                reminder_id=row.reminder.id or 0,
                status=ReminderStatus.SENT,
                sent_at=self.clock.now(),
                message_id=message_id,
                attempts=row.reminder.attempts + 1,
                last_error=None,
            )
            stats.sent += 1
        elif isinstance(error, RetryLater):
            self.limiter.pause(error.seconds)
            await self._retry(session, row, error, stats, after=timedelta(seconds=error.seconds), count=False)
        elif isinstance(error, Unreachable):
            await outbox.mark_unreachable(session, account_id=row.account.id or 0, reason=error.reason)
            await self._give_up(session, row, error.reason, stats)
        elif isinstance(error, Rejected):
            await self._give_up(session, row, error.reason, stats)
        else:
            if not isinstance(error, Transient):
                log.error("sender failed on reminder %s", row.reminder.id, exc_info=error)
            await self._retry(session, row, error, stats)

    async def _retry(
        self,
        session: AsyncSession,
        row: ReminderRow,
        error: Exception,
        stats: DispatchStats,
        *,
        after: timedelta | None = None,
        count: bool = True,
    ) -> None:
        attempts = row.reminder.attempts + (1 if count else 0)
        reason = str(error)[:300]
        if attempts >= MAX_ATTEMPTS:
            await self._give_up(session, row, f"gave up after {attempts} attempts: {reason}", stats)
            return
        if after is None:
            backoff = min(timedelta(seconds=2**attempts), MAX_BACKOFF)
            after = backoff * random.uniform(0.8, 1.2)
        await outbox.finish(
            session,
            reminder_id=row.reminder.id or 0,
            attempts=attempts,
            last_error=reason,
            next_attempt_at=self.clock.now() + after,
        )
        stats.retried += 1

    async def _give_up(self, session: AsyncSession, row: ReminderRow, reason: str, stats: DispatchStats) -> None:
        await outbox.finish(
            session,
            reminder_id=row.reminder.id or 0,
            status=ReminderStatus.UNDELIVERABLE,
            attempts=row.reminder.attempts + 1,
            last_error=reason[:300],
        )
        stats.undeliverable += 1
        stats.errors.append(reason)

    async def _postpone(self, rows: list[ReminderRow], until: datetime, stats: DispatchStats) -> None:
        async with self.sessions() as session:
            for row in rows:
                await outbox.finish(session, reminder_id=row.reminder.id or 0, next_attempt_at=until)
                stats.postponed += 1

    def _message(self, row: ReminderRow, *, late_units: tuple[str, ...] = ()) -> ReminderMessage:
        today = self.clock.now().astimezone(self.tz).date()
        occurrence = row.occurrence
        last_day = row.reminder.last_day or occurrence.last_day  # an extension's new last day
        return ReminderMessage(
            reminder_id=row.reminder.id or 0,
            channel=row.account.channel,
            chat_id=row.account.chat_id,
            locale=row.person.locale or self.locale,
            audience=row.reminder.audience,
            step=row.reminder.step,
            duty_title=row.duty.title,
            duty_title_en=row.duty.title_en,
            unit_name=row.unit.name,
            nominal=occurrence.nominal,
            inclusive=occurrence.inclusive,
            last_day=last_day,
            working_days_left=self.calendar.working_days_between(today, last_day),
            period_start=occurrence.period_start,
            period_end=occurrence.period_end,
            late_units=late_units if row.reminder.audience == "office" else (),
            occurrence_id=occurrence.id or 0,
        )


def _grouped(rows: list[ReminderRow]) -> list[list[ReminderRow]]:
    """Each row alone, except the office's rows of one occurrence and step: one message lists the units."""
    groups: dict[tuple[int, int, int, str], list[ReminderRow]] = {}
    for row in rows:
        reminder = row.reminder
        key = (
            (0, row.account.id or 0, reminder.occurrence_id, reminder.step)
            if reminder.audience == "office"
            else (1, reminder.id or 0, 0, "")
        )
        groups.setdefault(key, []).append(row)
    return list(groups.values())
