"""Write docs/web-overview.png: the office's overview of the shipped plan on 13/01/2025, with a few
units' updates, as headless Chromium (Debian's) shows it. Rerun after changing the page:

    .venv/bin/python scripts/web_screenshot.py
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import running  # noqa: E402
from bot.settings import SHIPPED_PLAN, load_settings  # noqa: E402
from bot.web.site import start_page  # noqa: E402
from scheduler.clock import FakeClock  # noqa: E402
from tests.conftest import ADMIN_ID, START  # noqa: E402
from tests.helpers import say, text_of  # noqa: E402
from tests.integration.test_summaries import local, seed  # noqa: E402

OUT = ROOT / "docs" / "web-overview.png"


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            database_url=f"sqlite:///{folder}/shot.db", admins=str(ADMIN_ID), web_port=0, plan=str(SHIPPED_PLAN)
        )
        clock = FakeClock(START)
        async with running(settings, clock=clock) as app:
            await seed(app, clock)
            clock.set(local(2025, 1, 9, 9, 0))
            server = await start_page(settings, app.core)
            link = re.search(r"http\S+/vao/\S+", text_of(await say(app, ADMIN_ID, "/web", name="Văn phòng")))
            assert link, "no link"
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                page = await browser.new_page(viewport={"width": 1280, "height": 900})
                await page.goto(link.group(0))
                await page.wait_for_selector("table.overview")
                await page.screenshot(path=str(OUT), full_page=True)
                await browser.close()
            await server.stop()
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    asyncio.run(main())
