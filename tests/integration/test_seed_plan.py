"""The shipped plan (section IV of Mỹ Hào's 2025 plan): which duties fall when, and on which units.

The thị xã and its phòng ended on 30/6/2025 and its 13 xã/phường merged into 3 phường on 1/7/2025;
a unit owes an occurrence only when it is valid on the deadline the plan names, and the plan, whose
issuer ended on 30/6/2025, asks nothing after it unless the office carries it over to a successor body.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.app import App
from scheduler.clock import FakeClock
from scheduler.occurrences import PlannedOccurrence, occurrences_between
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import OLD_XA_PHUONG, PHONG, code_in, say, text_of
from tests.integration.test_reminders import fake_time_limiter

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NEW_PHUONG = ["my-hao", "duong-hao", "thuong-hong"]
FIVE = ["noi-vu", "tai-chinh-ke-hoach", "tai-nguyen-moi-truong", "kinh-te", "quan-ly-do-thi"]  # IV.2


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ).astimezone(UTC)  # type: ignore[misc]


async def planned_in(app: App, year: int) -> list[PlannedOccurrence]:
    """Every occurrence whose last day to send falls in `year`, with the units it applies to."""
    async with app.sessions() as session:
        return await occurrences_between(session, app.core.calendar, TZ, date(year, 1, 1), date(year, 12, 31))


def units_of(item: PlannedOccurrence) -> list[str]:
    return [unit.key for unit in item.units]


def dates(item: PlannedOccurrence) -> tuple[date, date, date]:
    """The day the plan names, the day to aim for and the legal last day."""
    found = item.occurrence
    return found.nominal, found.aim_day, found.legal_last_day


async def test_the_plan_s_duties_fall_in_2025_only(app: App) -> None:
    found = {(item.duty.key, item.occurrence.nominal) for item in await planned_in(app, 2025)}
    assert found == {
        ("ke-hoach-2025", date(2025, 1, 10)),
        ("bao-cao-6-thang", date(2025, 6, 15)),
        *{("bao-cao-thang-cam-ket", date(2025, month, 20)) for month in range(1, 7)},
    }  # the thị xã that issued it ended on 30/6/2025: no annual report, no monthly one after June
    assert await planned_in(app, 2026) == []  # November 2026 reminds nobody of a thị xã that ended
    assert await planned_in(app, 2027) == []


async def test_each_2025_deadline_applies_to_the_units_valid_on_it(app: App) -> None:
    by_key: dict[str, list[PlannedOccurrence]] = {}
    for item in await planned_in(app, 2025):
        by_key.setdefault(item.duty.key, []).append(item)
    # IV.1: every xã/phường and every phòng of the thị xã, as they were on the day
    (plan,) = by_key["ke-hoach-2025"]
    assert sorted(units_of(plan)) == sorted(OLD_XA_PHUONG + PHONG)
    (six_months,) = by_key["bao-cao-6-thang"]
    assert dates(six_months) == (date(2025, 6, 15), date(2025, 6, 13), date(2025, 6, 16))  # a Sunday
    assert sorted(units_of(six_months)) == sorted(OLD_XA_PHUONG + PHONG)
    assert "bao-cao-nam" not in by_key  # the plan ended with its issuer on 30/6/2025
    # IV.2: the five phòng, monthly while they exist (January to June)
    monthly = {item.occurrence.nominal.month: sorted(units_of(item)) for item in by_key["bao-cao-thang-cam-ket"]}
    assert monthly == {month: sorted(FIVE) for month in range(1, 7)}


async def test_carried_over_the_plan_asks_the_phuong_of_today(app: App) -> None:
    assert "được chuyển cho UBND phường Mỹ Hào" in text_of(
        await say(app, ADMIN_ID, "/kehoach 1 chuyển cho UBND phường Mỹ Hào")
    )
    by_key = {item.duty.key: item for item in await planned_in(app, 2025)}
    # after 1/7/2025 only the 3 new phường exist: the phòng ended with the thị xã on 30/6/2025
    annual = by_key["bao-cao-nam"]
    assert dates(annual) == (date(2025, 12, 15), date(2025, 12, 12), date(2025, 12, 15))  # Sunday 14/12
    assert sorted(units_of(annual)) == sorted(NEW_PHUONG)
    monthly = {
        item.occurrence.nominal.month: sorted(units_of(item))
        for item in await planned_in(app, 2025)
        if item.duty.key == "bao-cao-thang-cam-ket"
    }
    assert monthly == {month: sorted(FIVE) if month <= 6 else [] for month in range(1, 13)}


async def test_an_official_of_a_phong_sees_the_june_deadlines_and_nothing_after(app: App, clock: FakeClock) -> None:
    code = code_in(await say(app, ADMIN_ID, "/moi Nội vụ"))
    await say(app, 2001, f"/dangky {code}")
    clock.set(local(2025, 6, 2, 9, 0))
    mine = text_of(await say(app, 2001, "/lich"))
    assert "Các hạn của Phòng Nội vụ đến 01/08/2025:" in mine
    assert "trước ngày 15/06/2025 (Chủ nhật)" in mine  # the 6-month report
    assert "trước ngày 20/06/2025 (thứ Sáu)" in mine  # the monthly report of June
    assert "20/07/2025" not in mine  # the phòng ends on 30/6/2025
    clock.set(local(2025, 7, 1, 9, 0))
    assert "Báo cáo" not in text_of(await say(app, 2001, "/lich"))


async def test_a_new_phuong_is_told_of_the_annual_report_only(app: App, clock: FakeClock) -> None:
    clock.set(local(2025, 7, 2, 9, 0))
    assert "Hạn sắp tới:" not in text_of(await say(app, ADMIN_ID, "/donvi Mỹ Hào"))  # the plan ended
    await say(app, ADMIN_ID, "/kehoach 1 chuyển cho UBND phường Mỹ Hào")
    detail = text_of(await say(app, ADMIN_ID, "/donvi Mỹ Hào"))
    assert "Hạn sắp tới:" in detail
    assert "Báo cáo kết quả thực hiện Chủ đề công tác năm" in detail
    assert "15/12/2025" in detail
    assert "6 tháng" not in detail


async def test_the_office_keeps_working_after_its_unit_ended(app: App, clock: FakeClock) -> None:
    """The Văn phòng ended with the thị xã on 30/6/2025; its people, commands and digests did not."""
    await say(app, ADMIN_ID, "/kehoach 1 chuyển cho UBND phường Mỹ Hào")
    code = code_in(await say(app, ADMIN_ID, "/moi Văn phòng office"))
    assert "Đăng ký thành công" in text_of(await say(app, 4001, f"/dangky {code}", name="Chánh Văn phòng"))
    clock.set(local(2025, 9, 1, 9, 0))
    assert "Văn phòng HĐND và UBND thị xã: 1 cán bộ" in text_of(await say(app, 4001, "/donvi"))
    assert "Lời mời đăng ký cho Văn phòng HĐND và UBND thị xã" in text_of(await say(app, 4001, "/moi Văn phòng office"))
    assert "Chỉ Văn phòng" not in text_of(await say(app, 4001, "/tonghop"))
    clock.set(local(2025, 12, 12, 15, 59))  # the annual report's last day to send
    sender = FakeSender(clock=clock.now)
    service = app.reminders(sender, limiter=fake_time_limiter(clock))
    await service.tick()
    clock.set(local(2025, 12, 12, 16, 0))
    await service.tick()
    digests = [m for m in sender.to(4001) if m.audience == "digest"]
    assert [(m.step, m.nominal) for m in digests] == [("lastday", date(2025, 12, 15))]
    text = (await app.core.render_reminder(digests[0])).text
    assert "0/3 đơn vị đã nộp" in text
