"""`/capnhat`: the office records a unit's update for it, marked as the office's; the officials are told."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import App
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers import recorded, say, text_of
from tests.integration.test_reminders import register
from tests.integration.test_updates import BYN, MONDAY, updates

KE_HOACH = "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025"


async def test_the_office_records_for_a_unit_and_its_officials_are_told(app: App, clock: FakeClock) -> None:
    await register(app, BYN, "Bần Yên Nhân", name="Lan")
    clock.set(MONDAY)
    outcome = await say(app, ADMIN_ID, "/capnhat Bần Yên Nhân: đã nộp bản giấy", name="Chánh Văn phòng")
    mine, *told = outcome.replies
    assert mine.text == (
        f"Đã ghi nhận (09:00 ngày 06/01/2025): Phường Bần Yên Nhân, {KE_HOACH}: đã nộp. (Văn phòng ghi nhận)\n"
        "Hệ thống dừng nhắc báo cáo này."  # the office is not thanked for its own record (issue 26)
    )
    assert mine.chat_id is None  # to the office, in its chat
    assert [(reply.channel, reply.chat_id, reply.text) for reply in told] == [
        (
            "telegram",
            str(BYN),
            f"Văn phòng đã ghi nhận cho phường Bần Yên Nhân, {KE_HOACH}: đã nộp lúc 09:00 06/01/2025.",
        )
    ]
    (update,) = await updates(app)
    assert (update.status, update.by_office, update.raw_text) == ("done", True, "đã nộp bản giấy")
    assert update.person_id is not None  # the office member who wrote it, not the unit's official
    # the unit's official now finds the duty closed, and Lan's history shows who recorded it
    assert "Văn phòng" in text_of(await say(app, BYN, "/lichsu"))


async def test_without_a_colon_the_unit_is_the_longest_name_at_the_start(app: App, clock: FakeClock) -> None:
    await register(app, BYN, "Bần Yên Nhân")
    clock.set(MONDAY)
    outcome = await say(app, ADMIN_ID, "/capnhat ban yen nhan dang lam 70% du kien 8/1")
    assert recorded(outcome.replies[0].text).startswith(
        f"Đã ghi nhận: Phường Bần Yên Nhân, {KE_HOACH}: đang thực hiện 70%, dự kiến xong 08/01/2025"
    )
    (update,) = await updates(app)
    assert (update.status, update.percent, update.by_office) == ("in_progress", 70, True)


async def test_the_office_may_correct_a_done_unit(app: App, clock: FakeClock) -> None:
    await register(app, BYN, "Bần Yên Nhân")
    clock.set(MONDAY)
    await say(app, BYN, "đã nộp")
    corrected = text_of(await say(app, ADMIN_ID, "/capnhat Bần Yên Nhân: chưa có số liệu"))
    assert recorded(corrected).startswith(f"Đã ghi nhận: Phường Bần Yên Nhân, {KE_HOACH}: chưa có số liệu")
    assert [(u.status, u.by_office) for u in await updates(app)] == [("done", False), ("no_data", True)]
    again = text_of(await say(app, ADMIN_ID, "/capnhat Bần Yên Nhân: chưa có số liệu"))
    assert recorded(again).startswith("Đã ghi nhận: Phường Bần Yên Nhân")  # history: the same words twice are kept
    done_twice = await say(app, ADMIN_ID, "/capnhat Bần Yên Nhân: đã nộp")
    assert len(await updates(app)) == 4
    assert text_of(await say(app, ADMIN_ID, "/capnhat Bần Yên Nhân: đã nộp")).startswith("Đã ghi nhận trước đó")
    assert recorded(done_twice.replies[0].text).startswith("Đã ghi nhận:")


async def test_an_unsure_reading_is_asked_back_and_a_tap_records_it(app: App, clock: FakeClock) -> None:
    await register(app, BYN, "Bần Yên Nhân")
    clock.set(MONDAY)
    asked = await say(app, ADMIN_ID, "/capnhat Bần Yên Nhân: ok")
    (reply,) = asked.replies
    assert reply.text.startswith("Chưa rõ “ok”")
    tap = next(button.data for row in reply.buttons for button in row if button.data.endswith(" in_progress"))
    tapped = await say(app, ADMIN_ID, tap)
    assert recorded(tapped.replies[0].text).startswith(f"Đã ghi nhận: Phường Bần Yên Nhân, {KE_HOACH}: đang thực hiện")
    assert [(u.status, u.by_office, u.raw_text) for u in await updates(app)] == [("in_progress", True, "ok")]


async def test_a_name_that_is_no_single_unit_gets_candidates(app: App, clock: FakeClock) -> None:
    clock.set(MONDAY)
    unknown = await say(app, ADMIN_ID, "/capnhat Hà Nội: đã nộp")
    assert unknown.replies[0].buttons  # the closest names, each a button carrying the update
    taps = [button.data for row in unknown.replies[0].buttons for button in row]
    assert all(tap.startswith("/capnhat ") and tap.endswith(": đã nộp") for tap in taps)
    assert await updates(app) == []


async def test_bad_input_wrong_people_and_wrong_moments(app: App, clock: FakeClock) -> None:
    await register(app, BYN, "Bần Yên Nhân")
    clock.set(MONDAY)
    usage = "Để ghi nhận thay cho một đơn vị: /capnhat <đơn vị>: <nội dung>, ví dụ /capnhat Bần Yên Nhân: đã nộp."
    assert text_of(await say(app, ADMIN_ID, "/capnhat")) == usage
    assert text_of(await say(app, ADMIN_ID, "/capnhat Bần Yên Nhân:")) == usage
    assert text_of(await say(app, ADMIN_ID, "/capnhat :đã nộp")) == usage
    assert text_of(await say(app, ADMIN_ID, "Bần Yên Nhân đã nộp")).endswith(usage)  # free text: the hint
    official = text_of(await say(app, BYN, "/capnhat Phan Đình Phùng: đã nộp"))
    assert "Văn phòng" in official  # only the office records for another unit
    stranger = text_of(await say(app, 9999, "/capnhat Bần Yên Nhân: đã nộp"))
    assert "Văn phòng" in stranger
    clock.set(datetime(2024, 11, 4, 2, 0, tzinfo=UTC))  # before the plan's first deadline takes reports
    closed = text_of(await say(app, ADMIN_ID, "/capnhat Bần Yên Nhân: đã nộp"))
    assert closed == "Phường Bần Yên Nhân hiện không có báo cáo nào đang mở."
    assert await updates(app) == []


async def test_an_official_who_reads_english_is_told_in_english(app: App, clock: FakeClock) -> None:
    await register(app, BYN, "Bần Yên Nhân")
    await say(app, BYN, "/ngonngu en")
    clock.set(MONDAY)
    _mine, told = (await say(app, ADMIN_ID, "/capnhat Bần Yên Nhân: 50%")).replies
    assert told.text.startswith("The office recorded for phường Bần Yên Nhân, Plan for implementing the 2025")
    assert "in progress 50%" in told.text
