"""The start-up catch-up is a background pass: a failure is tried again, a stop ends it (issue 13)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, cast

import pytest

from scheduler import runner
from scheduler.clock import FakeClock
from scheduler.dispatcher import Dispatcher, DispatchStats
from scheduler.planner import Planner
from scheduler.runner import ReminderService
from tests.conftest import START


class FlakyPlanner:
    """Fails `failures` times (the database away), then plans nothing."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    async def plan(self, _now: datetime) -> int:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
        return 0


class StuckDispatcher:
    """A dispatcher whose pass never ends by itself (a database that does not answer)."""

    def __init__(self, *, stuck: bool = False) -> None:
        self.stuck = stuck
        self.stopped = False
        self.cancelled = False

    async def dispatch_due(self) -> DispatchStats:
        if self.stuck:
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                self.cancelled = True
                raise
        return DispatchStats()

    def stop(self) -> None:
        self.stopped = True


def service(planner: Any, dispatcher: Any) -> ReminderService:
    return ReminderService(
        planner=cast(Planner, planner),
        dispatcher=cast(Dispatcher, dispatcher),
        clock=FakeClock(START),
        catch_up_pauses=(0.0,),
    )


async def test_a_catch_up_that_fails_is_tried_again_until_it_succeeds_then_the_wake_ups_begin(
    caplog: pytest.LogCaptureFixture,
) -> None:
    planner = FlakyPlanner(failures=3)
    reminders = service(planner, StuckDispatcher())
    reminders.start()  # returns at once: the catch-up runs in the background
    assert planner.calls == 0
    await asyncio.wait_for(reminders.caught_up.wait(), timeout=5)
    assert planner.calls == 4
    assert reminders.scheduler is not None
    assert reminders.scheduler.running
    failures = [r for r in caplog.records if "catch-up at start failed" in r.getMessage()]
    assert len(failures) == 3
    assert "Connect call failed" in failures[0].getMessage()
    assert failures[0].exc_info is not None
    assert not any(r.exc_info for r in failures[1:])
    await reminders.stop()


async def test_a_stop_while_the_catch_up_waits_to_try_again_ends_it_at_once() -> None:
    planner = FlakyPlanner(failures=10**6)
    reminders = service(planner, StuckDispatcher())
    reminders.catch_up_pauses = (60.0,)
    reminders.start()
    for _ in range(100):  # the first try, a few turns of the loop away
        if planner.calls:
            break
        await asyncio.sleep(0)
    await asyncio.wait_for(reminders.stop(), timeout=1)
    assert planner.calls == 1
    assert reminders.scheduler is None
    assert not reminders.caught_up.is_set()


async def test_a_pass_that_does_not_end_after_the_stop_is_cancelled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "STOP_GRACE", 0.05)
    dispatcher = StuckDispatcher(stuck=True)
    reminders = service(FlakyPlanner(failures=0), dispatcher)
    reminders.start()
    await asyncio.sleep(0.01)
    await asyncio.wait_for(reminders.stop(), timeout=2)
    assert dispatcher.stopped
    assert dispatcher.cancelled
