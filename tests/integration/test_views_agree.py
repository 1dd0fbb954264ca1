"""The office's views tell the same truth about each unit (issue 12, "Views that agree")."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from bot.app import App
from messages.chart import cumulative
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers import recorded, say, text_of, workbook_rows
from tests.integration.test_summaries import local, seed

PLAN = "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025"


def _sheet_rows(content: bytes) -> dict[str, tuple[object, ...]]:
    book = load_workbook(BytesIO(content))
    sheet = book[book.sheetnames[1]]
    return {str(row[0]): row for row in workbook_rows(sheet)}


async def test_the_workbook_keeps_what_a_late_unit_said_and_counts_days_late_only_for_the_late(
    app: App, clock: FakeClock
) -> None:
    await seed(app, clock)  # on 08/01: BYN sent its plan, others in progress, waiting signature, no data
    clock.set(local(2025, 1, 13, 9, 0))
    workbook = (await say(app, ADMIN_ID, f"/xuat {PLAN}")).replies[0].document
    assert workbook is not None
    rows = _sheet_rows(workbook.content)
    # (unit, status, days late): a unit that sent on 08/01 for a legal last day of 09/01 was on time
    assert (rows["Phường Bần Yên Nhân"][2], rows["Phường Bần Yên Nhân"][6]) == ("Đã nộp", 0)
    assert (rows["Phường Phan Đình Phùng"][2], rows["Phường Phan Đình Phùng"][6]) == ("Đang thực hiện", 2)
    assert (rows["Phường Nhân Hòa"][2], rows["Phường Nhân Hòa"][6]) == ("Chờ ký", 2)
    assert (rows["Phường Dị Sử"][2], rows["Phường Dị Sử"][6]) == ("Chưa có số liệu", 2)
    assert (rows["Phường Minh Đức"][2], rows["Phường Minh Đức"][6]) == ("Chưa cập nhật", 2)
    assert (rows["Xã Cẩm Xá"][2], rows["Xã Cẩm Xá"][6]) == ("Chưa có cán bộ đăng ký nhận nhắc", 2)


async def test_the_workbook_says_a_refused_extension_and_not_started_instead_of_late(
    app: App, clock: FakeClock
) -> None:
    """A row says what the unit was told or said even when no group of /tonghop is named after it:
    "Quá hạn" in the status column lost the refusal (and repeated the days-late column)."""
    await seed(app, clock)  # Bạch Sam asked for 3 more days on 08/01
    await say(app, ADMIN_ID, f"/giahan {await _request_of(app)} no")
    await say(app, 3006, "chưa làm", name="Đức")
    clock.set(local(2025, 1, 13, 9, 0))
    workbook = (await say(app, ADMIN_ID, f"/xuat {PLAN}")).replies[0].document
    assert workbook is not None
    rows = _sheet_rows(workbook.content)
    bach_sam, minh_duc = rows["Phường Bạch Sam"], rows["Phường Minh Đức"]
    # the day asked for is no day the unit expects to send by: "Ngày dự kiến" stays empty (issue 26, item 9)
    assert (bach_sam[2], bach_sam[4], bach_sam[6]) == ("Không được gia hạn", None, 2)
    assert (minh_duc[2], minh_duc[6]) == ("Chưa thực hiện", 2)


async def test_a_status_the_office_recorded_is_not_hidden_behind_unreachable(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    answer = text_of(await say(app, ADMIN_ID, "/capnhat Ngọc Lâm: ko co sl"))
    assert recorded(answer).startswith("Đã ghi nhận: Xã Ngọc Lâm")
    summary = text_of(await say(app, ADMIN_ID, f"/tonghop {PLAN}")).splitlines()
    no_data = summary.index(next(line for line in summary if line.startswith("📭 Chưa có số liệu")))
    unreachable = summary.index(next(line for line in summary if line.startswith("🚫 Không liên lạc được")))
    assert any(line.startswith("• Xã Ngọc Lâm") for line in summary[no_data:unreachable])
    assert not any(line.startswith("• Xã Ngọc Lâm") for line in summary[unreachable:])


async def test_the_chart_counts_what_is_sent_now(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    await say(app, 3002, "đã nộp", name="Minh")
    await say(app, 3002, "/sua 50%", name="Minh")  # not sent after all
    chart = (await say(app, ADMIN_ID, f"/bieudo {PLAN}")).replies[0]
    assert chart.photo is not None
    assert chart.text == f"{PLAN}, hạn trước ngày 10/01/2025 (thứ Sáu): 1/24 đơn vị đã nộp"


def test_the_chart_draws_no_line_into_the_future() -> None:
    from datetime import UTC, datetime

    days = [date(2025, 1, day) for day in range(1, 11)]
    sent = [datetime(2025, 1, 2, 3, tzinfo=UTC), datetime(2025, 1, 5, 3, tzinfo=UTC)]
    assert cumulative(sent, days, today=date(2025, 1, 6)) == [0, 1, 1, 1, 2, 2, None, None, None, None]


async def test_a_refused_extension_is_no_request_any_more_and_the_history_says_so(app: App, clock: FakeClock) -> None:
    await seed(app, clock)  # Bạch Sam asked for 3 more days on 08/01
    asked = text_of(await say(app, ADMIN_ID, f"/tonghop {PLAN}"))
    assert "• Phường Bạch Sam — xin gia hạn, đến hết ngày 14/01/2025" in asked
    request = await _request_of(app)
    await say(app, ADMIN_ID, f"/giahan {request} no")
    summary = text_of(await say(app, ADMIN_ID, f"/tonghop {PLAN}"))
    assert "📅 Xin gia hạn" not in summary
    # not "không được gia hạn, đến hết ngày 14/01/2025", which reads as if it were (issue 26, item 9)
    assert "• Phường Bạch Sam — không được gia hạn đến ngày 14/01/2025" in summary
    history = text_of(await say(app, ADMIN_ID, "/lichsu Bạch Sam"))
    assert "không được gia hạn" in history


async def test_a_granted_extension_is_said_once_and_moves_the_units_dates(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    request = await _request_of(app)
    await say(app, ADMIN_ID, f"/giahan {request} yes")
    summary = text_of(await say(app, ADMIN_ID, f"/tonghop {PLAN}"))
    assert "• Phường Bạch Sam — được gia hạn, đến hết ngày 14/01/2025" in summary
    assert "đến hết ngày 14/01/2025, đến hết ngày" not in summary
    clock.set(local(2025, 1, 13, 9, 0))  # late for the others, not for Bạch Sam
    late = text_of(await say(app, ADMIN_ID, "/quahan"))
    assert "Bạch Sam" not in late
    calendar = text_of(await say(app, 3005, "/lich"))
    assert "Hạn chót theo quy định: hết ngày 14/01/2025 (thứ Ba)" in calendar  # the unit's own day
    week = text_of(await say(app, ADMIN_ID, f"/tonghop {PLAN}"))
    assert "Phường Bạch Sam — được gia hạn, đến hết ngày 14/01/2025" in week


async def _request_of(app: App) -> int:
    from sqlmodel import select

    from storage.models import Extension

    async with app.sessions() as session:
        return (await session.exec(select(Extension.id))).one() or 0


async def test_the_weekly_digest_names_an_extension_ending_that_week(app: App, clock: FakeClock) -> None:
    from datetime import timedelta

    from tests.fakes.sender import FakeSender
    from tests.integration.test_reminders import fake_time_limiter, run_until

    await seed(app, clock)
    await say(app, ADMIN_ID, f"/giahan {await _request_of(app)} yes")
    sender = FakeSender(clock=clock.now)
    service = app.reminders(sender, limiter=fake_time_limiter(clock))
    await run_until(service, clock, local(2025, 1, 13, 12, 0), step=timedelta(minutes=30))
    weekly = next(d for d in sender.delivered if d.message.step == "week-20250113")
    text = (await app.core.render_reminder(weekly.message)).text
    assert f"• Phường Bạch Sam, {PLAN}: được gia hạn đến hết ngày 14/01/2025" in text
    assert "Bạch Sam: quá hạn" not in text


async def test_a_unit_with_only_a_head_has_its_head_reminded_as_its_official(app: App, clock: FakeClock) -> None:
    from datetime import timedelta

    from tests.fakes.sender import FakeSender
    from tests.integration.test_reminders import HEAD, fake_time_limiter, register, run_until

    await register(app, HEAD, "Bần Yên Nhân", "head")
    sender = FakeSender(clock=clock.now)
    service = app.reminders(sender, limiter=fake_time_limiter(clock))
    await run_until(service, clock, local(2025, 1, 9, 12, 0), step=timedelta(hours=1))
    steps = [(m.step, m.audience) for m in sender.to(HEAD) if m.duty_title == PLAN]
    assert steps == [("-7d", "official"), ("-3w", "official"), ("-1w", "official"), ("0", "official")]


async def test_the_office_sees_that_a_units_head_is_reminded_for_want_of_an_official(
    app: App, clock: FakeClock
) -> None:
    from tests.integration.test_reminders import HEAD, register

    await register(app, HEAD, "Bần Yên Nhân", "head")
    detail = text_of(await say(app, ADMIN_ID, "/donvi Bần Yên Nhân"))
    assert "Chưa có cán bộ đầu mối: thủ trưởng nhận lời nhắc trong thời gian này." in detail


async def test_a_unit_that_has_not_started_says_so_in_the_summary(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    await say(app, 3006, "chưa làm", name="Đức")
    summary = text_of(await say(app, ADMIN_ID, f"/tonghop {PLAN}"))
    assert "• Phường Minh Đức — chưa thực hiện" in summary
