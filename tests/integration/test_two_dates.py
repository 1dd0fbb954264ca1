"""Two dates per deadline, played through the 6-month report of 2025 ("trước ngày 15 tháng 6").

15/6/2025 is a Sunday. The day to aim for is Friday 13/6, where the reminders count to; the legal last
day is Monday 16/6 (X−1 is a Saturday: Bộ luật Dân sự Art. 148.5), so a unit is on time through that
Monday and late only from Tuesday 17/6. Before the fix, the head was nudged at 08:00 on Monday 16/6
and every view called the unit late that day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.app import App
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import late_by_report, say, text_of
from tests.integration.test_reminders import HEAD, OFFICIAL, TZ, local, register, run_until

SIX_MONTHS = "Báo cáo kết quả thực hiện Chủ đề công tác 6 tháng"


def six_month_steps(sender: FakeSender, chat: int) -> list[tuple[str, datetime]]:
    return [
        (d.message.step, d.at.astimezone(TZ))
        for d in sender.delivered
        if d.message.chat_id == str(chat) and d.message.duty_title == SIX_MONTHS
    ]


async def _registered_in_june(app: App, clock: FakeClock) -> None:
    clock.set(local(2025, 6, 2, 9, 0))
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, OFFICIAL, "Bần Yên Nhân")
    await register(app, HEAD, "Bần Yên Nhân", "head")


async def test_no_nudge_before_the_legal_last_day_has_ended(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await _registered_in_june(app, clock)
    await run_until(service, clock, local(2025, 6, 18, 0, 0), step=timedelta(minutes=30))
    assert six_month_steps(sender, OFFICIAL) == [
        ("-7d", datetime(2025, 6, 6, 8, 0, tzinfo=TZ)),
        ("-3w", datetime(2025, 6, 10, 8, 0, tzinfo=TZ)),
        ("-1w", datetime(2025, 6, 12, 8, 0, tzinfo=TZ)),
        ("0", datetime(2025, 6, 13, 8, 0, tzinfo=TZ)),  # the day to aim for
        ("+1w", datetime(2025, 6, 17, 8, 0, tzinfo=TZ)),  # not Monday 16/6: the unit is on time all that day
    ]
    assert six_month_steps(sender, HEAD) == [("+1w", datetime(2025, 6, 17, 8, 0, tzinfo=TZ))]
    aim = next(m for m in sender.to(OFFICIAL) if m.duty_title == SIX_MONTHS and m.step == "0")
    text = (await app.core.render_reminder(aim)).text.splitlines()
    assert text[0] == "🔔 Hôm nay là ngày đề nghị gửi báo cáo"
    assert text[2] == "Theo Kế hoạch tổ chức thực hiện Chủ đề công tác năm 2025 của UBND thị xã Mỹ Hào"
    assert text[4:8] == [
        "Hạn: trước ngày 15/06/2025 (Chủ nhật)",
        "Đề nghị gửi chậm nhất ngày 13/06/2025 (thứ Sáu)",
        "Hạn chót theo quy định: hết ngày 16/06/2025 (thứ Hai) (14/06 là thứ Bảy; Điều 148 khoản 5 Bộ luật Dân sự)",
        "Chưa quá hạn cho đến hết hạn chót theo quy định.",
    ]
    nudge = next(m for m in sender.to(OFFICIAL) if m.duty_title == SIX_MONTHS and m.step == "+1w")
    assert "Đã quá hạn 1 ngày làm việc." in (await app.core.render_reminder(nudge)).text


async def test_the_views_call_a_unit_late_only_after_the_legal_last_day(app: App, clock: FakeClock) -> None:
    await _registered_in_june(app, clock)
    clock.set(local(2025, 6, 16, 15, 0))  # Monday: the legal last day
    late = text_of(await say(app, ADMIN_ID, "/quahan"))
    assert SIX_MONTHS not in late  # (the plan due 10/01, never sent, is late: that stays)
    summary = text_of(await say(app, ADMIN_ID, f"/tonghop {SIX_MONTHS}"))
    lines = summary.splitlines()
    assert lines[1:3] == [
        "Đề nghị gửi chậm nhất ngày 13/06/2025 (thứ Sáu)",
        "Hạn chót theo quy định: hết ngày 16/06/2025 (thứ Hai) (14/06 là thứ Bảy; Điều 148 khoản 5 Bộ luật Dân sự)",
    ]
    assert "⏰ Quá hạn" not in summary
    assert "• Phường Bần Yên Nhân" in lines[lines.index(next(x for x in lines if x.startswith("❔"))) + 1 :]

    clock.set(local(2025, 6, 17, 9, 0))  # Tuesday: late by one working day
    late = text_of(await say(app, ADMIN_ID, "/quahan"))
    assert "Phường Bần Yên Nhân: quá hạn 1 ngày làm việc" in late_by_report(late)[SIX_MONTHS]
    summary = text_of(await say(app, ADMIN_ID, f"/tonghop {SIX_MONTHS}"))
    assert "⏰ Quá hạn" in summary


async def test_the_office_hears_on_the_day_to_aim_for_and_on_the_legal_last_day(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await _registered_in_june(app, clock)
    await run_until(service, clock, local(2025, 6, 17, 0, 0), step=timedelta(minutes=30))
    digests = [
        d
        for d in sender.delivered
        if d.message.audience == "digest" and d.message.step in ("lastday", "legalday")
        if d.message.duty_title == SIX_MONTHS
    ]
    assert [(d.message.step, d.at.astimezone(TZ).strftime("%d/%m %H:%M")) for d in digests] == [
        ("lastday", "13/06 16:00"),
        ("legalday", "16/06 16:00"),
    ]
    aim = await app.core.render_reminder(digests[0].message)
    assert aim.text.startswith("⏳ Hôm nay là ngày đề nghị gửi (chưa quá hạn cho đến hết hạn chót theo quy định):")
    legal = await app.core.render_reminder(digests[1].message)
    assert legal.text.startswith("⏳ Hôm nay là hạn chót theo quy định (từ ngày mai là quá hạn):")
    assert "📊 Báo cáo kết quả thực hiện Chủ đề công tác 6 tháng" in legal.text
