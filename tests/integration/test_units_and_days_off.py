"""Units and days off as the office's data (issue 15): `/themdonvi`, `/donvi <unit>` to rename, end or
merge a unit (and the decisions a merger asks for), `/ngaynghi` and `/ngaylam`, played as people would."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from bot.app import App
from bot.settings import SHIPPED_PLAN
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from storage.models import AuditEntry, HolidayOverride, Unit
from storage.plan import load_plan
from storage.plan_file import read_plan
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import say, text_of
from tests.integration.test_reminders import local, register, run_until

OFFICIAL, STRANGER = 2002, 9999
AN, BINH = 2101, 2102


async def _units(app: App) -> dict[str, Unit]:
    async with app.sessions() as session:
        return {unit.key: unit for unit in (await session.exec(select(Unit))).all()}


async def _actions(app: App) -> list[str]:
    async with app.sessions() as session:
        return [entry.action for entry in (await session.exec(select(AuditEntry))).all()]


async def test_the_office_adds_a_unit_into_a_group(app: App) -> None:
    said = text_of(await say(app, ADMIN_ID, "/themdonvi Dân tộc; phòng; phong-ban"))
    assert said.startswith("Đã thêm Phòng Dân tộc (mã dan-toc, phòng chuyên môn).")
    assert "Nhóm: phong-ban." in said
    assert "/moi dan-toc" in said
    assert "official" not in said  # no English in a Vietnamese answer (issue 26)
    unit = (await _units(app))["dan-toc"]
    assert (unit.short_name, unit.kind, unit.source, unit.valid_from) == (
        "Dân tộc",
        "phong",
        "office",
        date(2025, 1, 2),
    )
    assert "unit_add" in await _actions(app)
    shown = text_of(await say(app, ADMIN_ID, "/donvi dan toc"))
    assert "Mã: dan-toc; phòng chuyên môn" in shown
    assert "Nhóm: phong-ban." in shown
    assert "Báo cáo kết quả thực hiện" in shown  # the group's duties are its deadlines now
    # the new unit is in the plan: the planner's units of the phòng duties include it
    everyone = text_of(await say(app, ADMIN_ID, "/lich"))
    assert "25 đơn vị" in everyone  # 13 xã/phường, 11 phòng and the new one


async def test_adding_a_unit_refuses_what_it_cannot_take(app: App) -> None:
    assert "Ghi: /themdonvi" in text_of(await say(app, ADMIN_ID, "/themdonvi Dân tộc"))
    assert "Không rõ loại đơn vị “ấp”" in text_of(await say(app, ADMIN_ID, "/themdonvi Dân tộc; ấp"))
    taken = text_of(await say(app, ADMIN_ID, "/themdonvi Noi vu; phòng"))
    assert taken == "Đã có đơn vị trùng tên: Phòng Nội vụ (mã noi-vu). Không thêm đơn vị."
    assert "Không có nhóm “ban-khac”" in text_of(await say(app, ADMIN_ID, "/themdonvi Dân tộc; phòng; ban-khac"))
    await register(app, OFFICIAL, "Nội vụ")
    assert "Văn phòng" in text_of(await say(app, OFFICIAL, "/themdonvi Dân tộc; phòng"))
    assert "Văn phòng" in text_of(await say(app, STRANGER, "/themdonvi Dân tộc; phòng"))
    assert "dan-toc" not in await _units(app)


async def test_renaming_keeps_the_old_name_as_an_alias(app: App) -> None:
    assert "Ghi: /donvi tu-phap đổi tên <tên mới>" in text_of(await say(app, ADMIN_ID, "/donvi tu-phap doi ten"))
    refused = text_of(await say(app, ADMIN_ID, "/donvi Tư pháp đổi tên Nội vụ"))
    assert refused.startswith("Đã có đơn vị trùng tên: Phòng Nội vụ")
    said = text_of(await say(app, ADMIN_ID, "/donvi Tư pháp đổi tên Tư pháp và Hộ tịch"))
    assert said == "Đã đổi tên Phòng Tư pháp thành Phòng Tư pháp và Hộ tịch; tên cũ vẫn tìm được đơn vị."
    unit = (await _units(app))["tu-phap"]
    assert (unit.name, unit.short_name, unit.source) == ("Phòng Tư pháp và Hộ tịch", "Tư pháp và Hộ tịch", "office")
    assert text_of(await say(app, ADMIN_ID, "/donvi tu phap")).startswith("Phòng Tư pháp và Hộ tịch")
    assert "unit_rename" in await _actions(app)
    assert "không hiểu" not in text_of(await say(app, ADMIN_ID, "/donvi khong-co-don-vi doi ten X")).lower()
    await register(app, OFFICIAL, "Nội vụ")
    assert "Văn phòng" in text_of(await say(app, OFFICIAL, "/donvi tu-phap đổi tên Khác"))
    # a plan load leaves the office's unit as the office made it
    async with app.sessions() as session:
        changes = await load_plan(session, read_plan(SHIPPED_PLAN))
    assert "tu-phap" not in changes.updated_units + changes.retired_units
    assert (await _units(app))["tu-phap"].name == "Phòng Tư pháp và Hộ tịch"


async def test_ending_a_unit_bounds_its_deadlines(app: App) -> None:
    bad = {
        "/donvi y-te kết thúc 31/02/2025": "Không có ngày 31/02/2025.",
        "/donvi y-te kết thúc từ 01/01/2025": "Ngày 01/01/2025 đã qua",
        "/donvi y-te kết thúc sớm": "Ghi ngày theo dạng dd/mm/yyyy",
        "/donvi y-te kết thúc": "Ghi: /donvi y-te kết thúc từ",
    }
    for text, answer in bad.items():
        assert answer in text_of(await say(app, ADMIN_ID, text)), text
    said = text_of(await say(app, ADMIN_ID, "/donvi y-te kết thúc từ 02/01/2025"))
    assert said == ("Phòng Y tế hoạt động đến hết ngày 01/01/2025; từ ngày 02/01/2025 không còn thời hạn báo cáo nào.")
    assert (await _units(app))["y-te"].valid_to == date(2025, 1, 1)
    assert "23 đơn vị" in text_of(await say(app, ADMIN_ID, "/lich"))  # Y tế owes nothing now
    assert "đã chấm dứt hoạt động từ ngày" in text_of(await say(app, ADMIN_ID, "/donvi y-te kết thúc 03/01/2025"))


async def test_merging_refuses_itself_an_ended_unit_and_an_unknown_one(app: App) -> None:
    assert "Không thể sắp xếp một đơn vị vào chính nó." in text_of(
        await say(app, ADMIN_ID, "/donvi tu-phap sáp nhập vào Tư pháp từ 02/01/2025")
    )
    await say(app, ADMIN_ID, "/donvi y-te kết thúc từ 02/01/2025")
    refused = text_of(await say(app, ADMIN_ID, "/donvi tu-phap sáp nhập vào y-te từ 03/01/2025"))
    assert refused.startswith("Phòng Y tế không hoạt động vào ngày 03/01/2025")
    unknown = text_of(await say(app, ADMIN_ID, "/donvi tu-phap sáp nhập vào Không có từ 03/01/2025"))
    assert "Không có" in unknown
    past = text_of(await say(app, ADMIN_ID, "/donvi tu-phap sáp nhập vào Nội vụ từ 01/01/2025"))
    assert past.startswith("Ngày 01/01/2025 đã qua")
    assert (await _units(app))["tu-phap"].valid_to == date(2025, 6, 30)  # nothing changed
    later = text_of(await say(app, ADMIN_ID, "/donvi tu-phap sáp nhập vào Nội vụ từ 01/03/2025"))
    assert "sắp xếp vào Phòng Nội vụ từ ngày 01/03/2025 (hoạt động đến hết ngày 28/02/2025)" in later
    assert "Từ ngày 01/03/2025, /donvi tu-phap sẽ hỏi" in later


async def test_a_merger_asks_official_by_official_and_the_moved_one_is_reminded(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, AN, "Tư pháp", name="Nguyễn Văn An")
    await register(app, BINH, "Tư pháp", name="Trần Thị Bình")
    said = await say(app, ADMIN_ID, "/donvi tu-phap sắp xếp vào Nội vụ từ 02/01/2025")
    text = text_of(said)
    assert "Chờ Văn phòng quyết định (đã sắp xếp vào Phòng Nội vụ):" in text
    assert "Nguyễn Văn An có chuyển sang Phòng Nội vụ không?" in text
    datas = [button.data for reply in said.replies for row in reply.buttons for button in row]
    an = next(data for data in datas if data.endswith("chuyen") and "cb" in data)
    assert all(len(data.encode()) <= 64 for data in datas)
    # until answered, /donvi of the ended unit lists what waits
    assert "Trần Thị Bình có chuyển" in text_of(await say(app, ADMIN_ID, "/donvi tu-phap"))

    moved = await say(app, ADMIN_ID, an)
    assert "Nguyễn Văn An đã chuyển sang Phòng Nội vụ" in text_of(moved)
    told = [reply for reply in moved.replies if reply.chat_id == str(AN)]
    assert told
    assert "từ nay anh/chị nhận nhắc việc của Phòng Nội vụ" in told[0].text
    binh = next(
        data for data in datas if data.endswith("khong") and " cb " in data and data.split()[3] != an.split()[3]
    )
    assert "Trần Thị Bình không chuyển" in text_of(await say(app, ADMIN_ID, binh))
    assert "Chờ Văn phòng" not in text_of(await say(app, ADMIN_ID, "/donvi tu-phap"))
    assert "Không có cán bộ #999" in text_of(await say(app, ADMIN_ID, "/donvi tu-phap cb 999 chuyen"))
    assert {"unit_merge", "unit_merge_official", "unit_merge_official_added"} <= set(await _actions(app))

    await run_until(service, clock, local(2025, 1, 11, 0, 0))
    assert sender.to(AN), "the moved official receives Nội vụ's reminders"
    assert {m.unit_name for m in sender.to(AN)} == {"Phòng Nội vụ"}
    assert sender.to(BINH) == []


async def test_a_merger_moves_or_drops_the_tasks_naming_the_unit(app: App) -> None:
    async with app.core.stores() as store:
        plan = (await store.plans())[0]
        await store.add_duty(
            key="rieng-tu-phap",
            title="Báo cáo riêng",
            rule={"kind": "once", "date": "2025-02-20"},
            units=["tu-phap"],
            plan_id=plan.id,
        )
        await store.add_duty(
            key="rieng-y-te",
            title="Báo cáo y tế",
            rule={"kind": "once", "date": "2025-02-20"},
            units=["y-te"],
            plan_id=plan.id,
        )
        await store.commit()
    said = text_of(await say(app, ADMIN_ID, "/donvi tu-phap sáp nhập vào Nội vụ từ 02/01/2025"))
    assert "Các nhiệm vụ của đơn vị có chuyển sang Phòng Nội vụ không? (Báo cáo riêng)" in said
    assert "Các nhiệm vụ sau chuyển cho Phòng Nội vụ: Báo cáo riêng." in text_of(
        await say(app, ADMIN_ID, "/donvi tu-phap viec chuyen")
    )
    await say(app, ADMIN_ID, "/donvi y-te sáp nhập vào Nội vụ từ 02/01/2025")
    dropped = text_of(await say(app, ADMIN_ID, "/donvi y-te viec khong"))
    assert "Phòng Y tế không còn phải thực hiện: Báo cáo y tế." in dropped
    assert "Kết thúc do không còn đơn vị thực hiện: Báo cáo y tế." in dropped
    async with app.core.stores() as store:
        duties = {duty.key: duty for duty, _units in await store.plan_duties()}
    assert duties["rieng-tu-phap"].units == ["noi-vu"]
    assert "rieng-y-te" not in duties


async def test_a_day_off_moves_the_deadlines_it_touches(app: App) -> None:
    listed = text_of(await say(app, ADMIN_ID, "/ngaynghi"))
    assert "02/01/2026 (thứ Sáu): ngày nghỉ: Nghỉ bù Tết Dương lịch 2026" in listed  # the plan file's
    assert "(theo tệp kế hoạch)" in listed
    said = text_of(await say(app, ADMIN_ID, "/ngaynghi 19/03/2025 nghỉ bù"))
    assert said.startswith("Đã đặt 19/03/2025 (thứ Tư) là ngày nghỉ.")
    # "trước ngày 20 hằng tháng": the legal last day 19/3 is off now: aim for 18/3, legally until 20/3
    assert (
        "(hạn 20/03/2025): ngày đề nghị gửi 19/03/2025 → 18/03/2025; hạn chót theo quy định 19/03/2025 → 20/03/2025"
        in said
    )
    assert not app.core.calendar.is_working_day(date(2025, 3, 19))  # followed at once
    listed = text_of(await say(app, ADMIN_ID, "/ngaynghi"))
    assert "19/03/2025 (thứ Tư): ngày nghỉ: nghỉ bù (do Văn phòng đặt)" in listed
    assert "calendar_day" in await _actions(app)
    # a plan load keeps what the office set
    async with app.sessions() as session:
        await load_plan(session, read_plan(SHIPPED_PLAN))
        kept = await session.get(HolidayOverride, date(2025, 3, 19))
    assert kept is not None
    assert (kept.off, kept.source) == (True, "office")
    removed = text_of(await say(app, ADMIN_ID, "/ngaynghi xoa 19/03/2025"))
    assert removed.startswith("Đã bỏ điều chỉnh ngày 19/03/2025 (thứ Tư).")
    assert "hạn chót theo quy định 20/03/2025 → 19/03/2025" in removed
    assert app.core.calendar.is_working_day(date(2025, 3, 19))


async def test_a_working_saturday_and_bad_days(app: App) -> None:
    said = text_of(await say(app, ADMIN_ID, "/ngaylam 15/02/2025 làm bù"))
    assert said.startswith("Đã đặt 15/02/2025 (thứ Bảy) là ngày làm việc.")
    assert app.core.calendar.is_working_day(date(2025, 2, 15))
    bad = {
        "/ngaynghi 31/02/2025": "Không có ngày 31/02/2025.",
        "/ngaynghi 01/01/2025": "Ngày 01/01/2025 đã qua",
        "/ngaynghi mai": "Ghi ngày theo dạng dd/mm/yyyy",
        "/ngaylam 16/02/2025": "là Chủ nhật",
        "/ngaylam 17/02/2025": "đã là ngày làm việc",
        "/ngaynghi 16/02/2025": "đã là ngày nghỉ",
        "/ngaynghi xoa 18/02/2025": "không có điều chỉnh",
        "/ngaylam": "Thêm ngày nghỉ: /ngaynghi",
    }
    for text, answer in bad.items():
        assert answer.lower() in text_of(await say(app, ADMIN_ID, text)).lower(), text
    await register(app, OFFICIAL, "Nội vụ")
    assert "Văn phòng" in text_of(await say(app, OFFICIAL, "/ngaynghi 24/11/2025"))
    assert "Văn phòng" in text_of(await say(app, STRANGER, "/ngaylam 15/03/2025"))
    assert app.core.calendar.is_working_day(date(2025, 11, 24))
    assert "lấy từ tệp kế hoạch" in text_of(await say(app, ADMIN_ID, "/ngaynghi xoa 02/01/2026"))


async def test_an_ended_units_name_is_free_for_the_office_set_up_again(app: App, clock: FakeClock) -> None:
    """In 2026 the shipped phòng have ended (30/6/2025): the office adds the phòng it has now under the
    same names, and gives them a task (the clerk's first week in README, played in the demo)."""
    clock.set(local(2026, 11, 30, 8, 0))
    assert "Đã có đơn vị trùng tên" not in text_of(await say(app, ADMIN_ID, "/themdonvi Phòng Nội vụ; phòng"))
    assert text_of(await say(app, ADMIN_ID, "/themdonvi Kinh tế; phòng")).startswith("Đã thêm Phòng Kinh tế")
    units = await _units(app)
    assert (units["noi-vu"].valid_to, units["noi-vu-2"].valid_from) == (date(2025, 6, 30), date(2026, 11, 30))
    # a current unit's name is still taken
    assert "Đã có đơn vị trùng tên: Phòng Nội vụ (mã noi-vu-2)" in text_of(
        await say(app, ADMIN_ID, "/themdonvi Nội vụ; phòng")
    )
    preview = text_of(await say(app, ADMIN_ID, "/giao Nội vụ, Kinh tế; trước 04/12/2026; Báo cáo rà soát"))
    assert "🏢 2 đơn vị: Phòng Nội vụ, Phòng Kinh tế" in preview
