"""Every text a person types has a limit checked in the core, the same on both databases, answered
with the limit (issue 27). A task title over 300 characters reached PostgreSQL's varchar(300) and the
internal error there, while SQLite kept it whole. Names and titles are refused: cut, they would name
something else. A record of a message (a long /giao's words) is kept to its column."""

from __future__ import annotations

from sqlmodel import select

from bot.app import App
from storage.models import HolidayOverride, TaskDraft, Unit
from tests.conftest import ADMIN_ID
from tests.helpers import say, text_of

INTERNAL = "Xin lỗi, hệ thống gặp lỗi"


async def rows(app: App, model: type) -> list:  # type: ignore[type-arg]
    async with app.sessions() as session:
        return list((await session.exec(select(model))).all())


async def test_a_task_title_past_its_limit_is_refused_with_the_limit(app: App) -> None:
    answer = text_of(await say(app, ADMIN_ID, "/giao Nội vụ; trước 15/01/2025; " + "Báo cáo " * 40))
    assert not answer.startswith(INTERNAL), answer
    assert "300 ký tự" in answer, answer
    assert await rows(app, TaskDraft) == []
    ok = text_of(await say(app, ADMIN_ID, "/giao Nội vụ; trước 15/01/2025; " + "x" * 300))
    assert "📝" in ok, ok


async def test_a_long_giao_message_is_kept_to_its_column(app: App) -> None:
    answer = text_of(await say(app, ADMIN_ID, "/giao " + ", ".join(["Nội vụ"] * 150) + "; trước 15/01/2025; Báo cáo"))
    assert "📝" in answer, answer
    [draft] = await rows(app, TaskDraft)
    assert len(draft.words) == 1000


async def test_a_unit_name_past_its_limit_is_refused_with_the_limit(app: App) -> None:
    before = len(await rows(app, Unit))
    answer = text_of(await say(app, ADMIN_ID, "/themdonvi " + "Tân " * 40 + "; phường"))
    assert not answer.startswith(INTERNAL), answer
    assert "120 ký tự" in answer, answer
    assert len(await rows(app, Unit)) == before
    answer = text_of(await say(app, ADMIN_ID, "/donvi Bần Yên Nhân đổi tên " + "Tân " * 40))
    assert "120 ký tự" in answer, answer
    assert "Phường Bần Yên Nhân" in [unit.name for unit in await rows(app, Unit)]


async def test_a_day_off_reason_past_its_limit_is_refused_with_the_limit(app: App) -> None:
    before = await rows(app, HolidayOverride)  # the plan file's
    answer = text_of(await say(app, ADMIN_ID, "/ngaynghi 03/02/2025 " + "nghỉ bù " * 30))
    assert not answer.startswith(INTERNAL), answer
    assert "200 ký tự" in answer, answer
    assert await rows(app, HolidayOverride) == before


async def test_a_plan_sheet_title_past_its_limit_is_a_problem_named_with_the_limit(app: App) -> None:
    from tests.integration.test_plan_sheet import sheet_sender, template
    from tests.sheets import PLAN_2025, TASKS, filled

    long_rows = [{**TASKS[0], "title": "Báo cáo " * 40}, *TASKS[1:]]
    book = filled(await template(app), plan={**PLAN_2025, "number": "12/KH-UBND" * 10}, rows=long_rows)
    answer = text_of(await sheet_sender(app)(ADMIN_ID, book))
    assert "dài quá 300 ký tự" in answer, answer
    assert "dài quá 64 ký tự" in answer, answer
