"""A plan sheet over HTTP: the office asks for the template, sends it back filled as a document (the bot
downloads it as the Bot API says: getFile, then /file/bot<token>/<file_path>), reads the preview, taps
✅ Áp dụng, and the tasks exist."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from bot.app import App
from tests.conftest import ADMIN_ID
from tests.e2e.test_telegram_updates import buttons
from tests.fakes.telegram_api import FakeTelegramServer
from tests.sheets import PLAN_2025, TASKS, filled

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def test_the_office_sends_a_filled_sheet_and_taps_apply(server: FakeTelegramServer, telegram, app: App) -> None:  # type: ignore[no-untyped-def]
    admin = server.user(ADMIN_ID)
    await admin.send("/maukehoach")
    message = await server.next_message(ADMIN_ID)
    assert message["document"]["file_name"] == "mau-ke-hoach.xlsx"
    template = server.files[message["document"]["file_id"]].content
    assert load_workbook(BytesIO(template)).sheetnames == ["Kế hoạch", "Đơn vị"]

    await admin.send_document("ke-hoach-2025.xlsx", XLSX, content=filled(template, plan=PLAN_2025, rows=TASKS))
    preview = await server.next_message(ADMIN_ID)
    assert preview["text"].startswith("📥 Kế hoạch mới “Kế hoạch rà soát biên chế năm 2025”\nThêm mới 3 nhiệm vụ")
    await admin.tap(preview, buttons(preview)["✅ Áp dụng"])
    done = await server.next_message(ADMIN_ID)
    assert done["text"].startswith("✅ Đã áp dụng kế hoạch “Kế hoạch rà soát biên chế năm 2025”: thêm mới 3")
    async with app.core.stores() as store:
        plan = await store.plan_by_key("ra-soat-2025")
        assert plan is not None
        titles = [duty.title for duty in await store.duties_of_plan(plan.id or 0)]
    assert titles == [task["title"] for task in TASKS]
