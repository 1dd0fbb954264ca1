"""A plan sheet uploaded on the page: the same preview as in chat, applied by its ✅."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser

from bot.app import App
from bot.web.server import WebServer
from tests.browser.conftest import signed_in
from tests.conftest import ADMIN_ID
from tests.integration.test_plan_sheet import PLAN_2025, TASKS, template
from tests.sheets import filled


async def test_a_sheet_uploaded_is_previewed_and_applied(
    app: App, site: WebServer, browser: Browser, tmp_path: Path
) -> None:
    sheet = tmp_path / "ke-hoach.xlsx"
    sheet.write_bytes(filled(await template(app), plan=PLAN_2025, rows=TASKS))
    page = await signed_in(browser, app, ADMIN_ID)
    await page.get_by_role("link", name="Giao việc").click()
    await page.locator("input[name=sheet]").set_input_files(str(sheet))
    await page.get_by_role("button", name="Tải lên").click()
    answer = page.locator("#answer")
    assert "📥 Kế hoạch mới “Kế hoạch rà soát biên chế năm 2025”" in await answer.inner_text()
    await answer.get_by_role("button", name="✅ Áp dụng").click()
    assert "✅ Đã áp dụng kế hoạch “Kế hoạch rà soát biên chế năm 2025”" in await page.locator("#answer").inner_text()
