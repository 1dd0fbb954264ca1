"""A person who is both a unit's official and its head: choices and messages per report, never per role
(issue 26, item 2)."""

from __future__ import annotations

from bot.app import App
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers import say, text_of
from tests.integration.test_reminders import register
from tests.integration.test_summaries import local

BOTH = 3001


async def _official_and_head(app: App, clock: FakeClock) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, BOTH, "Cẩm Xá", name="Lan")
    await register(app, BOTH, "Cẩm Xá", "head", name="Lan")
    clock.set(local(2025, 1, 6, 9, 0))


async def test_a_reply_is_not_asked_which_of_two_identical_reports(app: App, clock: FakeClock) -> None:
    await _official_and_head(app, clock)
    answer = await say(app, BOTH, "đang thực hiện 60%", name="Lan")
    assert text_of(answer).startswith("Đã ghi nhận")
    assert not answer.replies[0].buttons


async def test_history_is_printed_once(app: App, clock: FakeClock) -> None:
    await _official_and_head(app, clock)
    await say(app, BOTH, "đang thực hiện 60%", name="Lan")
    history = text_of(await say(app, BOTH, "/lichsu", name="Lan"))
    assert history.count("Cẩm Xá") == 1, history


async def test_an_extensions_answer_reaches_them_once(app: App, clock: FakeClock) -> None:
    await _official_and_head(app, clock)
    asked = await say(app, BOTH, "xin lùi 3 ngày", name="Lan")
    to_office = next(reply for reply in asked.replies if reply.buttons)
    granted = await say(app, ADMIN_ID, to_office.buttons[0][0].data, name="Văn phòng")
    to_them = [reply for reply in granted.replies if reply.chat_id == str(BOTH)]
    assert len(to_them) == 1, [reply.text for reply in granted.replies]


async def test_what_the_office_records_reaches_them_once(app: App, clock: FakeClock) -> None:
    await _official_and_head(app, clock)
    recorded = await say(app, ADMIN_ID, "/capnhat Cẩm Xá: đã nộp", name="Văn phòng")
    to_them = [reply for reply in recorded.replies if reply.chat_id == str(BOTH)]
    assert len(to_them) == 1, [reply.text for reply in recorded.replies]
