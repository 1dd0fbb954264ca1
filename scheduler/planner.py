"""The planner: which reminders are due now? It writes them to the outbox; the dispatcher sends them.

The database is the schedule: the planner can run any number of times, on any number of instances,
and each (occurrence, unit, account, step) becomes at most one outbox row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from scheduler.calendar import DeadlineRule, Occurrence, WorkCalendar, occurrences
from scheduler.digests import plan_digests
from scheduler.ladder import Due, current_step, parse_hour, parse_ladder, schedule
from storage import outbox, status
from storage.models import Duty, Unit

log = logging.getLogger(__name__)

# Occurrences whose last day is this close to today can have a step due: the default ladder spans
# 7 days before to 7 working days after (about 11 calendar days, more around Tết).
WINDOW = timedelta(days=45)


@dataclass(frozen=True)
class PlannedOccurrence:
    """An occurrence with its ladder: what /lich shows and what the planner acts on."""

    duty: Duty
    occurrence: Occurrence
    dues: list[Due]
    units: list[Unit]


def ladder_of(duty: Duty, cal: WorkCalendar, tz: ZoneInfo, occurrence: Occurrence) -> list[Due]:
    return ladder_of_days(duty, cal, tz, occurrence.aim_day, occurrence.legal_last_day)


def ladder_of_days(duty: Duty, cal: WorkCalendar, tz: ZoneInfo, aim_day: date, legal_last_day: date) -> list[Due]:
    hour = parse_hour(duty.remind_at or "08:00")
    return schedule(aim_day, legal_last_day, parse_ladder(duty.ladder), hour=hour, cal=cal, tz=tz)


async def occurrences_between(
    session: AsyncSession, cal: WorkCalendar, tz: ZoneInfo, start: date, end: date
) -> list[PlannedOccurrence]:
    """Occurrences whose legal last day falls in [start, end], with their ladders and units."""
    planned = []
    for duty in await outbox.duties_in_plan(session):
        rule = DeadlineRule.from_dict(duty.rule)
        units = await outbox.units_of_groups(session, groups=duty.groups)
        for found in occurrences(duty.key, rule, cal, start=start - timedelta(days=20), end=end):
            if start <= found.legal_last_day <= end:
                valid = [unit for unit in units if unit.valid_on(found.nominal)]
                planned.append(PlannedOccurrence(duty, found, ladder_of(duty, cal, tz, found), valid))
    return sorted(planned, key=lambda item: (item.occurrence.aim_day, item.duty.id or 0))


class Planner:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        calendar: WorkCalendar,
        tz: ZoneInfo,
        office_refs: frozenset[str] = frozenset(),
        quotas: dict[str, int] | None = None,
    ) -> None:
        self.sessions = sessions
        self.calendar = calendar
        self.tz = tz
        self.office_refs = office_refs
        self.quotas = quotas or {}
        self._day: date | None = None
        self._planned: list[PlannedOccurrence] = []
        self._written: dict[tuple[str, str], tuple[object, ...]] = {}
        self._extensions: dict[str, tuple[tuple[object, ...], dict[int, date]]] = {}

    async def plan(self, now: datetime) -> int:
        """Write the reminders due at `now` to the outbox; returns how many rows were new.

        A step already written is written again only when the people or the statuses changed since
        (someone registered, left or reported): the outbox's unique key makes that safe, the memory
        here only saves queries, and another instance's planner simply does the same work once.
        """
        today = now.astimezone(self.tz).date()
        created = 0
        async with self.sessions() as session:
            if self._day != today:
                window = (today - WINDOW, today + WINDOW)
                self._planned = await occurrences_between(session, self.calendar, self.tz, *window)
                self._day = today
            version = await outbox.audience_version(session)
            for item in self._planned:
                for dues, units, last_day in await self._ladders(session, item, version):
                    due = current_step(dues, now)
                    if due is None or not units:
                        continue
                    step = due.step.key if last_day is None else f"x{last_day:%m%d}{due.step.key}"
                    key = (item.occurrence.key, step)
                    if self._written.get(key) == version:
                        continue
                    created += await self._write(session, item, due, now, units=units, step=step, last_day=last_day)
                    self._written[key] = version
            created += await plan_digests(
                session,
                self._planned,
                now=now,
                cal=self.calendar,
                tz=self.tz,
                admins=self.office_refs,
                quotas=self.quotas,
            )
        if created:
            log.info("planned %d reminders", created)
        return created

    async def _ladders(
        self, session: AsyncSession, item: PlannedOccurrence, version: tuple[object, ...]
    ) -> list[tuple[list[Due], list[Unit], date | None]]:
        """The occurrence's ladder for its units, and one more per new last day an extension granted."""
        key = item.occurrence.key
        cached = self._extensions.get(key)
        if cached is None or cached[0] != version:
            occurrence_id = await outbox.occurrence_id(
                session, duty_id=item.duty.id or 0, nominal=item.occurrence.nominal
            )
            granted = await status.granted_until(session, occurrence_id=occurrence_id) if occurrence_id else {}
            cached = (version, granted)
            self._extensions[key] = cached
        granted = cached[1]
        ladders: list[tuple[list[Due], list[Unit], date | None]] = [
            (item.dues, [unit for unit in item.units if unit.id not in granted], None)
        ]
        for until in sorted(set(granted.values())):
            units = [unit for unit in item.units if granted.get(unit.id or 0) == until]
            # a granted extension moves both dates of that unit to its new day
            ladders.append((ladder_of_days(item.duty, self.calendar, self.tz, until, until), units, until))
        return ladders

    async def _write(
        self,
        session: AsyncSession,
        item: PlannedOccurrence,
        due: Due,
        now: datetime,
        *,
        units: list[Unit],
        step: str,
        last_day: date | None,
    ) -> int:
        assert item.duty.id is not None
        found = item.occurrence
        row = await outbox.ensure_occurrence(
            session,
            duty_id=item.duty.id,
            nominal=found.nominal,
            aim_day=found.aim_day,
            legal_last_day=found.legal_last_day,
            inclusive=found.inclusive,
            period_start=found.period_start,
            period_end=found.period_end,
        )
        assert row.id is not None
        done = await outbox.units_done(session, occurrence_id=row.id)
        open_units = [unit.id for unit in units if unit.id is not None and unit.id not in done]
        if not open_units:
            return 0
        audiences = {"official", *due.step.copy_to}
        rows: list[dict[str, Any]] = []
        base = {
            "occurrence_id": row.id,
            "step": step,
            "due_at": due.at,
            "next_attempt_at": due.at,
            "last_day": last_day,
        }
        for recipient in await outbox.unit_recipients(session, unit_ids=open_units):
            if recipient.audience in audiences:
                rows.append(self._row(base, recipient.unit_id, recipient.account.id, recipient.audience, now))
        if "office" in audiences:
            office = await outbox.office_accounts(session, admins=self.office_refs)
            rows += [self._row(base, unit_id, a.id, "office", now) for unit_id in open_units for a in office]
        return await outbox.add_reminders(session, rows)

    @staticmethod
    def _row(
        base: dict[str, Any], unit_id: int, account_id: int | None, audience: str, now: datetime
    ) -> dict[str, Any]:
        return {**base, "unit_id": unit_id, "account_id": account_id, "audience": audience, "created_at": now}
