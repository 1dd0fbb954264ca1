"""The office's details on the page: shown as /vanphong shows them, saved as /vanphong saves them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser

from bot.app import App, running
from bot.settings import load_settings
from bot.web.server import WebServer
from bot.web.site import start_page
from scheduler.clock import FakeClock
from tests.browser.conftest import link_for, signed_in
from tests.conftest import ADMIN_ID, START
from tests.helpers import say, text_of
from tests.integration.test_reminders import register


async def test_the_office_changes_its_details_on_the_page(app: App, site: WebServer, browser: Browser) -> None:
    page = await signed_in(browser, app, ADMIN_ID)
    await page.get_by_role("link", name="Thông tin Văn phòng").click()
    await page.wait_for_url("**/office")
    assert await page.locator("#parent").input_value() == "UBND thị xã Mỹ Hào"  # the plan file's, at the first start
    await page.locator("#parent").fill("UBND phường Mỹ Hào")
    await page.locator("#signer_name").fill("Nguyễn Văn An")
    await page.get_by_role("button", name="Lưu thay đổi").click()
    answer = await page.locator("#answer").inner_text()
    assert answer.startswith("Đã cập nhật thông tin Văn phòng:\n• Cấp trên: UBND phường Mỹ Hào")
    assert await page.locator("#place").input_value() == "Mỹ Hào"
    shown = text_of(await say(app, ADMIN_ID, "/vanphong"))
    assert "• Người ký: Nguyễn Văn An" in shown  # the chat reads what the page wrote
    assert "• Nơi nhận báo cáo: Văn phòng HĐND và UBND phường Mỹ Hào" in shown

    await page.locator("#agency").fill("")
    await page.get_by_role("button", name="Lưu thay đổi").click()
    assert (await page.locator("#answer").inner_text()).startswith("Mục “cơ quan” chưa có nội dung")
    assert await page.locator("#agency").input_value() == "Văn phòng HĐND và UBND"  # nothing was changed


async def test_an_official_and_a_forged_form_are_refused(app: App, site: WebServer, browser: Browser) -> None:
    await register(app, 3001, "Bần Yên Nhân", name="Lan")
    page = await signed_in(browser, app, 3001)
    response = await page.goto(page.url.split("/unit")[0] + "/office")
    assert response is not None
    assert response.status == 403
    office = await signed_in(browser, app, ADMIN_ID)
    base = (await link_for(app, ADMIN_ID)).split("/vao/")[0]
    posted = await office.request.post(f"{base}/office", form={"csrf": "forged", "parent": "X"})
    assert posted.status == 403
    assert "• Cấp trên: UBND thị xã Mỹ Hào" in text_of(await say(app, ADMIN_ID, "/vanphong"))


@pytest.fixture
async def new_office(database_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[App]:
    """A new database with no plan named: no unit but the office's own, no task."""
    monkeypatch.delenv("NHACVIEC_PLAN")
    settings = load_settings(database_url=database_url, admins=str(ADMIN_ID))
    async with running(settings, clock=FakeClock(START)) as application:
        yield application


async def test_a_new_office_s_page_answers_with_no_plan_and_no_unit(new_office: App, browser: Browser) -> None:
    server = await start_page(new_office.settings, new_office.core)
    try:
        page = await signed_in(browser, new_office, ADMIN_ID)
        assert "Không có báo cáo nào đang mở" in await page.locator("main").inner_text()
        await page.goto(page.url.split("?")[0].rstrip("/") + "/office")
        assert await page.locator("#parent").input_value() == ""  # for the office to fill in
        await page.locator("#parent").fill("UBND xã Nghĩa Trụ")
        await page.get_by_role("button", name="Lưu thay đổi").click()
        assert "• Địa danh: Nghĩa Trụ" in await page.locator("#answer").inner_text()
    finally:
        await server.stop()
