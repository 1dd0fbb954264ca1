"""Plans and units that end: what they owed closes with them.

A unit owes an occurrence while it is valid on the named day, and a plan asks only while it is in force
(`storage.models.plan_ends`). Until the day after a unit's or its plan's end, a report it has not sent
is late like any other; from then on it is closed ("closed", with the reason in `reason`: the plan
ended, the unit ended, or it was merged into its successors), kept in the history and the plan's own
workbook, and gone from the live views (/quahan, /tonghop, the digests, /congvan, the page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from scheduler.calendar import WorkCalendar
from scheduler.occurrences import PlannedOccurrence, plan_occurrences
from storage.models import FINISHED, Plan, Unit, plan_ends
from storage.store import Store

LOOKED_BACK = timedelta(days=3 * 366)  # as far back as a late report stays open (bot/core/cache.LATE_KEPT)
AHEAD = timedelta(days=31)  # a legal last day lies at most a couple of weeks after its named day
CHANNEL = "system"  # the update's channel: nobody typed it


@dataclass(frozen=True)
class Closed:
    """One report closed because its plan or unit ended."""

    occurrence_id: int
    unit_id: int
    reason: str  # one of storage.models.ENDED_REASONS


def why_closed(unit: Unit, plan_end: date | None, *, today: date, names: dict[str, str]) -> tuple[str, str] | None:
    """Why a unit's unsent report of a plan closes today or has closed (reason, note), or None while it
    stays open: the unit's end first (merged: the note names its successors), then the plan's."""
    if unit.valid_to is not None and unit.valid_to < today:
        successors = [names[key] for key in unit.successors if key in names]
        return ("merged", ", ".join(successors)) if successors else ("unit_ended", "")
    if plan_end is not None and plan_end < today:
        return ("plan_ended", "")
    return None


async def close_ended(store: Store, *, cal: WorkCalendar, tz: ZoneInfo, now: datetime) -> list[Closed]:
    """Close every report a unit has not sent of a plan or unit that ended before today; the caller
    commits. What was sent or closed already is left as it is; running it again closes nothing more."""
    today = now.astimezone(tz).date()
    plans = {plan.id or 0: plan for plan in await store.plans(active_only=False)}
    units = await store.units(in_plan_only=False)
    names = {unit.key: unit.name for unit in units}
    windows = await store.plan_windows()
    planned = plan_occurrences(await store.plan_duties(), cal, tz, today - LOOKED_BACK, today + AHEAD, windows=windows)
    closed: list[Closed] = []
    for item in planned:
        wanted = _ending(item, plans.get(item.duty.plan_id or 0), today=today, names=names)
        if wanted:
            closed += await _close(store, item, wanted, now=now)
    return closed


def _ending(
    item: PlannedOccurrence, plan: Plan | None, *, today: date, names: dict[str, str]
) -> dict[int, tuple[str, str]]:
    plan_end = plan_ends(plan) if plan is not None else None
    wanted = {}
    for unit in item.units:
        why = why_closed(unit, plan_end, today=today, names=names)
        if why is not None:
            wanted[unit.id or 0] = why
    return wanted


async def _close(
    store: Store, item: PlannedOccurrence, wanted: dict[int, tuple[str, str]], *, now: datetime
) -> list[Closed]:
    found = item.occurrence
    row, _committed = await store.occurrence(
        duty_id=item.duty.id or 0,
        nominal=found.nominal,
        aim_day=found.aim_day,
        legal_last_day=found.legal_last_day,
        inclusive=found.inclusive,
        period_start=found.period_start,
        period_end=found.period_end,
    )
    occurrence_id = row.id or 0
    if (await store.units_done(occurrence_ids=[occurrence_id])).get(occurrence_id, 0) >= len(item.units):
        return []
    latest = await store.latest_statuses(pairs=[(occurrence_id, unit_id) for unit_id in wanted])
    closed = []
    for unit_id, (reason, note) in wanted.items():
        last = latest.get((occurrence_id, unit_id))
        if last is not None and last.status in FINISHED:
            continue
        written = await store.record_status(
            after=last,
            occurrence_id=occurrence_id,
            unit_id=unit_id,
            status="closed",
            reason=reason,
            note=note,
            channel=CHANNEL,
            by_office=True,
            at=now,
        )
        if written is not None:
            closed.append(Closed(occurrence_id, unit_id, reason))
    return closed
