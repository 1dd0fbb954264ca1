"""The core's rules played through `Core.handle` on the FakeStore: no database (issue 14).

The same stories as tests/integration (test_registration, test_updates, test_on_behalf), with the
same wording; the SQL itself stays tested there. Every message is one unit of work: `say` checks that
each commits exactly once, and a message that fails leaves nothing behind.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.core.types import Attachment
from storage.models import Reminder
from tests.helpers import recorded
from tests.unit.core_rules import (
    ADMIN,
    BYN,
    INTERNAL,
    INVALID,
    MONDAY,
    NOT_REGISTERED,
    PLAN,
    START,
    STRANGER,
    USED,
    Town,
    code_in,
    local,
    text_of,
)


@pytest.fixture
def town() -> Town:
    return Town()


async def test_the_office_invites_and_an_official_registers_once(town: Town) -> None:
    invited = await town.say(ADMIN, "/moi ban yen nhan")
    assert "Lời mời đăng ký cho phường Bần Yên Nhân" in text_of(invited)
    assert "Vai trò: cán bộ đầu mối" in text_of(invited)
    assert "Hiệu lực đến 08:00 09/01/2025" in text_of(invited)  # 7 days, in Hà Nội time
    code = code_in(invited)
    registered = await town.say(BYN, f"/dangky {code}", name="Trần Thị Lan")
    assert "Đăng ký thành công: anh/chị là cán bộ đầu mối của phường Bần Yên Nhân." in text_of(registered)
    assert f"{PLAN}: trước ngày 10/01/2025 (thứ Sáu)" in text_of(registered)
    assert "hạn chót theo quy định: hết ngày 09/01/2025 (thứ Năm)" in text_of(registered)
    assert "Báo cáo tháng" not in text_of(registered)  # the monthly duty is for five phòng only
    assert registered.menu == "official"
    assert await town.text(3003, f"/dangky {code}") == USED
    (official,) = town.fake.tables.officials.values()
    assert (official.unit_id, official.role, official.active) == (town.units["ban-yen-nhan"], "official", True)
    assert [e.action for e in town.fake.tables.audit.values()] == ["invite", "register"]
    assert (await town.text(BYN, "/toi")).startswith("Anh/chị: Trần Thị Lan")


async def test_five_wrong_codes_in_fifteen_minutes_stop_the_sixth(town: Town) -> None:
    code = code_in(await town.say(ADMIN, "/moi Cẩm Xá"))
    assert await town.text(BYN, "/dangky xin chao") == INVALID  # not code-shaped: not counted
    for guess in ("ABCDEFGHJK", "ABCDEFGHJM", "ABCDEFGHJN", "ABCDEFGHJP"):
        assert await town.text(BYN, f"/dangky {guess}") == INVALID
        town.clock.advance(timedelta(minutes=1))
    assert await town.text(BYN, "ABCDEFGHJQ") == INVALID  # a bare code counts too: the 5th
    assert await town.text(BYN, f"/dangky {code}") == (
        "Anh/chị đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau 08:15 02/01/2025, "
        "hoặc đề nghị Văn phòng gửi lời mời mới."
    )
    assert town.fake.tables.officials == {}
    town.clock.advance(timedelta(minutes=11, seconds=1))  # the first guess is now over 15 minutes old
    assert (await town.text(BYN, f"/dangky {code}")).startswith("Đăng ký thành công")
    failed = [e.actor for e in town.fake.tables.audit.values() if e.action == "register_failed"]
    assert failed == [f"telegram:{BYN}"] * 5


async def test_a_few_words_record_an_update(town: Town) -> None:
    await town.register(BYN, "Bần Yên Nhân")
    town.clock.set(MONDAY)
    assert await town.text(BYN, "đang làm 60%") == (
        f"Đã ghi nhận (09:00 ngày 06/01/2025): Phường Bần Yên Nhân, {PLAN}: đang thực hiện 60%."
    )
    (update,) = town.fake.tables.updates.values()
    assert (update.status, update.percent, update.raw_text, update.by_office) == (
        "in_progress",
        60,
        "đang làm 60%",
        False,
    )
    assert update.person_id == town.fake.tables.officials[1].person_id


async def test_done_twice_writes_one_update(town: Town) -> None:
    await town.register(BYN, "Bần Yên Nhân")
    town.clock.set(MONDAY)
    done = await town.text(BYN, "đã nộp")
    assert done.startswith(f"Đã ghi nhận (09:00 ngày 06/01/2025): Phường Bần Yên Nhân, {PLAN}: đã nộp.")
    assert "Sẽ không nhắc báo cáo này nữa" in done
    # a sent report no longer takes words: the second "đã nộp" finds nothing open
    again = await town.text(BYN, "đã nộp")
    assert again == "Hiện đơn vị không có báo cáo nào đang mở. Gửi /lich để xem các hạn sắp tới."
    # the office, which may correct a done report, is told it is on record already
    office = await town.text(ADMIN, "/capnhat Bần Yên Nhân: đã nộp")
    assert office == "Đã ghi nhận trước đó cho phường Bần Yên Nhân lúc 09:00 06/01/2025; không thay đổi gì."
    assert town.updates() == [("done", None, 1)]


async def test_a_second_tap_on_done_is_already_recorded(town: Town) -> None:
    await town.register(BYN, "Bần Yên Nhân")
    town.clock.set(MONDAY)
    await town.say(BYN, "đang làm 60%")  # the plan's occurrence row, which a reminder is about
    (update,) = town.fake.tables.updates.values()
    (account,) = (a for a in town.fake.tables.accounts.values() if a.user_id == str(BYN))
    reminder = Reminder(
        occurrence_id=update.occurrence_id,
        unit_id=town.units["ban-yen-nhan"],
        account_id=account.id or 0,
        step="-3w",
        audience="official",
        due_at=MONDAY,
        next_attempt_at=MONDAY,
        created_at=MONDAY,
    )
    reminder_id = town.fake.tables.insert("reminders", reminder).id
    tapped = await town.say(BYN, f"/baocao {reminder_id} done")
    assert recorded(text_of(tapped)).startswith(f"Đã ghi nhận: Phường Bần Yên Nhân, {PLAN}: đã nộp")
    assert tapped.tapped_note is not None
    assert tapped.tapped_note.startswith("Cán bộ đã cập nhật: đã nộp, lúc")
    late = await town.text(BYN, f"/baocao {reminder_id} done")
    assert late.startswith("Đã ghi nhận trước đó cho phường Bần Yên Nhân")
    assert town.updates() == [("in_progress", 60, 1), ("done", None, 2)]
    assert await town.text(STRANGER, f"/baocao {reminder_id} done") == NOT_REGISTERED


async def test_an_extension_is_asked_and_the_office_decides(town: Town) -> None:
    await town.say(ADMIN, "/toi", name="Văn phòng")  # the admin's account, which the office's copies reach
    await town.register(BYN, "Bần Yên Nhân")
    town.clock.set(local(2025, 1, 8, 9, 0))
    asked = await town.say(BYN, "xin gia hạn 3 ngày")
    assert asked.replies[0].text == (
        f"Đã gửi Văn phòng đề nghị gia hạn {PLAN} của phường Bần Yên Nhân đến hết ngày 14/01/2025 (thứ Ba)."
    )
    to_office = asked.replies[1]
    assert (to_office.channel, to_office.chat_id) == ("telegram", str(ADMIN))
    assert "từ hạn chót theo quy định 09/01/2025 đến hết ngày 14/01/2025" in to_office.text
    grant, refuse = to_office.buttons[0]
    assert (grant.label, refuse.label) == ("✅ Đồng ý", "❌ Không đồng ý")
    assert (grant.data, refuse.data) == ("/giahan 1 yes", "/giahan 1 no")
    assert town.updates() == [("extension_requested", None, 1)]
    assert await town.text(BYN, grant.data) == "Chỉ Văn phòng HĐND và UBND được dùng lệnh /giahan."

    decided = await town.say(ADMIN, grant.data)
    assert decided.replies[0].text.startswith("Đã đồng ý: UBND phường Bần Yên Nhân được gia hạn gửi")
    told = decided.replies[1]
    assert (told.channel, told.chat_id) == ("telegram", str(BYN))
    assert told.text.startswith("Văn phòng đã đồng ý: ")
    assert await town.text(ADMIN, refuse.data) == "Văn phòng đã cho ý kiến về đề nghị này."
    (extension,) = town.fake.tables.extensions.values()
    assert (extension.decision, extension.until.isoformat()) == ("granted", "2025-01-14")
    assert town.updates() == [("extension_requested", None, 1), ("extension_granted", None, 2)]
    assert [e.action for e in town.fake.tables.audit.values()][-1] == "extension_granted"


async def test_revoking_ends_the_role_and_tells_the_official(town: Town) -> None:
    await town.register(BYN, "Bần Yên Nhân", name="Lê Văn Bình")
    revoked = await town.say(ADMIN, "/thuhoi binh")
    assert revoked.replies[0].text == (
        "Đã thu hồi: Lê Văn Bình, cán bộ đầu mối của phường Bần Yên Nhân. Người này sẽ không nhận nhắc việc nữa."
    )
    notice = revoked.replies[1]
    assert (notice.channel, notice.chat_id) == ("telegram", str(BYN))
    assert "Văn phòng đã thu hồi" in notice.text
    (official,) = town.fake.tables.officials.values()
    assert (official.active, official.revoked_at) == (False, START)
    assert await town.text(BYN, "/toi") == NOT_REGISTERED
    assert "Không có cán bộ nào khớp" in await town.text(ADMIN, "/thuhoi binh")


async def test_each_person_chooses_their_language(town: Town) -> None:
    await town.register(BYN, "Bần Yên Nhân", name="Mai")
    assert await town.text(BYN, "/ngonngu en") == "From now on I will write to you in English."
    assert (await town.text(BYN, "/toi")).startswith("You: Mai")
    assert (await town.text(ADMIN, "/toi")).startswith("Anh/chị:")  # others keep Vietnamese
    assert [p.locale for p in town.fake.tables.persons.values()] == [None, "en"]
    assert (await town.text(STRANGER, "/ngonngu en")).startswith("You are not registered yet.")


@pytest.mark.parametrize("command", ["/tonghop", "/lich", "/lichsu", "/sua đã nộp", "/kenh", "/lienket"])
async def test_a_stranger_is_refused_the_registered_commands(town: Town, command: str) -> None:
    assert await town.text(STRANGER, command) == NOT_REGISTERED
    assert town.fake.tables.persons == {}


@pytest.mark.parametrize("command", ["/giahan 1 yes", "/moi Cẩm Xá", "/thuhoi 1", "/capnhat Cẩm Xá: đã nộp"])
async def test_an_official_is_not_the_office(town: Town, command: str) -> None:
    await town.register(BYN, "Bần Yên Nhân")
    name = command.split()[0][1:]
    assert await town.text(BYN, command) == f"Chỉ Văn phòng HĐND và UBND được dùng lệnh /{name}."
    assert len(town.fake.tables.invitations) == 1


async def test_a_message_that_fails_midway_leaves_nothing(town: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    """Registering writes the claim, the person, the official and the audit entry: all, or none."""
    code = code_in(await town.say(ADMIN, "/moi Cẩm Xá"))
    before = town.fake.tables.copy()

    async def broken(**values: Any) -> None:
        raise RuntimeError("the audit log is full")

    with monkeypatch.context() as patch:
        patch.setattr(town.fake, "audit", broken)
        assert await town.text(BYN, f"/dangky {code}", commits=0) == INTERNAL
    assert town.fake.tables == before  # no claim, no person, no official
    assert (await town.text(BYN, f"/dangky {code}")).startswith("Đăng ký thành công")  # the code still works


async def test_an_extension_that_fails_midway_records_no_request(town: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    await town.register(BYN, "Bần Yên Nhân")
    town.clock.set(local(2025, 1, 8, 9, 0))

    async def broken(**values: Any) -> None:
        raise RuntimeError("no more extensions")

    with monkeypatch.context() as patch:
        patch.setattr(town.fake, "add_extension", broken)  # after the update was written
        assert await town.text(BYN, "xin gia hạn 3 ngày", commits=0) == INTERNAL
    assert (town.fake.tables.updates, town.fake.tables.extensions) == ({}, {})
    assert town.fake.tables.occurrences  # the plan's deadline rows are the plan's, written apart: they stay
    asked = await town.text(BYN, "xin gia hạn 3 ngày")  # the core forgot the rows that were rolled back
    assert asked.startswith(f"Đã gửi Văn phòng đề nghị gia hạn {PLAN} của phường Bần Yên Nhân đến hết ngày 14/01/2025")
    (update,) = town.fake.tables.updates.values()
    assert (update.status, update.occurrence_id in town.fake.tables.occurrences) == ("extension_requested", True)


async def test_a_code_cancelled_expired_or_already_mine_is_refused(town: Town) -> None:
    cancelled = code_in(await town.say(ADMIN, "/moi Cẩm Xá"))
    assert await town.text(ADMIN, "/huymoi 1") == "Đã hủy lời mời #1; mã mời không còn dùng được."
    assert await town.text(BYN, f"/dangky {cancelled}") == (
        "Văn phòng đã hủy lời mời này. Vui lòng đề nghị Văn phòng gửi lời mời mới."
    )
    short = code_in(await town.say(ADMIN, "/moi Cẩm Xá 2"))
    await town.register(BYN, "Cẩm Xá")
    assert await town.text(BYN, f"/dangky {short}") == (
        "Anh/chị đã đăng ký là cán bộ đầu mối của xã Cẩm Xá. Lời mời chưa được dùng."
    )
    town.clock.advance(timedelta(days=2, seconds=1))
    assert await town.text(3003, f"/dangky {short}") == (
        "Lời mời đã hết hạn lúc 08:00 04/01/2025. Vui lòng đề nghị Văn phòng gửi lời mời mới."
    )
    assert [o.person_id for o in town.fake.tables.officials.values()] == [2]  # the admin is person 1


async def test_an_unsure_reply_becomes_buttons_and_a_choice_is_used_once(town: Town) -> None:
    await town.register(BYN, "Bần Yên Nhân")
    town.clock.set(MONDAY)
    question = await town.say(BYN, "Dạ")
    assert text_of(question).startswith(f"Chưa rõ “Dạ” ứng với tình trạng nào của {PLAN}")
    choices = [row[0] for row in question.replies[0].buttons]
    assert [b.label for b in choices] == [
        "✅ Đã nộp",
        "⏳ Đang thực hiện",
        "✍️ Chờ ký",
        "📭 Chưa có số liệu",
        "📅 Xin gia hạn",
    ]
    assert town.updates() == []
    assert "đã nộp" in await town.text(BYN, choices[0].data)
    assert (await town.text(BYN, choices[1].data)).startswith("Lựa chọn này không còn")  # the draft is used
    assert town.updates() == [("done", None, 1)]


async def test_a_file_is_the_submission_and_the_office_marks_it_received(town: Town) -> None:
    await town.say(ADMIN, "/toi", name="Văn phòng")
    await town.register(BYN, "Bần Yên Nhân")
    town.clock.set(MONDAY)
    filed = await town.say(BYN, "Kế hoạch của phường", attachment=Attachment("document", "BQAC", "KH-BYN.pdf"))
    assert recorded(filed.replies[0].text).startswith(f"Đã ghi nhận: Phường Bần Yên Nhân, {PLAN}: đã nộp")
    assert "Đã lưu tệp KH-BYN.pdf làm bản nộp." in filed.replies[0].text
    office = filed.replies[1]
    assert office.text == f"📥 UBND phường Bần Yên Nhân đã gửi {PLAN}: KH-BYN.pdf"
    received = await town.say(ADMIN, office.buttons[0][0].data)
    assert received.replies[0].text.startswith("Đã xác nhận nhận được: Phường Bần Yên Nhân")
    assert received.replies[1].text.startswith("Văn phòng đã nhận Kế hoạch triển khai")
    assert await town.text(ADMIN, office.buttons[0][0].data) == "Văn phòng đã xác nhận nhận được bản nộp này."
    (evidence,) = town.fake.tables.evidence.values()
    assert (evidence.file_id, evidence.caption, evidence.received_by) == ("BQAC", "Kế hoạch của phường", 1)


async def test_a_second_channel_is_linked_with_a_code_once(town: Town) -> None:
    await town.register(BYN, "Bần Yên Nhân", name="Lan")
    code = code_in(await town.say(BYN, "/lienket"))
    linked = await town.text("6ede9afa", f"/dangky {code}", channel="zalo", name="Lan Zalo")
    assert linked.startswith("Đã liên kết. Anh/chị nhận tin của bot qua: Telegram, Zalo.")
    assert (await town.text("ffff0000", f"/dangky {code}", channel="zalo")).startswith("Lời mời này đã được")
    assert await town.text("6ede9afa", "/kenh zalo", channel="zalo") == (
        "Kênh của anh/chị: Telegram, Zalo. Lời nhắc gửi tới: Zalo."
    )
    assert town.fake.tables.persons[2].channel == "zalo"
    assert await town.text(ADMIN, "/loimoi") == "Không có lời mời nào đang chờ sử dụng."  # a link code is no invitation
