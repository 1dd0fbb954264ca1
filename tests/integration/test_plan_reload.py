"""A plan loaded while the bot runs (`nhacviec plan load`) is followed within a minute, without a restart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.app import App, running
from bot.cli.plan import _plan_load
from bot.settings import SHIPPED_PLAN, Settings, load_settings
from scheduler.clock import FakeClock
from storage.plan import PlanChanges
from storage.plan_file import read_plan
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import say, text_of
from tests.integration.test_reminders import fake_time_limiter, local, register

NOI_VU = 2004
PLAN_ONCE = 'deadline = { kind = "once", date = 2025-01-10, inclusive = false }'
NEW_DUTY = """
[[duties]]
key = "bao-cao-dot-xuat"
title = "Báo cáo đột xuất về công tác chuẩn bị Tết"
groups = ["phong-ban"]
deadline = { kind = "once", date = 2025-01-10, inclusive = false }
"""
DAY_OFF = """
[[calendar]]
date = 2025-01-09
off = true
note = "Nghỉ theo quyết định của UBND thị xã (thử)"
"""


def plan_files(folder: Path) -> tuple[Path, Path]:
    """The first plan asks the 2025 implementation plan of the xã/phường only; the second of the phòng
    too, adds a duty of the phòng and makes Thursday 9/1/2025 a day off."""
    shipped = SHIPPED_PLAN.read_text(encoding="utf-8")
    first, second = folder / "first.toml", folder / "second.toml"
    both = 'groups = ["xa-phuong", "phong-ban"]\n' + PLAN_ONCE
    assert both in shipped
    first.write_text(shipped.replace(both, 'groups = ["xa-phuong"]\n' + PLAN_ONCE), encoding="utf-8")
    second.write_text(shipped + NEW_DUTY + DAY_OFF, encoding="utf-8")
    return first, second


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return plan_files(tmp_path)


@pytest.fixture
def first_settings(database_url: str, files: tuple[Path, Path]) -> Settings:
    return load_settings(database_url=database_url, admins=str(ADMIN_ID), plan=str(files[0]))


@pytest.fixture
async def first_app(first_settings: Settings, clock: FakeClock) -> AsyncIterator[App]:
    async with running(first_settings, clock=clock) as application:
        yield application


async def load_while_running(settings: Settings, path: Path) -> PlanChanges:
    """What `nhacviec plan load PATH` does, on its own engine as the command's own process would."""
    loaded: list[tuple[PlanChanges, int]] = []
    await _plan_load(settings, read_plan(path), loaded)
    return loaded[0][0]


async def test_the_planner_and_lich_follow_a_plan_loaded_while_they_run(
    first_app: App, first_settings: Settings, files: tuple[Path, Path], clock: FakeClock
) -> None:
    app = first_app
    clock.set(local(2025, 1, 2, 7, 28))
    await register(app, NOI_VU, "Nội vụ")
    sender = FakeSender(clock=clock.now)
    service = app.reminders(sender, limiter=fake_time_limiter(clock))
    clock.set(local(2025, 1, 2, 7, 30))  # the day's first allowed moment: the steps of "-7d" are due
    await service.tick()  # the planner works out the first plan, keeps it, and writes the xã/phường's step
    before = text_of(await say(app, NOI_VU, "/lich"))
    assert "Kế hoạch triển khai" not in before  # the first plan asks it of the xã/phường only
    assert sender.steps_to(NOI_VU) == []

    changes = await load_while_running(first_settings, files[1])
    assert changes.changed_groups == []  # the duty's groups changed, not the groups' members
    assert changes.updated_duties == ["ke-hoach-2025"]
    assert changes.added_duties == ["bao-cao-dot-xuat"]
    assert changes.added_days == [date(2025, 1, 9)]

    # within the minute the core still answers from the plan it holds (it asks at most once a minute)
    clock.advance(timedelta(seconds=30))
    assert "Kế hoạch triển khai" not in text_of(await say(app, NOI_VU, "/lich"))
    clock.advance(timedelta(seconds=30))  # one minute after the last look
    after = text_of(await say(app, NOI_VU, "/lich"))
    assert "📋 Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025" in after
    assert "📋 Báo cáo đột xuất về công tác chuẩn bị Tết" in after
    # Thursday 9/1 is now a day off: for "trước ngày 10/01" aim for Wednesday 8/1; the law allows Friday 10/1
    assert "trước ngày 10/01/2025 (thứ Sáu)\nĐề nghị gửi chậm nhất ngày 08/01/2025 (thứ Tư)\n" in after
    assert "Hạn chót theo quy định: hết ngày 10/01/2025 (thứ Sáu)" in after
    # "-7d" from 8/1 is 1/1, a holiday: it moved earlier, to 31/12, before Nội vụ was asked; the next
    # step is "-3w", Friday 3/1 at 08:00 (issue 26: a reminder on days off moves earlier, never later)
    clock.set(local(2025, 1, 3, 8, 0))
    await service.tick()
    reminded = {(m.duty_title, m.step, m.aim_day.isoformat()) for m in sender.to(NOI_VU)}
    assert reminded == {
        ("Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025", "-3w", "2025-01-08"),
        ("Báo cáo đột xuất về công tác chuẩn bị Tết", "-3w", "2025-01-08"),
    }
    assert all(d.at == clock.now() for d in sender.delivered)  # sent on the planner's next tick


async def test_a_unit_that_joins_a_duty_is_reminded_of_the_step_already_written(
    first_app: App, first_settings: Settings, clock: FakeClock
) -> None:
    """The planner remembers the steps it wrote while nobody registered, left or reported; a plan that
    gives a duty to more units makes it write them again, for the units that joined."""
    app = first_app
    clock.set(local(2025, 1, 2, 7, 59))
    await register(app, NOI_VU, "Nội vụ")
    sender = FakeSender(clock=clock.now)
    service = app.reminders(sender, limiter=fake_time_limiter(clock))
    clock.set(local(2025, 1, 2, 8, 0))
    await service.tick()  # the xã/phường's "-7d" of the implementation plan is written; not the phòng's
    assert sender.steps_to(NOI_VU) == []
    changes = await load_while_running(first_settings, SHIPPED_PLAN)  # the shipped plan: the phòng too
    assert changes.updated_duties == ["ke-hoach-2025"]
    clock.advance(timedelta(minutes=1))
    await service.tick()
    assert [(m.duty_title, m.step) for m in sender.to(NOI_VU)] == [
        ("Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025", "-7d")
    ]


async def test_a_load_that_changes_nothing_leaves_the_revision(
    first_app: App, first_settings: Settings, files: tuple[Path, Path]
) -> None:
    from storage.plan import plan_revision

    async with first_app.sessions() as session:
        start = await plan_revision(session)
    assert await load_while_running(first_settings, files[0]) == PlanChanges()
    async with first_app.sessions() as session:
        assert await plan_revision(session) == start
    assert (await load_while_running(first_settings, files[1])).changed
    async with first_app.sessions() as session:
        assert await plan_revision(session) == start + 1
