"""The dispatcher: sends due outbox rows through a Sender, within the limits, each at most once.

A row is claimed with a lease before it is sent, and its outcome (sent, retry later, given up) is
recorded afterwards, which releases the claim; a claimed row is never claimed again while its lease
lasts, so a restart or a second instance never sends it twice.

What no design can close is a crash between the server accepting a message and the record of it:
the Bot API has no idempotency key, so such a row is sent again when its lease expires rather than
lost. The dispatcher keeps that window to the messages in flight: a send begins only once the
outcome of every send that ended is committed, and beside another send only when that one has gone
unanswered for longer than `in_flight.HOLD` (a hung call: scheduler/in_flight.py). A send answers
within its slot of the rate limit, so a hard crash (kill -9) sends one message twice, or one more
for each hung call then in flight. A send with no answer within `send_timeout` is a failed try,
retried later; each chat's next message waits for its last.

The outcomes are written in the background (scheduler/recorder.py), on a connection held for the
pass (storage/outcomes.py), several at once when several sends ended during one write. An outcome
that cannot be written stays in memory and is tried again until it is; nothing new is sent
meanwhile. Once stopped (or cancelled) the outcomes still unwritten and the rows to hand back get
`recorder.STOP_WITHIN` each, then are left to their leases: sent again when the lease ends. A send
starts only while the lease has `RECORD_MARGIN` left (a quarter of a lease shorter than two
minutes), so the lease still holds when its outcome is written.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from scheduler.calendar import WorkCalendar
from scheduler.claiming import PassClaims
from scheduler.clock import Clock
from scheduler.in_flight import MOST, SEND_TIMEOUT, Flights
from scheduler.ladder import allowed_moment
from scheduler.observer import Observer, Unobserved
from scheduler.ratelimit import Limits, RateLimiter
from scheduler.recorder import STOP_WITHIN, Recorder
from scheduler.sending import Rejected, ReminderMessage, Renderer, RetryLater, Sender, Transient, Unreachable
from scheduler.worded import grouped, message_for
from storage import claims, outcomes
from storage.claimer import TAKE_WITHIN
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
        redact: Callable[[str], str] = str,  # an error's words without the secrets they echo, to be stored
        send_timeout: float = SEND_TIMEOUT,
        most_in_flight: int = MOST,
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
        self.lease, self.redact = lease, redact  # NHACVIEC_CLAIM_LEASE_SECONDS
        self.send_timeout = send_timeout  # a send with no answer by then is a failed try, retried later
        self.most_in_flight = most_in_flight
        self.record_margin = min(RECORD_MARGIN, lease / 4)  # a short lease (tests) leaves a shorter margin
        self._running = asyncio.Lock()
        self._claims = PassClaims(sessions)  # the pass's (`dispatch_due`)
        self._stopping = asyncio.Event()

    async def dispatch_due(self) -> DispatchStats:
        """Send everything due now; returns when nothing due is left (retries wait for a later call)."""
        stats = DispatchStats()
        async with self._running:
            recorder = Recorder(self.sessions, stopping=self._stopping, sleep=self.sleep)
            flights = Flights(most=self.most_in_flight)  # a batch's hung sends do not hold the next batch
            taken = self._claims = PassClaims(self.sessions)
            try:
                while not self._stopping.is_set():
                    now = self.clock.now()
                    lease_until = now + self.lease
                    rows = await taken.take(now=now, lease_until=lease_until, limit=self.batch)
                    allowed = allowed_moment(now, self.calendar, self.tz)
                    if rows and allowed > now:  # night or a day off: hold everything until the next allowed moment
                        await taken.postpone([row.id for row in rows], allowed)
                        stats.postponed += len(rows)
                    if not rows or allowed > now:
                        break
                    await self._send_all(rows, lease_until, recorder, flights, stats)
                    self.observer.dispatched(self.clock.now())
                await flights.landed()  # each ends by its send timeout at most
                await recorder.written(within=STOP_WITHIN if self._stopping.is_set() else None)
                self.observer.dispatched(self.clock.now())
                return stats
            except BaseException:
                recorder.last_try = True  # failed or cancelled: try a failing write once more, do not wait for it
                await flights.cancel()  # what became of them is unknown: their rows stay claimed
                raise
            finally:
                # Also when cancelled: what was sent is written, not sent again when the lease ends;
                # once stopped, for STOP_WITHIN at most (the database may not answer).
                stopped = self._stopping.is_set() or recorder.last_try
                try:
                    await recorder.written(within=STOP_WITHIN if stopped else None)
                finally:  # their connections, together (each with its deadline)
                    await asyncio.gather(recorder.close(), taken.close(within=STOP_WITHIN if stopped else TAKE_WITHIN))

    def stop(self) -> None:
        """Finish the send in flight, record it, hand back the rest; `dispatch_due` then returns."""
        self._stopping.set()

    async def _send_all(
        self,
        rows: list[ReminderRow],
        lease_until: datetime,
        recorder: Recorder,
        flights: Flights,
        stats: DispatchStats,
    ) -> None:
        async with self.sessions() as session:
            unwanted = await claims.unwanted(session, rows=rows)
            if unwanted:  # nothing is sent for them: written together, before any send
                cancelled = {"status": ReminderStatus.CANCELLED}
                await outcomes.record(session, [Outcome(reminder_id, cancelled) for reminder_id in sorted(unwanted)])
        stats.cancelled += len(unwanted)
        groups = grouped([row for row in rows if row.id not in unwanted])
        last_start = lease_until - self.record_margin
        begun = 0  # the groups whose send has begun
        try:
            for group in groups:
                # Prepared while the sends in flight go on and the last outcomes are written...
                message, failed = await self._worded(self._message(group))
                await flights.room_for(message.chat_id)  # ...beside a slow send only, never beside its chat's own...
                await recorder.written()  # ...and sent only once every send that ended is recorded.
                await self.limiter_for(message.channel).acquire(message.chat_id, group=message.group_chat)
                await recorder.written()
                if self.clock.now() > last_start or self._stopping.is_set() or not self._claims.holding():
                    # Too late to send and record within the lease (a 429's pause can be long), stopped,
                    # or the claims' session lost: another dispatcher may take them now.
                    break
                flights.start(message.chat_id, self._flight(group, message, stats, failed, recorder))
                begun += 1
        finally:
            left = [row.id for unsent in groups[begun:] for row in unsent]
            if left:  # handed back at once, for this or another dispatcher
                await self._release(left, lease_until)

    async def _release(self, ids: list[int], lease_until: datetime) -> None:
        await self._claims.release(ids, lease_until, within=STOP_WITHIN if self._stopping.is_set() else None)

    async def _flight(
        self,
        group: list[ReminderRow],
        message: ReminderMessage,
        stats: DispatchStats,
        failed: Exception | None,
        recorder: Recorder,
    ) -> None:
        recorder.start(await self._send(group, message, stats, failed=failed))

    def _message(self, group: list[ReminderRow]) -> ReminderMessage:
        today = self.clock.now().astimezone(self.tz).date()
        late_units = tuple(row.unit_name for row in group)
        return message_for(group[0], today=today, calendar=self.calendar, locale=self.locale, late_units=late_units)

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
                async with asyncio.timeout(self.send_timeout):
                    message_id = await self.sender.send_reminder(message)
            except TimeoutError:
                error = Transient(f"no answer within {self.send_timeout:g} s")
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
        reason = self.redact(str(error))[:300]
        if attempts >= MAX_ATTEMPTS:
            return self._give_up(row, f"gave up after {attempts} attempts: {reason}", stats)
        if after is None:
            after = min(timedelta(seconds=2**attempts), MAX_BACKOFF) * random.uniform(0.8, 1.2)
        stats.retried += 1
        values = {"attempts": attempts, "last_error": reason, "next_attempt_at": self.clock.now() + after}
        return Outcome(row.id, values)

    def _give_up(self, row: ReminderRow, reason: str, stats: DispatchStats) -> Outcome:
        stats.undeliverable += 1
        stats.errors.append(reason)
        values = {
            "status": ReminderStatus.UNDELIVERABLE,
            "attempts": row.attempts + 1,
            "last_error": self.redact(reason)[:300],
        }
        return Outcome(row.id, values)
