"""A fuzz test of the whole core, on SQLite and PostgreSQL (issue 13).

Hypothesis plays an office admin, a registered official, an office official and strangers, on Telegram
and Zalo, in private and group chats, against `Core.handle` on the 2025 plan: every command with
arguments mixing real names and ids, ASCII and Unicode digits ("²", "①", "٣", "１"), ids past 2^31 and
2^63, NUL and other control characters, RTL marks, emoji, 5,000 characters and nothing at all; button
data forged with such ids; replies in words; replies to reminders by real and forged message ids;
documents and photos with odd names; and taps on the buttons the core has just shown. The database
keeps what each example did, as a bot's does.

Whatever comes in, the core answers it, never with its internal error, and logs no error. Since the
examples share one database, Hypothesis may not replay a failure exactly: the assertion names the
message, which a focused test then reproduces (test_forged_ids, test_control_characters,
test_long_fields, test_bad_input hold those found so far).
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import App
from bot.core import Incoming, Outcome
from bot.core.commands import ALIASES, COMMANDS
from bot.core.types import Attachment
from messages import common
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import CODE, code_in, text_of
from tests.integration.test_reminders import local

pytestmark = pytest.mark.timeout(300)

EXAMPLES = 500  # per database: about 7 s on SQLite, 10 s on PostgreSQL
INTERNAL = {common.internal_error("vi"), common.internal_error("en")}
END = local(2025, 12, 20, 9, 0)  # the clock stays inside the 2025 plan
NEWCOMERS = itertools.count(30000)  # the user ids of people registering as the examples go


@dataclass(frozen=True)
class Actor:
    channel: str
    user_id: str
    name: str


ADMIN = Actor("telegram", str(ADMIN_ID), "Văn phòng")
OFFICIAL = Actor("telegram", "2002", "Lan")
OFFICIAL_ZALO = Actor("zalo", "5f1c9a7be2d04c31", "Lan")  # the same person, linked with /lienket
OFFICE_ZALO = Actor("zalo", "9b0e4d2f7a6c8153", "Hùng")  # an office official registered on Zalo
HEAD = Actor("telegram", "2003", "Chủ tịch")  # the head of Phan Đình Phùng
STRANGER = Actor("telegram", "9999", "Người lạ")
STRANGER_ZALO = Actor("zalo", "0000000000000001", "Khách")
ACTORS = [ADMIN, OFFICIAL, OFFICIAL_ZALO, OFFICE_ZALO, HEAD, STRANGER, STRANGER_ZALO]
SPEAKERS = [ADMIN, ADMIN, OFFICIAL, OFFICIAL, *ACTORS]  # the office and the official speak most

# ---- the pieces messages are made of ------------------------------------------------------------

UNIT_NAMES = [
    "Bần Yên Nhân",
    "ban-yen-nhan",
    "ban yen nhan",
    "Phan Đình Phùng",
    "Phường Nhân Hòa",
    "Văn phòng",
    "VP",
    "Nội vụ",
    "Tài chính - Kế hoạch",
    "Mỹ Hào",
    "Phường",
    "Bần Yên Nan",
]
HUGE = [
    "2147483647",
    "2147483648",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    str(10**30),
    "9" * 400,
    "-1",
    "-2147483649",
    "-9223372036854775809",
    "0",
    "00000000001",
    "1e9",
    "0x10",
    "1.5",
    "#7",
    "#",
]
UNICODE_DIGITS = ["²", "①", "٣", "１", "１２", "2²", "߁", "𝟙", "Ⅻ", "௫", "¹²³", "½", "３٣²"]
CONTROLS = ["\x00", "\x07", "\x1b[31m", "\r\n", "\x85", "\u2028", "\x7f", "\ud800", "\t", "\x00\x00\x00"]
MARKS = ["\u202e", "\u200f", "\u200b", "\ufeff", "\u2066", "\u061c", "\u00ad", "\u0301"]
EMOJI = ["🙂", "👨‍👩‍👧", "🇻🇳", "🙏🏽", "✅", "🔥" * 40]
LONG = [
    "x" * 5000,
    "Bần " * 1300,
    "9" * 5000,
    "đã nộp " * 700,
    "²" * 4100,
    "a" * 4096,
    "a" * 4097,
    "é" * 2001,
    "đã nộp " + "x" * 3000,
    "60% " + "🙂" * 1000,
    "xin lùi 3 ngày " + "vì " * 1000,
]
NAMES = ["Lan", "", "Lan\x00", "\u202eLan", "🙂", "L" * 300, "Nguyễn " * 40, "\ud800", "²①"]
STATUS_WORDS = [
    "done",
    "in_progress",
    "no_data",
    "later",
    "2h",
    "tomorrow",
    "waiting_signature",
    "extension_requested",
    "closed",
    "yes",
    "no",
    "DONE",
]
ROLE_WORDS = ["official", "head", "office", "thủ trưởng", "cán bộ", "văn phòng", "ngày", "d", "14", "90", "91"]
REPLIES = [
    "đã nộp",
    "đã nộp rồi ạ",
    "da nop roi a",
    "60%, dự kiến 12/1",
    "60%, dự kiến 31/2",
    "dự kiến 99/99/9999",
    "-5%",
    "150%",
    "xin lùi -3 ngày",
    "xin lùi 3 ngày",
    "xin gia hạn",
    "xin lùi 99999999999999999999 ngày",
    "xin lùi ² ngày",
    "xin lùi ① ngày",
    "xin lùi ٣ ngày",
    "đang trình ký",
    "ko co sl",
    "chưa có số liệu",
    "báo cáo tháng ² đã nộp",
    "báo cáo tháng 13 đã nộp",
    "kế hoạch đã nộp",
    "6 tháng 50%",
    "dự kiến ngày ²/①",
    "dự kiến １２/１",
    "ok",
    "?",
]


def ids() -> st.SearchStrategy[str]:
    """An id as buttons carry it, or a forged one."""
    return st.one_of(
        st.integers(min_value=1, max_value=60).map(str),
        st.sampled_from(HUGE),
        st.sampled_from(UNICODE_DIGITS),
        st.integers().map(str),
        st.sampled_from(CONTROLS).map(lambda control: f"1{control}2"),
    )


def tokens() -> st.SearchStrategy[str]:
    return st.one_of(
        ids(),
        st.sampled_from(UNIT_NAMES),
        st.sampled_from(STATUS_WORDS),
        st.sampled_from(ROLE_WORDS),
        st.sampled_from(CONTROLS),
        st.sampled_from(MARKS),
        st.sampled_from(EMOJI),
        st.sampled_from(REPLIES),
        st.just(""),
        st.just(":"),
        st.text(max_size=12),
    )


def arguments() -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(tokens(), max_size=5).map(" ".join),
        st.lists(tokens(), max_size=4).map("".join),
        st.builds(
            lambda unit, rest: " ".join([unit, *rest]), st.sampled_from(UNIT_NAMES), st.lists(tokens(), max_size=3)
        ),
        st.sampled_from(LONG),
        st.text(max_size=40),
    )


COMMAND_NAMES = sorted(COMMANDS) + sorted(ALIASES) + ["xyz", "MOI", "moi@nhacviec_bot", "tonghop@", "²", "", "/"]


def commands() -> st.SearchStrategy[str]:
    return st.builds(lambda name, args: f"/{name} {args}", st.sampled_from(COMMAND_NAMES), arguments())


def invite_tails() -> st.SearchStrategy[list[str]]:
    """What may follow a unit's name in /moi: roles and a number of days, typed or forged."""
    return st.lists(st.one_of(st.sampled_from(ROLE_WORDS), ids(), st.sampled_from(["ngày", "ngay", "d"])), max_size=3)


def callbacks() -> st.SearchStrategy[str]:
    """The data of every kind of button, forged with odd ids."""
    status = st.one_of(st.sampled_from(STATUS_WORDS), tokens())
    return st.one_of(
        st.builds(lambda r, s: f"/baocao {r} {s}", ids(), status),
        st.builds(lambda d, o, u: f"/ghi {d} {o} {u}", ids(), ids(), ids()),
        st.builds(lambda d, o, u, s: f"/ghi {d} {o} {u} {s}", ids(), ids(), ids(), status),
        st.builds(lambda e, s: f"/giahan {e} {s}", ids(), status),
        st.builds(lambda e: f"/danhan {e}", ids()),
        st.builds(lambda o: f"/thuhoi {o}", ids()),
        st.builds(lambda o: f"/thuhoi #{o}", ids()),
        st.builds(lambda i: f"/huymoi {i}", ids()),
        st.builds(lambda u, tail: " ".join(["/moi", u, *tail]), st.sampled_from(UNIT_NAMES), invite_tails()),
        st.builds(lambda u: f"/donvi {u}", st.one_of(st.sampled_from(UNIT_NAMES), ids())),
        st.builds(lambda u: f"/lich {u}", st.one_of(st.sampled_from(UNIT_NAMES), ids())),
        st.builds(lambda u: f"/lichsu {u}", st.one_of(st.sampled_from(UNIT_NAMES), ids())),
        st.builds(lambda u, t: f"/capnhat {u}: {t}", st.one_of(st.sampled_from(UNIT_NAMES), ids()), arguments()),
        st.builds(lambda u, t: f"/dong {u}: {t}", st.one_of(st.sampled_from(UNIT_NAMES), ids()), arguments()),
        st.builds(lambda t: f"/sua {t}", st.one_of(st.sampled_from(REPLIES), arguments())),
        st.builds(lambda c: f"/dangky {c}", st.one_of(ids(), st.text(max_size=20), st.sampled_from(LONG))),
        st.builds(lambda c: f"/kenh {c}", st.sampled_from(["telegram", "zalo", "all", "tất cả", "²", "\x00", ""])),
        st.builds(lambda c: f"/ngonngu {c}", st.sampled_from(["vi", "en", "EN", "fr", "²", "\x00vi", ""])),
    )


def words() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(REPLIES),
        st.builds(lambda a, b: f"{a} {b}", st.sampled_from(REPLIES), tokens()),
        st.lists(tokens(), min_size=1, max_size=4).map(" ".join),
        st.sampled_from(LONG),
        st.text(max_size=60),
        st.just(""),
    )


def attachments() -> st.SearchStrategy[Attachment | None]:
    name = st.one_of(
        st.sampled_from(
            ["KH-BYN.pdf", "", "\x00.pdf", "../../etc/passwd", "a" * 400, "báo cáo ².pdf", "\u202egpj.exe", "🙂.docx"]
        ),
        st.text(max_size=30),
    )
    file_id = st.one_of(st.sampled_from(["AgADBAAD", "\x00", "", "f" * 500]), st.text(max_size=20))
    return st.one_of(st.none(), st.builds(Attachment, st.sampled_from(["document", "photo"]), file_id, name))


def reply_ids() -> st.SearchStrategy[str | None]:
    """None, a message id the fake sender gave a reminder ("1", "2"...), or a forged one."""
    return st.one_of(st.none(), st.integers(min_value=1, max_value=80).map(str), ids(), st.sampled_from(LONG[:1]))


@dataclass(frozen=True)
class Say:
    actor: Actor
    text: str
    private: bool
    reply_to: str | None
    attachment: Attachment | None
    has_media: bool
    name: str
    username: str | None


@dataclass(frozen=True)
class Tap:
    """Tap one of the buttons the core showed earlier in this example (by its index, wrapped), as the
    person who was shown it (None) or as someone else."""

    actor: Actor | None
    index: int


@dataclass(frozen=True)
class Wait:
    hours: int


def says() -> st.SearchStrategy[Say]:
    return st.builds(
        Say,
        actor=st.sampled_from(SPEAKERS),
        text=st.one_of(commands(), callbacks(), words()),
        private=st.sampled_from([True, True, True, False]),  # a group chat now and then
        reply_to=reply_ids(),
        attachment=attachments(),
        has_media=st.booleans(),
        name=st.one_of(st.sampled_from(NAMES), st.text(max_size=10)),
        username=st.one_of(st.none(), st.sampled_from(NAMES), st.text(max_size=10)),
    )


@dataclass(frozen=True)
class Register:
    """The office invites someone new, who registers with the code under an odd name."""

    channel: str
    unit: str
    role: str
    name: str
    username: str | None


def registers() -> st.SearchStrategy[Register]:
    return st.builds(
        Register,
        channel=st.sampled_from(["telegram", "zalo"]),
        unit=st.sampled_from(["Bần Yên Nhân", "Phan Đình Phùng", "Nội vụ", "Văn phòng", "Mỹ Hào", "Đường Hào"]),
        role=st.sampled_from(["official", "head", "office"]),
        name=st.one_of(st.sampled_from(NAMES), st.text(max_size=10)),
        username=st.one_of(st.none(), st.sampled_from(NAMES), st.text(max_size=10)),
    )


steps = st.lists(
    st.one_of(
        says(),
        says(),
        says(),
        st.builds(Tap, st.none() | st.sampled_from(ACTORS), st.integers(min_value=0, max_value=20)),
        st.builds(Wait, st.integers(min_value=1, max_value=24)),
        registers(),
    ),
    min_size=1,
    max_size=4,
)

# ---- the world the examples play in ------------------------------------------------------------


@pytest.fixture
async def world(app: App, clock: FakeClock, service: ReminderService, sender: FakeSender) -> ReminderService:
    """The admin, an official of Bần Yên Nhân on Telegram and Zalo, a head, an office official on Zalo,
    and the reminders of the first days, so replies to reminders have real message ids."""

    async def as_(actor: Actor, text: str) -> Outcome:
        incoming = Incoming(actor.channel, actor.user_id, actor.user_id, text=text, display_name=actor.name)
        return await app.core.handle(incoming)

    await as_(ADMIN, "/toi")
    for actor, unit, role in [
        (OFFICIAL, "Bần Yên Nhân", "official"),
        (HEAD, "Phan Đình Phùng", "head"),
        (OFFICE_ZALO, "Văn phòng", "office"),
    ]:
        code = code_in(await as_(ADMIN, f"/moi {unit} {role}"))
        assert "Đăng ký thành công" in text_of(await as_(actor, f"/dangky {code}")), (actor, unit)
    code = text_of(await as_(OFFICIAL, "/lienket")).split("/dangky ")[1].split()[0]
    assert "Zalo" in text_of(await as_(OFFICIAL_ZALO, f"/dangky {code}"))
    await service.tick()
    while clock.now() < local(2025, 1, 10, 9, 0):
        clock.advance(timedelta(hours=6))
        await service.tick()
    assert sender.delivered
    return service


def _check(outcome: Outcome, message: str, caplog: pytest.LogCaptureFixture) -> None:
    assert outcome.replies, f"no answer to {message!r}"
    for reply in outcome.replies:
        assert reply.text.strip() or reply.document or reply.photo, f"an empty answer to {message!r}"
        assert reply.text not in INTERNAL, f"internal error on {message!r}"
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not errors, f"{message!r} logged {errors[0].getMessage()}\n{errors[0].exc_text}"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(played=steps)
async def test_the_core_answers_anything_without_an_internal_error(
    app: App,
    clock: FakeClock,
    world: ReminderService,
    caplog: pytest.LogCaptureFixture,
    played: list[Say | Tap | Wait | Register],
) -> None:
    caplog.set_level(logging.WARNING)
    shown: list[tuple[Actor, str]] = []  # the buttons the core showed in this example, and to whom
    for step in played:
        caplog.clear()
        if isinstance(step, Wait):
            clock.set(min(clock.now() + timedelta(hours=step.hours), END))
            await world.tick()
            continue
        if isinstance(step, Register):
            invite = f"/moi {step.unit} {step.role}"
            invited = await app.core.handle(Incoming(ADMIN.channel, ADMIN.user_id, ADMIN.user_id, text=invite))
            _check(invited, invite, caplog)
            code = CODE.search(text_of(invited))
            if code is None:  # the unit is not current on this day (the phòng ended on 30/6)
                continue
            user = str(next(NEWCOMERS))
            incoming = Incoming(
                step.channel,
                user,
                user,
                text=f"/dangky {code.group(1)}",
                display_name=step.name,
                username=step.username,
            )
            message = repr(step)
        elif isinstance(step, Tap):
            if not shown:
                continue
            shown_to, data = shown[step.index % len(shown)]
            actor = step.actor or shown_to
            incoming = Incoming(
                actor.channel, actor.user_id, actor.user_id, text=data, display_name=actor.name, via_button=True
            )
            message = f"{actor} taps {data!r}"
        else:
            chat = step.actor.user_id if step.private else f"-100{step.actor.user_id}"
            incoming = Incoming(
                step.actor.channel,
                step.actor.user_id,
                chat,
                text=step.text,
                display_name=step.name,
                private=step.private,
                has_media=step.has_media,
                reply_to=step.reply_to,
                attachment=step.attachment,
                username=step.username,
            )
            message = repr(step)
        outcome = await app.core.handle(incoming)
        _check(outcome, message, caplog)
        for reply in outcome.replies:
            reader = (
                _reader(reply.channel, reply.chat_id) if reply.chat_id else _reader(incoming.channel, incoming.user_id)
            )
            shown += [(reader, button.data) for row in reply.buttons for button in row]


def _reader(channel: str | None, chat_id: str) -> Actor:
    """Who reads a chat (someone registered as the examples went is played by the stranger)."""
    found = [actor for actor in ACTORS if (actor.channel, actor.user_id) == (channel, chat_id)]
    return found[0] if found else (STRANGER if channel == "telegram" else STRANGER_ZALO)
