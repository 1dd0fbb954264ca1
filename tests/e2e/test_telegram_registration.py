"""A person's view: the office invites on Telegram, the official taps the link, both see the right answers."""

from __future__ import annotations

import asyncio
import io
import logging
import re

import pytest

from bot.channels.telegram import TelegramChannel
from bot.logs import configure_logging
from messages.common import commands_for
from storage.models import Role
from tests.conftest import ADMIN_ID
from tests.e2e.conftest import TOKEN
from tests.fakes.telegram_api import FakeTelegramServer

LINK = re.compile(r"https://t\.me/nhacviec_test_bot\?start=([A-Z2-9]{10})")

pytestmark = pytest.mark.usefixtures("telegram")


async def _invite(server: FakeTelegramServer, unit: str) -> str:
    admin = server.user(ADMIN_ID, "Văn phòng")
    await admin.send(f"/moi {unit}")
    message = await server.next_message(ADMIN_ID)
    found = LINK.search(message["text"])
    assert found, message["text"]
    return found.group(1)


async def test_the_admin_invites_and_the_official_registers_through_the_deep_link(server: FakeTelegramServer) -> None:
    admin = server.user(ADMIN_ID, "Văn phòng")
    await admin.send("/moi ban yen nhan")
    invitation = (await server.next_message(ADMIN_ID))["text"]
    assert invitation.startswith("Lời mời đăng ký cho phường Bần Yên Nhân\nVai trò: cán bộ đầu mối\nĐường link: ")
    code = LINK.search(invitation).group(1)  # type: ignore[union-attr]
    assert f"Mã: {code}" in invitation
    assert "Hiệu lực đến 08:00 09/01/2025" in invitation

    official = server.user(2002, "Lan", "Trần Thị", username="lan_byn")
    await official.send(f"/start {code}")  # what Telegram sends when the link is opened
    welcome = (await server.next_message(2002))["text"]
    assert welcome.startswith("Đăng ký thành công: anh/chị là cán bộ đầu mối của phường Bần Yên Nhân.")
    assert "trước ngày 10/01/2025 (thứ Sáu); hạn chót theo quy định: hết ngày 09/01/2025 (thứ Năm)" in welcome

    await official.send("/toi")
    me = (await server.next_message(2002))["text"]
    assert me.splitlines() == [
        "Anh/chị: Lan Trần Thị",
        "• Phường Bần Yên Nhân: cán bộ đầu mối, từ 02/01/2025",
        "Kênh đã liên kết: Telegram (@lan_byn)",
    ]

    await admin.send("/donvi")
    overview = (await server.next_message(ADMIN_ID))["text"]
    assert overview.splitlines()[-1] == "✅ Phường Bần Yên Nhân: 1 cán bộ"


async def test_the_command_menu_is_set_for_everyone_and_for_the_office(server: FakeTelegramServer) -> None:
    default = [c["command"] for c in server.commands_for({"type": "default"})]
    assert default == [c for c, _ in commands_for(None)]
    everyone = {"lich", "lichsu", "tonghop", "kehoach", "nhiemvu", "sua", "toi", "dangky", "ngonngu", "lienket"}
    assert everyone | {"kenh", "web", "huongdan", "dunghan"} == set(default)
    english = {c["command"]: c["description"] for c in server.commands_for({"type": "default"}, "en")}
    assert english["toi"] == "who I am: unit, role, linked channels"
    vietnamese = {c["command"]: c["description"] for c in server.commands_for({"type": "default"})}
    assert vietnamese["toi"] == "thông tin của anh/chị: đơn vị, vai trò, kênh liên kết"
    admin = server.user(ADMIN_ID, "Văn phòng")
    await admin.send("/huongdan")
    await server.next_message(ADMIN_ID)
    office = [c["command"] for c in server.commands_for({"type": "chat", "chat_id": ADMIN_ID})]
    assert office == [c for c, _ in commands_for(Role.OFFICE)]
    assert office[: len(default)] == default  # the office's menu adds to everyone's
    assert {"moi", "donvi", "quahan", "loimoi", "huymoi", "thuhoi"} <= set(office)


async def test_an_ambiguous_unit_is_chosen_with_a_tap(server: FakeTelegramServer) -> None:
    admin = server.user(ADMIN_ID, "Văn phòng")
    await admin.send("/moi Ph")
    question = await server.next_message(ADMIN_ID)
    assert question["text"].startswith("“Ph” khớp với nhiều đơn vị.")
    labels = [row[0]["text"] for row in question["reply_markup"]["inline_keyboard"]]
    assert labels == ["Phường Phan Đình Phùng", "Phường Phùng Chí Kiên"]
    query_id = await admin.tap(question, "/moi phung-chi-kien official")
    invitation = await server.next_message(ADMIN_ID)
    assert invitation["text"].startswith("Lời mời đăng ký cho phường Phùng Chí Kiên")
    assert query_id in server.answered_callbacks


async def test_the_same_link_opened_twice_at_once_registers_exactly_one(server: FakeTelegramServer) -> None:
    code = await _invite(server, "Dị Sử")
    people = [server.user(3000 + n, f"Người {n}") for n in range(4)]
    await asyncio.gather(*(person.send(f"/start {code}") for person in people))
    answers = [(await server.next_message(person.id))["text"] for person in people]
    assert sum(a.startswith("Đăng ký thành công") for a in answers) == 1, answers
    assert sum(a.startswith("Lời mời này đã được sử dụng") for a in answers) == 3, answers


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("/moi Bần Yên Nhân", "Chỉ Văn phòng HĐND và UBND được dùng lệnh /moi."),
        ("/dangky GARBAGE!!", "Mã mời không hợp lệ."),
        ("/start ABCDEFGHJK", "Mã mời không hợp lệ."),
        ("🙂🙂🙂", "Xin chào! Đây là Nhắc việc"),
        ("x" * 5000, "Tin nhắn quá dài (5000 ký tự; tối đa 4096)."),
        ("/không_có", "Không có lệnh /không_có."),
    ],
)
async def test_a_stranger_gets_clear_answers(server: FakeTelegramServer, text: str, answer: str) -> None:
    stranger = server.user(9999, "Lạ")
    await stranger.send(text)
    reply = await server.next_message(9999)
    assert reply["text"].startswith(answer), reply["text"]


async def test_an_expired_or_used_code_over_telegram(server: FakeTelegramServer, telegram: TelegramChannel) -> None:
    code = await _invite(server, "Cẩm Xá")
    first, second = server.user(4001, "A"), server.user(4002, "B")
    await first.send(f"/dangky {code}")
    assert (await server.next_message(4001))["text"].startswith("Đăng ký thành công")
    await second.send(f"/dangky {code}")
    assert (await server.next_message(4002))["text"].startswith("Lời mời này đã được sử dụng")
    from datetime import timedelta

    code = await _invite(server, "Cẩm Xá")
    telegram.core.clock.advance(timedelta(days=8))  # type: ignore[attr-defined]
    await second.send(f"/dangky {code}")
    assert (await server.next_message(4002))["text"].startswith("Lời mời đã hết hạn lúc 08:00 09/01/2025.")


async def test_a_group_chat_is_told_to_write_privately(server: FakeTelegramServer) -> None:
    member = server.user(5005, "Tổ viên")
    group = server.group(-100777, "Tổ công tác")
    await group.send(member, "/moi@nhacviec_test_bot Bần Yên Nhân")
    reply = await server.next_message(-100777)
    assert reply["text"].startswith("Hệ thống chỉ làm việc trong tin nhắn riêng")


async def test_a_photo_without_words_is_answered(server: FakeTelegramServer) -> None:
    person = server.user(6006, "Ảnh")
    await person.send_photo()
    assert (await server.next_message(6006))["text"].startswith("Hệ thống chỉ đọc được tin nhắn chữ.")


async def test_revocation_reaches_the_revoked_official(server: FakeTelegramServer) -> None:
    code = await _invite(server, "Xuân Dục")
    official = server.user(7007, "Bình", "Lê Văn")
    await official.send(f"/start {code}")
    await server.next_message(7007)
    admin = server.user(ADMIN_ID, "Văn phòng")
    await admin.send("/thuhoi Bình")
    assert (await server.next_message(ADMIN_ID))["text"].startswith("Đã thu hồi: Bình Lê Văn")
    assert (await server.next_message(7007))["text"].startswith("Văn phòng đã thu hồi đăng ký")


async def test_a_blocked_official_does_not_break_revocation(server: FakeTelegramServer) -> None:
    code = await _invite(server, "Ngọc Lâm")
    official = server.user(7008, "Chi")
    await official.send(f"/start {code}")
    await server.next_message(7008)
    official.block()
    admin = server.user(ADMIN_ID, "Văn phòng")
    await admin.send("/thuhoi Chi")
    assert (await server.next_message(ADMIN_ID))["text"].startswith("Đã thu hồi: Chi")
    await admin.send("/toi")
    assert (await server.next_message(ADMIN_ID))["text"].startswith("Anh/chị: Văn phòng")


async def test_logs_never_show_the_token(server: FakeTelegramServer) -> None:
    buffer = io.StringIO()
    configure_logging(verbose=True, secrets=[TOKEN], stream=buffer)
    try:
        logging.getLogger("telegram").debug("request to %s", f"{server.base_url}{TOKEN}/getMe")
        await _invite(server, "Hưng Long")
    finally:
        logging.getLogger().handlers.clear()
    assert buffer.getvalue()
    assert TOKEN not in buffer.getvalue()
    assert "SECRET" not in buffer.getvalue()
