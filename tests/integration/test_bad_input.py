"""Nonsense, the wrong person, the wrong place: each gets a clear answer and changes nothing."""

import pytest
from sqlmodel import select

from bot.app import App
from scheduler.clock import FakeClock
from storage import status
from storage.models import AuditEntry, Invitation, Official, Person, Unit
from tests.conftest import ADMIN_ID
from tests.helpers import recorded, say, text_of
from tests.integration.test_reminders import OFFICIAL, local, register


async def _row_counts(app: App) -> tuple[int, int, int, int]:
    async with app.sessions() as session:
        counts = []
        for model in (Person, Official, Invitation, AuditEntry):
            counts.append(len((await session.exec(select(model))).all()))
    return tuple(counts)  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("user", "text", "kwargs", "answer"),
    [
        (9999, "🙂🙏", {}, "Xin chào! Đây là Nhắc việc"),
        (ADMIN_ID, "🙂🙏", {}, "Chưa rõ ý anh/chị."),
        (ADMIN_ID, "x" * 5000, {}, "Tin nhắn quá dài (5000 ký tự; tối đa 4096)."),
        (ADMIN_ID, "/moi " + "Bần " * 1300, {}, "Tin nhắn quá dài"),
        (ADMIN_ID, "/moi Bần Yên Nhân", {"private": False}, "Hệ thống chỉ làm việc trong tin nhắn riêng"),
        (9999, "hello", {"private": False}, "Hệ thống chỉ làm việc trong tin nhắn riêng"),
        (ADMIN_ID, "", {"media": True}, "Hệ thống chỉ đọc được tin nhắn chữ."),
        (ADMIN_ID, "/xyz", {}, "Không có lệnh /xyz."),
        (ADMIN_ID, "/moi", {}, "Gửi /moi kèm tên đơn vị"),
        (ADMIN_ID, "/moi    ", {}, "Gửi /moi kèm tên đơn vị"),
        (ADMIN_ID, "/moi 🙂", {}, "Không tìm thấy đơn vị “🙂”."),
        (ADMIN_ID, "/dangky", {}, "Gửi /dangky kèm mã"),
        (ADMIN_ID, "/thuhoi", {}, "Gửi /thuhoi kèm tên cán bộ"),
        (ADMIN_ID, "/thuhoi 77", {}, "Không có cán bộ nào khớp với “77”."),
        (ADMIN_ID, "/huymoi", {}, "Gửi /huymoi kèm số"),
        (ADMIN_ID, "/huymoi abc", {}, "Không có lời mời đang chờ nào mang số abc."),
        (9999, "/toi", {}, "Anh/chị chưa đăng ký."),
        (9999, "/start", {}, "Xin chào! Đây là Nhắc việc"),
        (9999, "/start not-a-code", {}, "Mã mời không hợp lệ."),
        (9999, "/start " + "A" * 64, {}, "Mã mời không hợp lệ."),
        (9999, "\x00\x01", {}, "Hệ thống chỉ đọc được tin nhắn chữ"),  # control characters are no text (stripped)
    ],
)
async def test_bad_input_gets_a_clear_answer_and_changes_nothing(
    app: App, user: int, text: str, kwargs: dict[str, bool], answer: str
) -> None:
    await say(app, ADMIN_ID, "/toi")  # the admin's first message links their account; that is not a change
    before = await _row_counts(app)
    outcome = await say(app, user, text, **kwargs)
    assert len(outcome.replies) == 1
    assert outcome.replies[0].text.startswith(answer), outcome.replies[0].text
    assert len(outcome.replies[0].text) < 4096
    assert await _row_counts(app) == before


async def test_a_failure_inside_the_core_is_answered_not_silent(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.core import commands as core_module

    async def broken(_ctx, _args):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setitem(core_module.COMMANDS, "toi", core_module.Command(broken))
    outcome = await say(app, ADMIN_ID, "/toi")
    assert text_of(outcome).startswith("Xin lỗi, hệ thống gặp lỗi")


async def test_english_readers_get_english(app: App) -> None:
    app.core.config.locale = "en"
    assert text_of(await say(app, 9999, "/toi")).startswith("You are not registered yet.")


async def _a_write_that_fails(session, **_values):  # type: ignore[no-untyped-def]
    """A write the database refuses (here a second unit with an existing key): the session rolls back."""
    session.add(Unit(key="ban-yen-nhan", name="Bần Yên Nhân", short_name="Bần Yên Nhân", kind="phuong"))
    await session.flush()


async def test_a_failed_write_does_not_break_the_messages_after_it(
    app: App, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first reply of a day fills the core's cache in its own session; a write that failed later in
    that message rolled the session back, which expired the cached rows, and every message about a
    deadline got the internal error until the next day (issue 13, found by the fuzz test on PostgreSQL:
    a file name over 300 characters)."""
    await say(app, ADMIN_ID, "/toi")
    await register(app, OFFICIAL, "Bần Yên Nhân")
    clock.set(local(2025, 1, 6, 9, 0))  # a new day: the cache is worked out again by the next reply
    with monkeypatch.context() as patched:
        patched.setattr(status, "append_status", _a_write_that_fails)
        assert text_of(await say(app, OFFICIAL, "chưa có số liệu")).startswith("Xin lỗi, hệ thống gặp lỗi")
    assert recorded(text_of(await say(app, OFFICIAL, "đã nộp"))).startswith("Đã ghi nhận: Phường Bần Yên Nhân")
    assert "Phường Bần Yên Nhân" in text_of(await say(app, ADMIN_ID, "/tonghop"))
