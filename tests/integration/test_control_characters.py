"""A message with NUL or other control characters is answered and stored on every database (issue 13).

PostgreSQL refuses U+0000 in text ("invalid byte sequence for encoding UTF8: 0x00"), so such a
message reached an internal error there. They are stripped at the edge, in `Core.handle`.
"""

from __future__ import annotations

from sqlmodel import select

from bot.app import App
from bot.core.types import Attachment
from scheduler.clock import FakeClock
from storage.models import Evidence, Person, StatusUpdate
from tests.conftest import ADMIN_ID
from tests.helpers import recorded, say, text_of
from tests.integration.test_reminders import OFFICIAL, local, register

INTERNAL = "Xin lỗi, hệ thống gặp lỗi"


async def test_nul_and_control_characters_are_stripped_at_the_edge(app: App, clock: FakeClock) -> None:
    stranger = text_of(await say(app, 5555, "xin\x00 chào\x07", name="Lạ\x00"))
    assert not stranger.startswith(INTERNAL)
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, OFFICIAL, "Bần Yên Nhân", name="Lan\x00\x1b")
    clock.set(local(2025, 1, 6, 9, 0))
    answer = text_of(await say(app, OFFICIAL, "đã\x00 nộp\r\n\x0bbản\x00 giấy", name="Lan\x00"))
    assert recorded(answer).startswith("Đã ghi nhận: Phường Bần Yên Nhân"), answer
    filed = await say(app, OFFICIAL, "KH\x00", attachment=Attachment("document", "F\x001", "KH\x00.pdf"))
    assert not text_of(filed).startswith(INTERNAL)
    async with app.sessions() as session:
        update = (await session.exec(select(StatusUpdate))).one()
        assert "\x00" not in update.raw_text
        assert update.raw_text == "đã nộp\nbản giấy"
        names = [person.display_name for person in (await session.exec(select(Person))).all()]
        assert all("\x00" not in name and "\x1b" not in name for name in names)
        evidence = (await session.exec(select(Evidence))).all()
        assert all("\x00" not in (row.file_id + row.caption) for row in evidence)


async def test_a_reply_to_a_message_id_with_nul_or_a_lone_surrogate_is_answered(app: App, clock: FakeClock) -> None:
    """The id of the message replied to is looked up in the outbox: NUL failed on PostgreSQL and a lone
    surrogate (which JSON may carry: "\\ud800") on both databases (issue 13, found by the fuzz test)."""
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, OFFICIAL, "Bần Yên Nhân")
    clock.set(local(2025, 1, 6, 9, 0))
    for forged in ["1\x002", "1\ud8002", "\x00"]:
        answer = text_of(await say(app, OFFICIAL, "60%", reply_to=forged))
        assert recorded(answer).startswith("Đã ghi nhận: Phường Bần Yên Nhân"), (forged, answer)
    for forged in ["1\x002", "1\ud8002", "\x00"]:
        filed = text_of(await say(app, OFFICIAL, "", reply_to=forged, attachment=Attachment("photo", "F1")))
        assert not filed.startswith(INTERNAL), (forged, filed)
