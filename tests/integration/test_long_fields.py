"""What a person or a channel sends is kept within the database's columns, on every database (issue 13).

SQLite keeps a text of any length; PostgreSQL refuses one longer than its column ("value too long for
type character varying(300)"), so a long file name, a long reply or a long name reached an internal
error there only. Found by the fuzz test (tests/integration/test_fuzz_core.py).
"""

from __future__ import annotations

from sqlmodel import select

from bot.app import App
from bot.core.types import Attachment
from scheduler.clock import FakeClock
from storage.models import Evidence, Person, StatusUpdate
from tests.conftest import ADMIN_ID
from tests.helpers import code_in, recorded, say, text_of
from tests.integration.test_reminders import OFFICIAL, local, register

INTERNAL = "Xin lỗi, hệ thống gặp lỗi"


async def test_a_long_reply_is_recorded_and_its_words_kept_to_the_column(app: App, clock: FakeClock) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, OFFICIAL, "Bần Yên Nhân")
    clock.set(local(2025, 1, 6, 9, 0))
    words = "đã nộp " + "x" * 3000
    answer = text_of(await say(app, OFFICIAL, words))
    assert recorded(answer).startswith("Đã ghi nhận: Phường Bần Yên Nhân"), answer
    answer = text_of(await say(app, ADMIN_ID, "/capnhat Bần Yên Nhân: 50% " + "y" * 3000))
    assert answer.startswith("Đã ghi nhận"), answer
    answer = text_of(await say(app, OFFICIAL, "/sua 60% " + "z" * 3000))
    assert answer.startswith("Đã ghi nhận"), answer
    async with app.sessions() as session:
        kept = (await session.exec(select(StatusUpdate))).all()
    assert [len(update.raw_text) for update in kept] == [2000, 2000, 2000]
    assert kept[0].raw_text == words[:2000]


async def test_a_file_with_a_long_name_is_kept(app: App, clock: FakeClock) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, OFFICIAL, "Bần Yên Nhân")
    clock.set(local(2025, 1, 6, 9, 0))
    name = "Báo cáo " + "rất dài " * 60 + ".pdf"
    answer = text_of(await say(app, OFFICIAL, "", attachment=Attachment("document", "BQADBAAD", name)))
    assert recorded(answer).startswith("Đã ghi nhận: Phường Bần Yên Nhân"), answer
    async with app.sessions() as session:
        evidence = (await session.exec(select(Evidence))).one()
    assert evidence.file_name == name[:300]


async def test_a_long_display_name_registers(app: App) -> None:
    code = code_in(await say(app, ADMIN_ID, "/moi Bần Yên Nhân"))
    answer = text_of(await say(app, OFFICIAL, f"/dangky {code}", name="Nguyễn " * 100))
    assert "Đăng ký thành công" in answer, answer
    async with app.sessions() as session:
        names = [person.display_name for person in (await session.exec(select(Person))).all()]
    assert max(len(name) for name in names) <= 200


async def test_a_file_whose_id_is_too_long_to_keep_is_refused_clearly(app: App, clock: FakeClock) -> None:
    """A file is kept by the channel's id for it: cut, it would name no file, so nothing is recorded."""
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, OFFICIAL, "Bần Yên Nhân")
    clock.set(local(2025, 1, 6, 9, 0))
    answer = text_of(await say(app, OFFICIAL, "KH", attachment=Attachment("photo", "https://x/" + "f" * 400)))
    assert answer.startswith("Chưa lưu được tệp này"), answer
    async with app.sessions() as session:
        assert not (await session.exec(select(Evidence))).all()
        assert not (await session.exec(select(StatusUpdate))).all()
