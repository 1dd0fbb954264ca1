"""The office's web page in a real browser: headless Chromium driven by Playwright.

The browser is Debian's `chromium` (`.ci/run` installs it); Playwright never downloads one here. Without
it these tests skip, saying so."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

from bot.app import App
from bot.web.server import WebServer
from bot.web.site import start_page
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from tests.fakes.sender import FakeSender
from tests.helpers import say, text_of
from tests.integration.test_reminders import fake_time_limiter

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LINK = re.compile(r"https?://\S+/vao/[A-Za-z0-9_-]+")


def chromium_installed() -> bool:
    return Path(CHROMIUM).exists()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not chromium_installed():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium): the browser tests need it")
    async with async_playwright() as playwright:
        found = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            yield found
        finally:
            await found.close()


@pytest.fixture
async def site(app: App) -> AsyncIterator[WebServer]:
    """The page served by the app under test, on a port of its own; /web's links point at it."""
    server = await start_page(app.settings, app.core)
    try:
        yield server
    finally:
        await server.stop()


async def link_for(app: App, user_id: int | str, name: str = "Văn phòng") -> str:
    """The sign-in link `/web` gives this person in chat."""
    text = text_of(await say(app, user_id, "/web", name=name))
    found = LINK.search(text)
    assert found, text
    return found.group(0)


async def signed_in(browser: Browser, app: App, user_id: int | str, *, width: int = 1280) -> Page:
    """A new browser (its own cookies) signed in as this person, through the link /web gave."""
    context = await browser.new_context(viewport={"width": width, "height": 800})
    page = await context.new_page()
    await page.goto(await link_for(app, user_id))
    await page.wait_for_url(re.compile(r"/(unit/\d+)?(\?.*)?$"))
    return page


@pytest.fixture
def sender(clock: FakeClock) -> FakeSender:
    return FakeSender(clock=clock.now)


@pytest.fixture
def service(app: App, sender: FakeSender, clock: FakeClock) -> ReminderService:
    return app.reminders(sender, limiter=fake_time_limiter(clock))
