"""The web page's hardening (issue 27): security headers on every response, no software version in
`Server`, no sign-in from another site's form (login CSRF), and guesses of a link slowed per address
while a real link still works."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from bot.app import App
from bot.web.server import WebServer
from bot.web.site import start_page
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers import say, text_of

LINK = re.compile(r"https?://\S+/vao/[A-Za-z0-9_-]+")


@pytest.fixture
async def site(app: App) -> AsyncIterator[WebServer]:
    server = await start_page(app.settings, app.core)
    try:
        yield server
    finally:
        await server.stop()


async def link(app: App) -> str:
    found = LINK.search(text_of(await say(app, ADMIN_ID, "/web", name="Văn phòng")))
    assert found
    return found.group(0)


async def test_every_response_carries_the_headers_and_no_version(app: App, site: WebServer) -> None:
    async with httpx.AsyncClient(base_url=site.url) as client:
        for path in ("/", "/static/style.css", "/static/page.js", "/healthz", "/no-such-page", "/vao/abc"):
            response = await client.get(path)
            headers = response.headers
            assert "script-src 'self'" in headers["content-security-policy"], path
            assert "frame-ancestors 'none'" in headers["content-security-policy"], path
            assert headers["x-frame-options"] == "DENY", path
            assert headers["x-content-type-options"] == "nosniff", path
            assert headers["referrer-policy"] == "same-origin", path
            assert headers["server"] == "nhacviec", path


async def test_a_sign_in_posted_from_another_site_signs_nobody_in(app: App, site: WebServer) -> None:
    url = await link(app)
    async with httpx.AsyncClient() as client:
        for headers in (
            {"Origin": "https://evil.example"},
            {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
            {"Sec-Fetch-Site": "same-site"},
        ):
            refused = await client.post(url, headers=headers)
            assert refused.status_code == 403, headers
            assert "nhacviec_session" not in refused.cookies
        origin = site.url
        ours = await client.post(url, headers={"Origin": origin, "Sec-Fetch-Site": "same-origin"})
        assert ours.status_code == 303  # the link was not spent by the refusals
        assert "nhacviec_session" in ours.cookies


async def test_guesses_of_a_link_are_slowed_and_a_real_link_works_after_a_wait(
    app: App, site: WebServer, clock: FakeClock
) -> None:
    url = await link(app)
    guess = url.rsplit("/", 1)[0] + "/" + "A" * 43
    async with httpx.AsyncClient() as client:
        answers = [(await client.post(guess)).status_code for _ in range(12)]
        assert answers == [410] * 10 + [429] * 2
        slowed = await client.post(url)
        assert slowed.status_code == 429
        assert 1 <= int(slowed.headers["retry-after"]) <= 6
        clock.advance(timedelta(seconds=6))
        assert (await client.post(url)).status_code == 303  # the real link, not spent by the wait
        assert (await client.post(guess)).status_code == 410
        assert (await client.post(guess)).status_code == 429  # a minute of guessing is ten guesses
