"""Several plans at once (issue 15): a plan is a dated document, every duty belongs to one, and loading
one plan's file leaves the others' duties, units and groups alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.settings import SHIPPED_PLAN
from storage import db, outbox, people
from storage.plan import duties_of_plan, load_plan, plans
from storage.plan_file import read_plan

SECOND_PLAN = """
[plan]
key = "ra-soat-bien-che-2026"
title = "Kế hoạch rà soát biên chế năm 2026"
number = "12/KH-UBND"
issued_on = 2026-01-06
issuer = "UBND thị xã Mỹ Hào"
report_to = "Phòng Nội vụ"

[[units]]
key = "noi-vu"
name = "Phòng Nội vụ"
short = "Nội vụ"
kind = "phong"

[[units]]
key = "kinh-te"
name = "Phòng Kinh tế"
short = "Kinh tế"
kind = "phong"

[groups]
ra-soat = ["noi-vu", "kinh-te"]

[[duties]]
key = "bao-cao-ra-soat-bien-che-2026"
title = "Báo cáo rà soát biên chế năm 2026"
groups = ["ra-soat"]
deadline = { kind = "once", date = 2026-12-04, inclusive = false }
"""


async def test_a_second_plan_leaves_the_first_standing(database_url: str, tmp_path: Path) -> None:
    second = tmp_path / "second.toml"
    second.write_text(SECOND_PLAN, encoding="utf-8")
    async with db.opened(database_url) as engine, db.session_factory(engine)() as session:
        await load_plan(session, read_plan(SHIPPED_PLAN))
        changes = await load_plan(session, read_plan(second))
        assert changes.added_plans == ["ra-soat-bien-che-2026"]
        assert (changes.retired_duties, changes.retired_units) == ([], [])
        assert changes.changed_groups == ["ra-soat"]  # the first plan's groups are left as they were

        found = {plan.key: plan for plan in await plans(session)}
        assert set(found) == {"my-hao-2025", "ra-soat-bien-che-2026"}
        first, other = found["my-hao-2025"], found["ra-soat-bien-che-2026"]
        assert (other.number, other.issued_on, other.report_to) == ("12/KH-UBND", date(2026, 1, 6), "Phòng Nội vụ")
        assert first.report_to == "Văn phòng HĐND và UBND thị xã"
        assert len(await duties_of_plan(session, plan_id=first.id or 0)) == 4
        assert [d.key for d in await duties_of_plan(session, plan_id=other.id or 0)] == [
            "bao-cao-ra-soat-bien-che-2026"
        ]
        in_plan = {duty.key: units for duty, units in await outbox.plan_duties(session)}
        assert len(in_plan) == 5  # both plans' duties are planned
        assert [unit.key for unit in in_plan["bao-cao-ra-soat-bien-che-2026"]] == ["noi-vu", "kinh-te"]
        assert len(await people.units(session)) == len(read_plan(SHIPPED_PLAN).units)  # none retired

        # loading the first again changes nothing of the second
        again = await load_plan(session, read_plan(SHIPPED_PLAN))
        assert (again.retired_duties, again.retired_units, again.changed_groups) == ([], [], [])


async def test_a_duty_may_name_its_units_itself(database_url: str) -> None:
    """A task given to "Nội vụ, Kinh tế" names its units; they are its units besides its groups'."""
    async with db.opened(database_url) as engine, db.session_factory(engine)() as session:
        await load_plan(session, read_plan(SHIPPED_PLAN))
        from storage.store import Store

        store = Store(session)
        (plan,) = await store.plans()
        revision = await store.plan_revision()
        duty = await store.add_duty(
            key="giao-1",
            title="Báo cáo rà soát biên chế năm 2026",
            rule={"kind": "once", "date": "2026-12-04", "inclusive": False},
            groups=[],
            units=["noi-vu", "kinh-te"],
            plan_id=plan.id,
        )
        await store.commit()
        assert await store.plan_revision() == revision + 1  # running bots follow it
        noi_vu = await people.unit_by_key(session, key="noi-vu")
        assert noi_vu is not None
        assert duty.key in [d.key for d in await people.duties_for_unit(session, unit_id=noi_vu.id or 0)]
        units = {d.key: u for d, u in await outbox.plan_duties(session)}["giao-1"]
        assert sorted(unit.key for unit in units) == ["kinh-te", "noi-vu"]
