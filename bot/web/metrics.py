"""/metrics for Prometheus: what this process did (counters), and what waits in the outbox (read at scrape time).

One registry per service, not prometheus-client's global one: two services in one test process (or
one test after another) never count into each other's series. Counters count this process's work
(several instances each report their own; sum them); the outbox's backlog and the unreachable
accounts are the database's, the same on every instance (take the max).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from scheduler.ratelimit import RateLimiter
from scheduler.sending import Rejected, ReminderMessage, RetryLater, Sender, Transient, Unreachable
from storage import health

log = logging.getLogger(__name__)
DATABASE_TIMEOUT = 5.0  # seconds the scrape's two queries may take; Prometheus's own timeout is 10 s


def failure_reason(error: Exception) -> str:
    """A failed send's reason, in the few words a label may take."""
    if isinstance(error, RetryLater):
        return "rate_limited"  # a 429: sent again after the server's retry_after
    if isinstance(error, Unreachable):
        return "unreachable"  # blocked the bot, never pressed Start...: given up
    if isinstance(error, Rejected):
        return "rejected"  # the server refused this message for good
    if isinstance(error, Transient):
        return "network_or_server"  # a network error or a 5xx: sent again after a pause
    return "error"  # a bug in a channel: logged with its traceback


class Metrics:
    """The service's series, and the scheduler's `Observer` (scheduler/observer.py)."""

    def __init__(self, *, limiters: Mapping[str, RateLimiter] | None = None, channels: Iterable[str] = ()) -> None:
        self.registry = CollectorRegistry()
        self.channels = tuple(channels)  # reported with a 0 backlog when nothing of theirs waits
        self.last_pass: datetime | None = None  # the dispatcher's latest pass or batch (/readyz asks)
        self._planned = Counter("nhacviec_reminders_planned", "Outbox rows the planner wrote", registry=self.registry)
        self._sent = Counter(
            "nhacviec_reminders_sent", "Reminder messages the channel accepted", ["channel"], registry=self.registry
        )
        self._failed = Counter(
            "nhacviec_reminders_failed", "Reminder sends that failed, by reason", ["channel", "reason"],
            registry=self.registry,
        )  # fmt: skip
        self._handling = Histogram(
            "nhacviec_update_handling_seconds", "Messages and taps handled by the core, and the time each took",
            ["channel"], registry=self.registry,
        )  # fmt: skip
        self._pending = Gauge(
            "nhacviec_reminders_pending", "Outbox rows not sent yet, due or not", ["channel"], registry=self.registry
        )
        self._oldest_due = Gauge(
            "nhacviec_reminders_oldest_due_age_seconds", "How long the longest-waiting due reminder has waited",
            ["channel"], registry=self.registry,
        )  # fmt: skip
        self._unreachable = Gauge(
            "nhacviec_unreachable_accounts", "Accounts of people with a role that a send found unreachable",
            ["channel"], registry=self.registry,
        )  # fmt: skip
        self._last_pass_at = Gauge(
            "nhacviec_dispatcher_last_pass_timestamp_seconds", "When the dispatcher last ended a pass or a batch",
            registry=self.registry,
        )  # fmt: skip
        self._ready = Gauge("nhacviec_ready", "1 when /readyz answers 200, else 0", registry=self.registry)
        self.registry.register(_RateLimits(limiters or {}))

    # -- what the service tells ----------------------------------------------------------------

    def planned(self, count: int) -> None:
        self._planned.inc(count)

    def dispatched(self, at: datetime) -> None:
        self.last_pass = at
        self._last_pass_at.set(at.timestamp())

    def handled(self, channel: str, seconds: float) -> None:
        """The core handled one message or tap (`Core.on_handled`)."""
        self._handling.labels(channel).observe(seconds)

    def observed(self, sender: Sender) -> Sender:
        """`sender`, its sends counted: accepted, or failed by reason."""
        return _CountedSender(sender, self)

    def sent(self, channel: str) -> None:
        self._sent.labels(channel).inc()

    def failed(self, channel: str, error: Exception) -> None:
        self._failed.labels(channel, failure_reason(error)).inc()

    # -- a scrape ------------------------------------------------------------------------------

    async def exposition(self, sessions: async_sessionmaker[AsyncSession], *, now: datetime, ready: bool) -> bytes:
        """The text Prometheus reads, the outbox read first (its series left out when the database does not answer)."""
        self._ready.set(1 if ready else 0)
        try:
            backlog, unreachable = await asyncio.wait_for(_read(sessions, now), DATABASE_TIMEOUT)
        except Exception as exc:
            log.warning("/metrics could not read the outbox: %s", first_line(exc))
            for gauge in (self._pending, self._oldest_due, self._unreachable):
                gauge.clear()  # no number rather than an old one
        else:
            self._show(backlog, unreachable, now)
        return generate_latest(self.registry)

    def _show(self, backlog: list[health.Backlog], unreachable: dict[str, int], now: datetime) -> None:
        for gauge in (self._pending, self._oldest_due, self._unreachable):
            gauge.clear()
        for channel in self.channels:
            self._pending.labels(channel).set(0)
            self._oldest_due.labels(channel).set(0)
            self._unreachable.labels(channel).set(0)
        for row in backlog:
            self._pending.labels(row.channel).set(row.pending)
            age = 0.0 if row.oldest_due is None else max((now - row.oldest_due).total_seconds(), 0.0)
            self._oldest_due.labels(row.channel).set(age)
        for channel, count in unreachable.items():
            self._unreachable.labels(channel).set(count)


def first_line(exc: BaseException) -> str:
    """An error in one line for a log or an answer."""
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


async def _read(
    sessions: async_sessionmaker[AsyncSession], now: datetime
) -> tuple[list[health.Backlog], dict[str, int]]:
    async with sessions() as session:
        return await health.backlog(session, now=now), await health.unreachable_accounts(session)


class _CountedSender:
    def __init__(self, sender: Sender, metrics: Metrics) -> None:
        self._sender = sender
        self._metrics = metrics

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        try:
            message_id = await self._sender.send_reminder(message)
        except Exception as exc:
            self._metrics.failed(message.channel, exc)
            raise
        self._metrics.sent(message.channel)
        return message_id


class _RateLimits(Collector):
    """The 429s each channel's limiter waited out, read from the limiters at scrape time."""

    def __init__(self, limiters: Mapping[str, RateLimiter]) -> None:
        self._limiters = limiters

    def collect(self) -> Iterator[CounterMetricFamily]:
        times = CounterMetricFamily(
            "nhacviec_rate_limited", "429s a channel answered (reminders and answers wait them out)",
            labels=["channel"],
        )  # fmt: skip
        seconds = CounterMetricFamily(
            "nhacviec_rate_limited_seconds", "Seconds a channel's 429s asked to wait", labels=["channel"]
        )
        for channel, limiter in sorted(self._limiters.items()):
            times.add_metric([channel], limiter.pauses)
            seconds.add_metric([channel], limiter.paused_seconds)
        yield times
        yield seconds

    def describe(self) -> Iterator[CounterMetricFamily]:
        yield from self.collect()
