"""Characters that show nothing or turn the text around (U+202E, U+200B...) are refused in names and
taken out of what is shown (issue 27): "Phường \u202eabc" was kept and /donvi showed it reversed."""

from __future__ import annotations

from sqlmodel import select

from bot.app import App
from storage.models import Person, Unit
from tests.conftest import ADMIN_ID
from tests.helpers import say, text_of
from tests.integration.test_reminders import OFFICIAL, register

HIDDEN = ["\u202e", "\u202d", "\u2066", "\u200b", "\u200f", "\ufeff", "\u2060", "\u00ad"]
REFUSED = "không được có ký tự ẩn"


async def test_names_with_invisible_characters_are_refused(app: App) -> None:
    async with app.sessions() as session:
        before = sorted(unit.name for unit in (await session.exec(select(Unit))).all())
    for mark in HIDDEN:
        assert REFUSED in text_of(await say(app, ADMIN_ID, f"/themdonvi Tân{mark}Lập; phường")), repr(mark)
        assert REFUSED in text_of(await say(app, ADMIN_ID, f"/donvi Bần Yên Nhân đổi tên Bần{mark} Yên")), repr(mark)
    async with app.sessions() as session:
        assert sorted(unit.name for unit in (await session.exec(select(Unit))).all()) == before
    assert "Đã thêm" in text_of(await say(app, ADMIN_ID, "/themdonvi Tân Lập; phường"))


async def test_what_is_shown_has_them_taken_out(app: App) -> None:
    async with app.sessions() as session:  # a name kept before names were checked
        unit = (await session.exec(select(Unit).where(Unit.key == "nhan-hoa"))).one()
        unit.name, unit.short_name = "Phường Nhân\u202eaoH", "Nhân\u202eaoH"
        session.add(unit)
        await session.commit()
    await register(app, OFFICIAL, "Bần Yên Nhân", name="Lan\u202e\u200bgnaH")
    shown = text_of(await say(app, ADMIN_ID, "/donvi"))
    assert "Phường NhânaoH" in shown
    assert not any(mark in shown for mark in HIDDEN)
    async with app.sessions() as session:  # a display name from a channel is kept without them
        names = [person.display_name for person in (await session.exec(select(Person))).all()]
    assert "LangnaH" in names
    assert not any(mark in name for name in names for mark in HIDDEN)
