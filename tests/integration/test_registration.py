"""Inviting and registering through the core, on a real database."""

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.app import App
from scheduler.clock import FakeClock
from storage.models import AuditEntry, Invitation, Official
from tests.conftest import ADMIN_ID, START
from tests.helpers import code_in, say, text_of

OFFICIAL = 2002


async def _audit(app: App) -> list[str]:
    async with app.sessions() as session:
        return [entry.action for entry in (await session.exec(select(AuditEntry).order_by(AuditEntry.id))).all()]


async def _officials(app: App) -> list[Official]:
    async with app.sessions() as session:
        return list((await session.exec(select(Official))).all())


async def test_admin_invites_and_the_official_registers(app: App) -> None:
    invited = await say(app, ADMIN_ID, "/moi ban yen nhan")
    text = text_of(invited)
    assert "Lời mời đăng ký cho phường Bần Yên Nhân" in text
    assert "Vai trò: cán bộ đầu mối" in text
    assert "Hiệu lực đến 08:00 09/01/2025" in text  # 7 days, in Hà Nội time
    code = code_in(invited)

    registered = text_of(await say(app, OFFICIAL, f"/start {code}", name="Trần Thị Lan"))
    assert "Đăng ký thành công: anh/chị là cán bộ đầu mối của phường Bần Yên Nhân." in registered
    # the unit's duties with their next deadlines, the day to aim for and the legal last day
    assert "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025: trước ngày 10/01/2025 (thứ Sáu)" in registered
    assert "hạn chót theo quy định: hết ngày 09/01/2025 (thứ Năm)" in registered
    # a Sunday: aim for the Friday before, but the period legally runs to the Monday (Art. 148)
    assert (
        "trước ngày 15/06/2025 (Chủ nhật); đề nghị gửi chậm nhất ngày 13/06/2025 (thứ Sáu); "
        "hạn chót theo quy định: hết ngày 16/06/2025 (thứ Hai)"
    ) in registered
    assert "Báo cáo tháng" not in registered  # the monthly duty is for five departments only

    me = text_of(await say(app, OFFICIAL, "/toi"))
    assert "Anh/chị: Trần Thị Lan" in me
    assert "Phường Bần Yên Nhân: cán bộ đầu mối, từ 02/01/2025" in me
    assert "Telegram" in me
    assert await _audit(app) == ["invite", "register"]


async def test_the_invitation_stores_only_a_hash(app: App) -> None:
    code = code_in(await say(app, ADMIN_ID, "/moi Kinh tế head"))
    async with app.sessions() as session:
        invitation = (await session.exec(select(Invitation))).one()
    assert code not in invitation.code_hash
    assert invitation.role == "head"


async def test_a_bare_code_or_lowercase_code_also_registers(app: App) -> None:
    code = code_in(await say(app, ADMIN_ID, "/moi Nội vụ"))
    assert "Đăng ký thành công" in text_of(await say(app, OFFICIAL, code.lower()))


async def test_a_used_code_is_refused_and_nothing_changes(app: App) -> None:
    code = code_in(await say(app, ADMIN_ID, "/moi Dị Sử"))
    await say(app, OFFICIAL, f"/dangky {code}")
    again = text_of(await say(app, 3003, f"/dangky {code}"))
    assert again == "Lời mời này đã được sử dụng. Vui lòng đề nghị Văn phòng gửi lời mời mới."
    assert len(await _officials(app)) == 1


async def test_the_same_person_reusing_a_code_keeps_it_unused(app: App) -> None:
    first = code_in(await say(app, ADMIN_ID, "/moi Dị Sử"))
    second = code_in(await say(app, ADMIN_ID, "/moi Dị Sử"))
    await say(app, OFFICIAL, f"/dangky {first}")
    text = text_of(await say(app, OFFICIAL, f"/dangky {second}"))
    assert text == "Anh/chị đã đăng ký là cán bộ đầu mối của phường Dị Sử. Lời mời chưa được dùng."
    assert "Lời mời đăng ký cho phường Dị Sử" not in text_of(await say(app, ADMIN_ID, "/loimoi"))[:0]
    assert "#2 Phường Dị Sử" in text_of(await say(app, ADMIN_ID, "/loimoi"))


async def test_an_expired_code_is_refused(app: App, clock: FakeClock) -> None:
    code = code_in(await say(app, ADMIN_ID, "/moi Dị Sử 2"))
    clock.advance(timedelta(days=2, seconds=1))
    text = text_of(await say(app, OFFICIAL, f"/dangky {code}"))
    assert text == "Lời mời đã hết hạn lúc 08:00 04/01/2025. Vui lòng đề nghị Văn phòng gửi lời mời mới."
    assert await _officials(app) == []


@pytest.mark.parametrize("garbage", ["ABCDEFGHJK", "xin chao", "0000000000", "🙂🙂🙂", "'; DROP TABLE unit; --"])
async def test_garbage_codes_are_refused(app: App, garbage: str) -> None:
    text = text_of(await say(app, OFFICIAL, f"/dangky {garbage}"))
    assert text == "Mã mời không hợp lệ. Vui lòng kiểm tra lại, hoặc đề nghị Văn phòng gửi lời mời mới."
    assert await _officials(app) == []


async def test_a_cancelled_invitation_no_longer_works(app: App) -> None:
    code = code_in(await say(app, ADMIN_ID, "/moi Bạch Sam"))
    assert "#1 Phường Bạch Sam" in text_of(await say(app, ADMIN_ID, "/loimoi"))
    assert text_of(await say(app, ADMIN_ID, "/huymoi 1")) == "Đã hủy lời mời #1; mã mời không còn dùng được."
    refused = text_of(await say(app, OFFICIAL, f"/dangky {code}"))
    assert refused == "Văn phòng đã hủy lời mời này. Vui lòng đề nghị Văn phòng gửi lời mời mới."
    assert text_of(await say(app, ADMIN_ID, "/loimoi")) == "Không có lời mời nào đang chờ sử dụng."
    assert "không" in text_of(await say(app, ADMIN_ID, "/huymoi 1")).lower()
    assert await _audit(app) == ["invite", "cancel_invitation"]


async def test_the_same_code_used_twice_at_once_has_exactly_one_winner(app: App) -> None:
    code = code_in(await say(app, ADMIN_ID, "/moi Minh Đức"))
    outcomes = await asyncio.gather(*(say(app, 5000 + n, f"/dangky {code}") for n in range(6)))
    texts = [text_of(outcome) for outcome in outcomes]
    assert sum("Đăng ký thành công" in text for text in texts) == 1, texts
    assert sum("đã được sử dụng" in text for text in texts) == 5, texts
    assert len(await _officials(app)) == 1


async def test_unknown_and_ambiguous_units_get_candidates(app: App) -> None:
    unknown = await say(app, ADMIN_ID, "/moi Bần Yên Nan")
    assert text_of(unknown).startswith("Không tìm thấy đơn vị “Bần Yên Nan”. Có phải anh/chị muốn chọn:")
    assert "• Phường Bần Yên Nhân" in text_of(unknown)
    ambiguous = await say(app, ADMIN_ID, "/moi Ph head")
    assert "khớp với nhiều đơn vị" in text_of(ambiguous)
    buttons = [button for row in ambiguous.replies[0].buttons for button in row]
    assert [b.data for b in buttons] == ["/moi phan-dinh-phung head", "/moi phung-chi-kien head"]
    # a tap stands for its command
    chosen = text_of(await say(app, ADMIN_ID, buttons[1].data))
    assert "Lời mời đăng ký cho phường Phùng Chí Kiên" in chosen
    assert "Vai trò: thủ trưởng đơn vị" in chosen
    assert await _audit(app) == ["invite"]


async def test_an_old_name_invites_to_the_successor_after_the_merge(app: App, clock: FakeClock) -> None:
    clock.advance(timedelta(days=365))
    text = text_of(await say(app, ADMIN_ID, "/moi Bần Yên Nhân"))
    assert text.startswith("Phường Bần Yên Nhân đã được sắp xếp vào phường Mỹ Hào từ ngày 01/07/2025.")
    assert "Lời mời đăng ký cho phường Mỹ Hào" in text


async def test_strangers_cannot_use_office_commands(app: App) -> None:
    for command in ("/moi Bần Yên Nhân", "/donvi", "/thuhoi 1", "/loimoi", "/huymoi 1"):
        name = command.split()[0][1:]
        text = text_of(await say(app, 9999, command))
        assert text == f"Chỉ Văn phòng HĐND và UBND được dùng lệnh /{name}."
    assert await _audit(app) == []


async def test_an_official_is_not_the_office(app: App) -> None:
    code = code_in(await say(app, ADMIN_ID, "/moi Dị Sử"))
    await say(app, OFFICIAL, f"/dangky {code}")
    assert "Chỉ Văn phòng" in text_of(await say(app, OFFICIAL, "/moi Dị Sử"))


async def test_office_staff_registered_by_invitation_may_invite(app: App) -> None:
    code = code_in(await say(app, ADMIN_ID, "/moi Văn phòng office"))
    outcome = await say(app, 4004, f"/dangky {code}")
    assert outcome.menu == "office"
    assert "Lời mời đăng ký cho phường Dị Sử" in text_of(await say(app, 4004, "/moi Dị Sử"))


async def test_revoking_an_official_tells_them_and_keeps_history(app: App) -> None:
    code = code_in(await say(app, ADMIN_ID, "/moi Dị Sử"))
    await say(app, OFFICIAL, f"/dangky {code}", name="Lê Văn Bình")
    outcome = await say(app, ADMIN_ID, "/thuhoi binh")
    assert outcome.replies[0].text == (
        "Đã thu hồi: Lê Văn Bình, cán bộ đầu mối của phường Dị Sử. Người này sẽ không nhận nhắc việc nữa."
    )
    notice = outcome.replies[1]
    assert (notice.channel, notice.chat_id) == ("telegram", str(OFFICIAL))
    assert "Văn phòng đã thu hồi" in notice.text
    officials = await _officials(app)
    assert [(o.active, o.revoked_at is not None) for o in officials] == [(False, True)]
    assert "chưa đăng ký" in text_of(await say(app, OFFICIAL, "/toi"))
    assert await _audit(app) == ["invite", "register", "revoke"]
    assert "Không có cán bộ nào khớp" in text_of(await say(app, ADMIN_ID, "/thuhoi binh"))


async def test_revoke_asks_which_when_several_match(app: App) -> None:
    for user in (2101, 2102):
        code = code_in(await say(app, ADMIN_ID, "/moi Dị Sử"))
        await say(app, user, f"/dangky {code}", name=f"Cán bộ {user}")
    outcome = await say(app, ADMIN_ID, "/thuhoi Dị Sử")
    assert "Có nhiều cán bộ khớp" in text_of(outcome)
    assert [b.data for row in outcome.replies[0].buttons for b in row] == ["/thuhoi 1", "/thuhoi 2"]
    assert len([o for o in await _officials(app) if o.active]) == 2


async def test_units_overview_lists_units_without_officials_first(app: App) -> None:
    code = code_in(await say(app, ADMIN_ID, "/moi Bần Yên Nhân"))
    await say(app, OFFICIAL, f"/dangky {code}")
    lines = text_of(await say(app, ADMIN_ID, "/donvi")).splitlines()
    assert lines[0] == "Đơn vị và cán bộ đã đăng ký (25 đơn vị, 24 đơn vị chưa có ai):"
    assert lines[1] == "⚠️ Phường Phan Đình Phùng: 0 cán bộ"
    assert lines[-1] == "✅ Phường Bần Yên Nhân: 1 cán bộ"
    detail = text_of(await say(app, ADMIN_ID, "/donvi ban yen"))
    assert "#1 Nguyễn Văn A: cán bộ đầu mối (Telegram)" in detail
    assert "Hạn sắp tới:" in detail


async def test_help_depends_on_the_role(app: App) -> None:
    stranger = text_of(await say(app, 9999, "/huongdan"))
    office = text_of(await say(app, ADMIN_ID, "/help"))
    assert "/dangky" in stranger
    assert "/moi" not in stranger
    assert "/moi: mời cán bộ" in office
    assert "/thuhoi" in office


async def test_each_person_chooses_their_language(app: App, clock: FakeClock) -> None:
    code = code_in(await say(app, ADMIN_ID, "/moi Dị Sử"))
    await say(app, OFFICIAL, f"/dangky {code}", name="Mai")
    assert text_of(await say(app, OFFICIAL, "/ngonngu en")) == "From now on I will write to you in English."
    me = text_of(await say(app, OFFICIAL, "/toi"))
    assert me.startswith("You: Mai")
    assert "Phường Dị Sử: focal official, since 2 Jan 2025" in me  # dates in the English way too
    assert text_of(await say(app, OFFICIAL, "/ngonngu vi")) == "Từ nay hệ thống nhắn cho anh/chị bằng tiếng Việt."
    assert text_of(await say(app, OFFICIAL, "/ngonngu fr")).startswith("Gửi /ngonngu vi để dùng tiếng Việt")
    assert text_of(await say(app, ADMIN_ID, "/toi")).startswith("Anh/chị:")  # others keep Vietnamese
    assert text_of(await say(app, 9999, "/ngonngu en")).startswith("You are not registered yet.")


async def test_an_account_that_keeps_guessing_codes_is_stopped_for_a_while(app: App, clock: FakeClock) -> None:
    """5 code-shaped guesses that match nothing in 15 minutes: no code is checked until the oldest ages out."""
    code = code_in(await say(app, ADMIN_ID, "/moi Dị Sử"))
    invalid = "Mã mời không hợp lệ. Vui lòng kiểm tra lại, hoặc đề nghị Văn phòng gửi lời mời mới."
    assert text_of(await say(app, OFFICIAL, "/dangky xin chao")) == invalid  # not code-shaped: not counted
    for guess in ("ABCDEFGHJK", "ABCDEFGHJM", "ABCDEFGHJN", "ABCDEFGHJP"):
        assert text_of(await say(app, OFFICIAL, f"/dangky {guess}")) == invalid
        clock.advance(timedelta(minutes=1))
    assert text_of(await say(app, OFFICIAL, "ABCDEFGHJQ")) == invalid  # a bare code counts too (the 5th)
    stopped = text_of(await say(app, OFFICIAL, f"/dangky {code}"))  # even the right code waits
    assert stopped == (
        "Anh/chị đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau 08:15 02/01/2025, "
        "hoặc đề nghị Văn phòng gửi lời mời mới."
    )
    assert await _officials(app) == []
    assert text_of(await say(app, 2999, f"/dangky {code}")).startswith("Đăng ký thành công")  # others are not
    clock.advance(timedelta(minutes=11, seconds=1))  # the first guess is now over 15 minutes old
    retry = text_of(await say(app, OFFICIAL, f"/dangky {code}"))
    assert retry == "Lời mời này đã được sử dụng. Vui lòng đề nghị Văn phòng gửi lời mời mới."
    async with app.sessions() as session:
        failures = (await session.exec(select(AuditEntry).where(AuditEntry.action == "register_failed"))).all()
    assert [entry.actor for entry in failures] == [f"telegram:{OFFICIAL}"] * 5  # the office can see them


async def test_link_codes_are_not_invitations_the_office_lists(app: App) -> None:
    """A /lienket code is an invitation row with role "link": /loimoi once crashed on it (issue 12)."""
    code = code_in(await say(app, ADMIN_ID, "/moi Dị Sử"))
    await say(app, OFFICIAL, f"/dangky {code}")
    await say(app, OFFICIAL, "/lienket")
    await say(app, ADMIN_ID, "/lienket")  # the admin's code belongs to the office's own unit
    waiting = text_of(await say(app, ADMIN_ID, "/loimoi"))
    assert waiting == "Không có lời mời nào đang chờ sử dụng."
    detail = text_of(await say(app, ADMIN_ID, "/donvi Văn phòng"))
    assert detail.startswith("Văn phòng HĐND và UBND thị xã")
    assert "Lời mời #" not in detail
    code_in(await say(app, ADMIN_ID, "/moi Bạch Sam"))
    assert "#4 Phường Bạch Sam" in text_of(await say(app, ADMIN_ID, "/loimoi"))
    # a link code's number is not an invitation the office may cancel
    assert text_of(await say(app, ADMIN_ID, "/huymoi 2")) == "Không có lời mời đang chờ nào mang số 2. Xem /loimoi."
    assert text_of(await say(app, OFFICIAL, "/loimoi")) == "Chỉ Văn phòng HĐND và UBND được dùng lệnh /loimoi."


async def test_moi_says_which_part_is_wrong_and_reads_vietnamese_roles(app: App, clock: FakeClock) -> None:
    ambiguous = await say(app, ADMIN_ID, "/moi Ph thủ trưởng 14")
    # a tap keeps the role and the days asked for
    assert ambiguous.replies[0].buttons[0][0].data == "/moi phan-dinh-phung head 14"
    clock.set(START.replace(month=7))  # phường Đường Hào exists from 1/7/2025
    too_long = text_of(await say(app, ADMIN_ID, "/moi Đường Hào head 100"))
    assert too_long == (
        "Lời mời có hiệu lực từ 1 đến 90 ngày, không thể là 100 ngày. "
        "Ví dụ: /moi Đường Hào thủ trưởng 14 (mặc định 7 ngày)."
    )
    head = text_of(await say(app, ADMIN_ID, "/moi Đường Hào thủ trưởng"))
    assert "Lời mời đăng ký cho phường Đường Hào" in head
    assert "Vai trò: thủ trưởng đơn vị" in head
    assert "Vai trò: thủ trưởng đơn vị" in text_of(await say(app, ADMIN_ID, "/moi duong hao lanh dao"))
    official = text_of(await say(app, ADMIN_ID, "/moi Đường Hào cán bộ đầu mối 14"))
    assert "Vai trò: cán bộ đầu mối" in official
    assert "Hiệu lực đến 08:00 16/07/2025" in official
    office = text_of(await say(app, ADMIN_ID, "/moi Văn phòng văn phòng"))
    assert "Vai trò: cán bộ Văn phòng HĐND và UBND" in office
    unknown = text_of(await say(app, ADMIN_ID, "/moi Đường Hào trưởng phòng"))
    assert unknown == (
        "Đã tìm thấy phường Đường Hào nhưng không hiểu “trưởng phòng”. Sau tên đơn vị có thể ghi vai trò "
        "(cán bộ, thủ trưởng hoặc văn phòng) và số ngày hiệu lực (từ 1 đến 90), "
        "ví dụ: /moi Đường Hào thủ trưởng 14."
    )
    assert await _audit(app) == ["invite"] * 4


async def test_a_unit_that_does_not_exist_yet_says_when_it_starts(app: App) -> None:
    """On 2/1/2025 phường Mỹ Hào is not yet: it is formed on 1/7/2025 from four units."""
    outcome = await say(app, ADMIN_ID, "/moi Mỹ Hào thủ trưởng")
    assert text_of(outcome) == (
        "Phường Mỹ Hào chỉ có từ ngày 01/07/2025, hợp nhất từ: Phường Bần Yên Nhân, Phường Phan Đình Phùng, "
        "Phường Nhân Hòa, Xã Cẩm Xá. Trước ngày đó, anh/chị chọn một trong các đơn vị này:"
    )
    buttons = [button for row in outcome.replies[0].buttons for button in row]
    assert [(b.label, b.data) for b in buttons][:2] == [
        ("Phường Bần Yên Nhân", "/moi ban-yen-nhan head"),
        ("Phường Phan Đình Phùng", "/moi phan-dinh-phung head"),
    ]
    assert len(buttons) == 4
    detail = text_of(await say(app, ADMIN_ID, "/donvi my hao"))
    assert detail.startswith("Phường Mỹ Hào chỉ có từ ngày 01/07/2025")
    assert await _audit(app) == []
