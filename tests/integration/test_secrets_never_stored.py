"""No secret is stored (issue 27): an API error whose description echoes the request's path carried the
bot's token into `reminder.last_error`, and from there into every backup. What is recorded of an error
is redacted as the logs are."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlmodel import select

from bot.app import App, running
from bot.settings import Settings, load_settings
from scheduler.clock import FakeClock
from scheduler.sending import Rejected, Transient
from storage.models import Reminder
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.integration.test_reminders import OFFICIAL, fake_time_limiter, register

TELEGRAM = "7712345678:AAHkZ9xQpL2mN8vR4tY6wE1uI3oP5aS7dF0"
ZALO = "zalo-bot-token-0f9e8d7c6b5a"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return load_settings(database_url=database_url, admins=str(ADMIN_ID), telegram_token=TELEGRAM, zalo_token=ZALO)


@pytest.fixture
async def app(settings: Settings, clock: FakeClock) -> AsyncIterator[App]:
    async with running(settings, clock=clock) as application:
        yield application


async def test_an_error_echoing_the_token_is_recorded_without_it(app: App, clock: FakeClock) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân")
    sender = FakeSender(clock=clock.now)
    key = TELEGRAM.partition(":")[2]
    sender.failures[str(OFFICIAL)] = [
        Transient(f"Server error on POST https://api.telegram.org/bot{TELEGRAM}/sendMessage"),
        Transient(f"timeout: /bot{TELEGRAM.replace(':', '%3A')}/sendMessage"),
        Transient(f"502 from https://bot-api.zaloplatforms.com/bot{ZALO}/sendMessage (key {key})"),
        Rejected(f"Bad Request: chat not found (https://api.telegram.org/bot{TELEGRAM}/sendMessage)"),
    ]
    service = app.reminders(sender, limiter=fake_time_limiter(clock))
    errors = []
    for _ in range(4):
        await service.tick()
        async with app.sessions() as session:
            errors += [row.last_error for row in (await session.exec(select(Reminder))).all() if row.last_error]
        clock.advance(service.dispatcher.lease)
    assert len(set(errors)) >= 4, errors
    for error in errors:
        for secret in (TELEGRAM, key, ZALO, "%3A"):
            assert secret not in error, error
    assert any("***" in error for error in errors)
