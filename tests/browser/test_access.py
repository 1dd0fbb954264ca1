"""Who may do what on the page: an official sees their own unit only; every form carries its CSRF token;
a task given in the form reaches the official in chat, as /giao's does."""

from __future__ import annotations

from playwright.async_api import Browser

from bot.app import App
from bot.web.server import WebServer
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from tests.browser.conftest import signed_in
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import say
from tests.integration.test_reminders import register
from tests.integration.test_summaries import local


async def test_an_official_sees_their_own_unit_only(app: App, site: WebServer, browser: Browser) -> None:
    await register(app, 3001, "Bần Yên Nhân", name="Lan")
    await register(app, 3002, "Phan Đình Phùng", name="Minh")
    await say(app, 3001, "đang trình ký", name="Lan")
    page = await signed_in(browser, app, 3001)
    assert "/unit/" in page.url  # the link opens their unit's page
    assert await page.locator("h1").inner_text() == "Phường Bần Yên Nhân"
    assert "chờ ký" in await page.locator("#updates").inner_text()
    assert await page.get_by_role("link", name="Giao việc").count() == 0
    own = int(page.url.rsplit("/", 1)[1].split("?")[0])
    for path in ("/", f"/unit/{own + 1}", "/task", "/download/workbook"):
        response = await page.goto(site.url + path)
        assert response is not None
        assert response.status == 403, path


async def test_a_form_without_its_csrf_token_is_refused(app: App, site: WebServer, browser: Browser) -> None:
    page = await signed_in(browser, app, ADMIN_ID)
    for form in ({"words": "Nội vụ; 20/01; Báo cáo"}, {"words": "Nội vụ; 20/01; Báo cáo", "csrf": "guessed"}):
        response = await page.request.post(f"{site.url}/task", form=form)
        assert response.status == 403
        assert "tải lại trang" in await response.text()
    refused = await page.request.post(f"{site.url}/sign-out", form={})
    assert refused.status == 403
    response = await page.goto(f"{site.url}/")  # still signed in
    assert response is not None
    assert response.status == 200


async def test_a_task_given_in_the_form_reaches_the_official_in_chat(
    app: App, clock: FakeClock, site: WebServer, browser: Browser, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, 3001, "Nội vụ", name="Lan")
    clock.set(local(2025, 1, 6, 9, 0))
    page = await signed_in(browser, app, ADMIN_ID)
    await page.get_by_role("link", name="Giao việc").click()
    await page.get_by_label("Đơn vị; hạn; nội dung").fill("Nội vụ; trước 15/01/2025; Báo cáo rà soát biên chế")
    await page.get_by_role("button", name="Xem trước").click()
    answer = page.locator("#answer")
    assert "Báo cáo rà soát biên chế" in await answer.inner_text()
    assert "Phòng Nội vụ" in await answer.inner_text()
    await answer.get_by_role("button", name="✅ Giao").click()
    assert "Đã giao nhiệm vụ cho 1 đơn vị" in await page.locator("#answer").inner_text()
    await service.tick()
    [message] = [m for m in sender.to(3001) if m.step == "new"]
    assert message.text.startswith("📌 Nhiệm vụ mới")
    assert "Báo cáo rà soát biên chế" in message.text


async def test_a_task_changed_in_the_form_follows_the_same_rules_as_in_chat(
    app: App, clock: FakeClock, site: WebServer, browser: Browser
) -> None:
    """The edit form sends /nhiemvu's changes: a new deadline, new units, an end that asks to confirm; a
    past date is refused with the chat's sentence, and nothing changes."""
    clock.set(local(2025, 1, 6, 9, 0))
    page = await signed_in(browser, app, ADMIN_ID)
    await page.get_by_role("link", name="Giao việc").click()
    await page.get_by_label("Số nhiệm vụ").fill("2")
    await page.get_by_label("Hạn mới").fill("trước 01/01/2025")
    await page.get_by_role("button", name="Cập nhật").click()
    said = await page.locator("#answer").inner_text()
    assert "“trước 01/01/2025” đã qua: hạn mới phải là ngày sắp tới." in said
    await page.get_by_label("Số nhiệm vụ").fill("2")
    await page.get_by_label("Hạn mới").fill("trước ngày 25 hằng tháng")
    await page.get_by_label("Đơn vị thực hiện mới").fill("Nội vụ, Kinh tế")
    await page.get_by_role("button", name="Cập nhật").click()
    answer = await page.locator("#answer").inner_text()
    assert "Đã đổi hạn của nhiệm vụ số 2." in answer
    assert "Đã đổi đơn vị thực hiện nhiệm vụ số 2." in answer
    shown = (await say(app, ADMIN_ID, "/nhiemvu 2")).replies[0].text
    assert "Hạn: trước ngày 25 hằng tháng" in shown
    assert "(2): Phòng Nội vụ, Phòng Kinh tế" in shown
    await page.get_by_label("Số nhiệm vụ").fill("2")
    await page.get_by_label("Kết thúc nhiệm vụ này").check()
    await page.get_by_role("button", name="Cập nhật").click()
    await page.locator("#answer").get_by_role("button", name="✅ Kết thúc").click()
    assert "Đã kết thúc nhiệm vụ số 2." in await page.locator("#answer").inner_text()
