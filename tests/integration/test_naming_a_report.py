"""Words that name a report find it, and a question offers the reports a unit owes (issue 26, item 6)."""

from __future__ import annotations

from bot.app import App
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers import recorded, say, text_of
from tests.integration.test_reminders import register
from tests.integration.test_summaries import local

SIX_MONTHS = "Báo cáo kết quả thực hiện Chủ đề công tác 6 tháng"
MONTHLY = "Báo cáo tháng kết quả theo dõi"


async def test_tonghop_finds_a_report_by_more_of_its_words(app: App, clock: FakeClock) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    clock.set(local(2025, 6, 2, 9, 0))
    short = text_of(await say(app, ADMIN_ID, "/tonghop 6 tháng"))
    assert f"📊 {SIX_MONTHS}" in short
    for words in ("báo cáo 6 tháng", "bao cao 6 thang", "Báo cáo kết quả 6 tháng"):
        found = text_of(await say(app, ADMIN_ID, f"/tonghop {words}"))
        assert found == short, words


async def test_done_with_the_monthly_report_on_its_day_is_that_months(app: App, clock: FakeClock) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, 3001, "Nội vụ", name="Lan")
    clock.set(local(2025, 1, 20, 9, 0))
    await say(app, 3001, "kế hoạch đã nộp", name="Lan")
    answer = await say(app, 3001, "đã nộp báo cáo tháng", name="Lan")
    assert not answer.replies[0].buttons, [b[0].label for b in answer.replies[0].buttons]
    assert recorded(text_of(answer)).startswith(f"Đã ghi nhận: Phòng Nội vụ, {MONTHLY}")
    assert "20/01/2025" in text_of(await say(app, 3001, "/lichsu", name="Lan"))


async def test_the_question_keeps_the_overdue_reports(app: App, clock: FakeClock) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, 3001, "Nội vụ", name="Lan")
    for number, day in enumerate(("10/02", "11/02", "12/02", "13/02", "14/02", "17/02"), start=1):
        preview = await say(app, ADMIN_ID, f"/giao Nội vụ; trước {day}/2025; Nhiệm vụ số {number}")
        await say(app, ADMIN_ID, preview.replies[0].buttons[0][0].data)
    clock.set(local(2025, 2, 4, 9, 0))  # the plan (10/01) and January's monthly report (20/01) are late
    asked = await say(app, 3001, "xong rồi", name="Lan")
    labels = [row[0].label for row in asked.replies[0].buttons]
    assert any(label.endswith("(10/01)") for label in labels), labels
    assert any(label.endswith("(20/01)") for label in labels), labels
