"""A task given in chat, over HTTP (issue 15): the office sends /giao, then the incoming công văn as a
PDF while the preview waits, taps ✅ Giao; the official of the unit receives the PDF itself with the
task's words as its caption and the status buttons, and one tap records the report and notes it on the
document's caption."""

from __future__ import annotations

from bot.app import App
from bot.channels.telegram import TelegramChannel
from scheduler.ratelimit import Limits
from scheduler.runner import ReminderService
from tests.conftest import ADMIN_ID
from tests.e2e.test_telegram_reminders import register
from tests.e2e.test_telegram_updates import buttons
from tests.fakes.telegram_api import FakeTelegramServer
from tests.helpers import recorded

OFFICIAL = 2002
TASK = "/giao Bần Yên Nhân; trước 20/01/2025; Báo cáo rà soát biên chế năm 2025"


async def test_the_incoming_document_reaches_the_unit_with_the_task(
    server: FakeTelegramServer, app: App, telegram: TelegramChannel
) -> None:
    reminders = app.reminders(telegram, limits=Limits.off())
    await register(server, OFFICIAL, "Bần Yên Nhân", "Lan")
    admin = server.user(ADMIN_ID, "Văn phòng")
    await admin.send(TASK)
    preview = await server.next_message(ADMIN_ID)
    assert preview["text"].startswith("📝 Nhiệm vụ mới, đề nghị kiểm tra trước khi giao:")
    await admin.send_document("CV-123-UBND.pdf", "application/pdf", reply_to=preview, content=b"%PDF-1.4 cv")
    kept = await server.next_message(ADMIN_ID)
    assert "CV-123-UBND.pdf" in kept["text"]
    await admin.tap(preview, buttons(preview)["✅ Giao"])
    assert (await server.next_message(ADMIN_ID))["text"].startswith("✅ Đã giao nhiệm vụ cho 1 đơn vị")

    await ReminderService.tick(reminders)
    told = await server.next_message(OFFICIAL)
    assert told["document"]["file_name"] == "CV-123-UBND.pdf"  # the file itself, by the id Telegram gave it
    assert told["caption"].startswith("📌 Nhiệm vụ mới do Văn phòng giao")
    assert "📎 Văn bản kèm theo: CV-123-UBND.pdf" in told["caption"]
    plan_reminder = await server.next_message(OFFICIAL)  # the plan's own reminder of the same morning
    assert plan_reminder["text"].startswith("🔔 Nhắc hạn báo cáo")
    await server.user(OFFICIAL).tap(told, buttons(told)["✅ Đã nộp"])
    confirmation = await server.next_message(OFFICIAL)
    assert recorded(confirmation["text"]).startswith(
        "Đã ghi nhận: Phường Bần Yên Nhân, Báo cáo rà soát biên chế năm 2025"
    )
    edited = next(m for m in server.messages_to(OFFICIAL) if m["message_id"] == told["message_id"])
    assert edited["caption"].endswith("Lan đã cập nhật: đã nộp, lúc 08:00 02/01/2025")  # the note on the caption
    assert "reply_markup" not in edited  # and the buttons are gone
