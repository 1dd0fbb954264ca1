"""A few units of the shipped plan (storage/plans/my-hao-2025.toml) in a FakeStore's tables, with the
plan's groups and duties as `storage.plan.load_plan` writes them, and a Core working on them: the real
rules, calendar and wording, no database."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.context import CoreConfig
from bot.core.core import Core
from scheduler.clock import FakeClock
from scheduler.loaded_plan import LoadedPlan, PlanCalendar
from storage.models import Duty, HolidayOverride, Plan, Unit
from storage.plan_file import PlanSpec, read_plan
from tests.fakes.store import FakeStore

SHIPPED_PLAN = Path(__file__).resolve().parents[2] / "storage" / "plans" / "my-hao-2025.toml"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = "telegram:1"
# Two old phường/xã (merged on 1/7/2025), a phòng that also owes the monthly report, and the office.
UNITS = ("ban-yen-nhan", "cam-xa", "noi-vu", "van-phong")


@cache
def shipped_plan() -> PlanSpec:
    return read_plan(SHIPPED_PLAN)


def seed(fake: FakeStore, unit_keys: tuple[str, ...] = UNITS) -> dict[str, int]:
    """The plan's units of these keys, its groups (of those units), duties and calendar corrections, as
    a plan load leaves them (revision 1); the units' ids by key."""
    spec, tables = shipped_plan(), fake.tables
    ids: dict[str, int] = {}
    for unit in spec.units:
        if unit.key in unit_keys:
            row = Unit(
                key=unit.key,
                name=unit.name,
                short_name=unit.short,
                kind=unit.kind,
                stat_code=unit.code,
                aliases=list(unit.aliases),
                valid_from=unit.valid_from,
                valid_to=unit.valid_to,
                successors=list(unit.successors),
            )
            ids[unit.key] = tables.insert("units", row).id or 0
    for group, members in spec.groups.items():
        tables.groups[group] = {ids[key] for key in members if key in ids}
    meta = spec.plan
    plan = Plan(
        key=meta.key,
        title=meta.title,
        number=meta.number,
        issued_on=meta.issued_on,
        issuer=meta.issuer,
        report_to=meta.report_to,
        valid_from=meta.valid_from,
        valid_to=meta.valid_to,
        unit_keys=[unit.key for unit in spec.units],
        group_keys=sorted(spec.groups),
    )
    plan_id = tables.insert("plans", plan).id
    for duty in spec.duties:
        duty_row = Duty(
            plan_id=plan_id,
            key=duty.key,
            title=duty.title,
            title_en=duty.title_en,
            wording=duty.wording,
            rule=duty.deadline.as_rule(),
            groups=list(duty.groups),
            ladder=list(duty.ladder),
            remind_at=duty.remind_at,
        )
        tables.insert("duties", duty_row)
    tables.holidays = {day.date: HolidayOverride(day=day.date, off=day.off, note=day.note) for day in spec.calendar}
    tables.revision = 1
    return ids


def core_on(fake: FakeStore, clock: FakeClock, *, admins: frozenset[str] = frozenset({ADMIN})) -> Core:
    """A Core on the fake, as bot.app builds one: the plan's revision and calendar read from the tables."""
    plan = LoadedPlan(
        revision=fake.tables.revision,
        calendar=PlanCalendar({day: row.off for day, row in fake.tables.holidays.items()}),
    )
    return Core(stores=fake.opened, clock=clock, config=CoreConfig(admins=admins, tz=TZ), plan=plan)
