"""Several instances started at the same moment on one database all start, and the plan is loaded once.

Real processes (tests/e2e/start_process.py: `bot.app.running`, the start of `nhacviec run`) wait with
their imports done; each trial gives them one database at the same moment: an empty one, one that
`nhacviec db upgrade` made (the schema, no plan), and one holding an earlier version of the plan (so
that every instance finds groups to change).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import select

from bot.settings import SHIPPED_PLAN
from storage import db
from storage.models import Duty, GroupMember, Unit
from storage.plan import load_plan, plan_revision
from storage.plan_file import PlanSpec, read_plan
from tests.conftest import PG_URL, reset_postgres

START = Path(__file__).with_name("start_process.py")
INSTANCES = 3
STATES = ["empty", "migrated", "earlier plan"] * 2  # six trials a database, two of each


class Instance:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def line(self) -> str:
        assert self.process.stdout is not None
        raw = await asyncio.wait_for(self.process.stdout.readline(), timeout=20)
        if not raw:
            assert self.process.stderr is not None
            raise AssertionError(f"the process ended: {(await self.process.stderr.read()).decode()}")
        return raw.decode().strip()

    def go(self, url: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{url}\n".encode())


@pytest.fixture
async def instances(tmp_path: Path) -> AsyncIterator[list[Instance]]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("NHACVIEC_")}
    started = [
        Instance(
            await asyncio.create_subprocess_exec(
                sys.executable,
                str(START),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                cwd=tmp_path,
                env={**env, "PYTHONPATH": str(Path(__file__).parents[2])},
            )
        )
        for _ in range(INSTANCES)
    ]
    try:
        assert [await instance.line() for instance in started] == ["ready"] * INSTANCES
        yield started
    finally:
        for instance in started:
            if instance.process.stdin is not None:
                instance.process.stdin.close()
        for instance in started:
            try:
                await asyncio.wait_for(instance.process.wait(), timeout=10)
            except TimeoutError:
                instance.process.kill()
                await instance.process.wait()


def earlier_plan(folder: Path) -> PlanSpec:
    """The shipped plan before Hưng Long joined the xã/phường group."""
    shipped = SHIPPED_PLAN.read_text(encoding="utf-8")
    assert '"ngoc-lam", "hung-long",' in shipped
    earlier = folder / "earlier.toml"
    earlier.write_text(shipped.replace('"ngoc-lam", "hung-long",', '"ngoc-lam",'), encoding="utf-8")
    return read_plan(earlier)


async def prepare(url: str, state: str, folder: Path) -> None:
    if state == "empty":
        return
    async with db.opened(url) as engine:  # `nhacviec db upgrade`
        if state == "earlier plan":
            async with db.session_factory(engine)() as session:
                await load_plan(session, earlier_plan(folder))


async def check(url: str, state: str) -> None:
    """The schema at the latest migration, each unit, duty and group member once, one load counted."""
    spec = read_plan(SHIPPED_PLAN)
    head = ScriptDirectory(str(db.MIGRATIONS)).get_current_head()
    engine = db.create_engine(url)
    try:
        async with engine.connect() as connection:
            version = await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())
        assert version == head
        async with db.session_factory(engine)() as session:
            units = (await session.exec(select(Unit.key))).all()
            duties = (await session.exec(select(Duty.key))).all()
            members = (await session.exec(select(GroupMember.group_key, GroupMember.unit_id))).all()
            revision = await plan_revision(session)
    finally:
        await engine.dispose()
    assert sorted(units) == sorted(unit.key for unit in spec.units)
    assert sorted(duties) == sorted(duty.key for duty in spec.duties)
    assert len(members) == sum(len(keys) for keys in spec.groups.values())
    assert revision == (2 if state == "earlier plan" else 1)  # the shipped plan's load counted once


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_instances_started_together_all_start_and_load_the_plan_once(
    instances: list[Instance], backend: str, tmp_path: Path
) -> None:
    if backend == "postgresql" and not PG_URL:
        pytest.skip("no PostgreSQL: set NHACVIEC_TEST_DATABASE_URL")
    for trial, state in enumerate(STATES):
        if backend == "postgresql":
            assert PG_URL is not None
            await reset_postgres(PG_URL)
            url = PG_URL
        else:
            url = f"sqlite:///{tmp_path / f'trial-{trial}.db'}"
        await prepare(url, state, tmp_path)
        for instance in instances:
            instance.go(url)
        answers = [await instance.line() for instance in instances]
        assert answers == ["started"] * INSTANCES, f"trial {trial} ({state}): {answers}"
        await check(url, state)
