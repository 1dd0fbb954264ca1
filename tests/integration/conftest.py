"""Fixtures the integration tests share: a recording sender and the reminder service around it."""

from __future__ import annotations

import pytest

from bot.app import App
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from tests.fakes.sender import FakeSender
from tests.integration.test_reminders import fake_time_limiter


@pytest.fixture
def sender(clock: FakeClock) -> FakeSender:
    return FakeSender(clock=clock.now)


@pytest.fixture
def service(app: App, sender: FakeSender, clock: FakeClock) -> ReminderService:
    return app.reminders(sender, limiter=fake_time_limiter(clock))
