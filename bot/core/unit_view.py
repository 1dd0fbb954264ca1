"""What /donvi adds about one unit for the office: its kind, groups, validity and successors, the buttons
to rename, end or merge it, and, once it ended with successors, the decisions still waiting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.context import Context
from bot.core.types import Button
from messages import units as words
from storage.models import Duty, Unit
from storage.people import OfficialView
from storage.store import Store


@dataclass(frozen=True)
class Waiting:
    """An ended unit's officials and tasks the office has not yet moved or let go."""

    unit: Unit
    successor: Unit
    officials: list[OfficialView]
    duties: list[Duty]

    @property
    def empty(self) -> bool:
        return not (self.officials or self.duties)


def successors_of(unit: Unit, units: list[Unit]) -> list[Unit]:
    by_key = {other.key: other for other in units}
    return [by_key[key] for key in unit.successors if key in by_key]


async def waiting(ctx: Context, unit: Unit, units: list[Unit]) -> Waiting | None:
    return await waiting_at(ctx.store, ctx.today, unit, units)


async def waiting_at(store: Store, today: date, unit: Unit, units: list[Unit]) -> Waiting | None:
    """None unless the unit has ended (before today) with a successor; its officials not yet in the
    successor, and the tasks naming it."""
    successors = successors_of(unit, units)
    if unit.valid_to is None or unit.valid_to >= today or not successors:
        return None
    successor = successors[0]
    there = {view.person.id for view in await store.active_officials(unit_id=successor.id)}
    officials = [v for v in await store.active_officials(unit_id=unit.id) if v.person.id not in there]
    duties = [duty for duty in await store.duties_for_unit(unit_id=unit.id or 0) if unit.key in duty.units]
    return Waiting(unit, successor, officials, duties)


async def extras(ctx: Context, unit: Unit, units: list[Unit]) -> tuple[str, list[list[Button]]]:
    """The lines under the unit's name in /donvi and its buttons."""
    groups = [group for group, ids in (await ctx.store.groups()).items() if unit.id in ids]
    lines = [words.unit_facts(unit, groups, successors_of(unit, units), ctx.locale)]
    changes = (("rename", "doi ten"), ("end", "ket thuc"), ("merge", "sap xep vao"))
    buttons = [[Button(words.label(name, ctx.locale), f"/donvi {unit.key} {verb}") for name, verb in changes]]
    found = await waiting(ctx, unit, units)
    if found is not None and not found.empty:
        lines.append(words.waiting(unit, [found.successor], found.officials, found.duties, ctx.locale))
        buttons = decision_buttons(ctx, found)
    elif unit.valid_to is not None and unit.valid_to >= ctx.today and unit.successors:
        lines.append(words.asked_from(unit, ctx.locale))
    return "\n".join(lines), buttons


def decision_buttons(ctx: Context, found: Waiting) -> list[list[Button]]:
    return buttons_for(found, ctx.locale)


def buttons_for(found: Waiting, locale: str) -> list[list[Button]]:
    key = found.unit.key
    rows = [
        [
            Button(f"#{v.official.id} {words.label('move', locale)}", f"/donvi {key} cb {v.official.id} chuyen"),
            Button(f"#{v.official.id} {words.label('stay', locale)}", f"/donvi {key} cb {v.official.id} khong"),
        ]
        for v in found.officials[:10]
    ]
    if found.duties:
        rows.append(
            [
                Button(words.label("tasks_move", locale), f"/donvi {key} viec chuyen"),
                Button(words.label("tasks_stay", locale), f"/donvi {key} viec khong"),
            ]
        )
    return rows
