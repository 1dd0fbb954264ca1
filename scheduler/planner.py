"""The planner: which reminders are due now? It writes them to the outbox; the dispatcher sends them.

The database is the schedule: the planner can run any number of times, on any number of instances,
and each (occurrence, unit, account, step) becomes at most one outbox row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from scheduler.calendar import WorkCalendar
from scheduler.digests import plan_digests
from scheduler.endings import close_ended
from scheduler.ladder import Due, allowed_moment, current_step
from scheduler.loaded_plan import LoadedPlan
from scheduler.observer import Observer, Unobserved
from scheduler.occurrences import PlannedOccurrence, kept, ladder_of_days, occurrence_row, occurrences_between
from scheduler.steps import StepKey
from storage import outbox, status
from storage.models import Unit
from storage.store import Store

log = logging.getLogger(__name__)

# Occurrences whose last day is this close to today can have a step due: the default ladder spans
# 7 days before to 7 working days after (about 11 calendar days, more around Tết).
WINDOW = timedelta(days=45)


class Planner:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        calendar: WorkCalendar,
        tz: ZoneInfo,
        office_refs: frozenset[str] = frozenset(),
        quotas: dict[str, int] | None = None,
        plan: LoadedPlan | None = None,
        observer: Observer | None = None,
    ) -> None:
        self.sessions = sessions
        self.calendar = calendar
        self.tz = tz
        self.office_refs = office_refs
        self.quotas = quotas or {}
        self.loaded = plan  # its revision says when a newer plan was loaded; its calendar is `calendar`
        self._revision = plan.revision if plan else 0
        self.observer = observer or Unobserved()
        self._day: date | None = None
        self._planned: list[PlannedOccurrence] = []
        self._written: dict[tuple[str, str], tuple[object, ...]] = {}
        self._extensions: dict[str, tuple[tuple[object, ...], dict[int, date]]] = {}

    async def plan(self, now: datetime) -> int:
        """Write the reminders due at `now` to the outbox; returns how many rows were new.

        A step already written is written again only when the people or the statuses changed since
        (someone registered, left or reported): the outbox's unique keys make that safe, the memory
        here only saves queries, and another instance's planner simply does the same work once.

        Once a day: each row carries the local day it goes out, and a person gets at most one
        reminder a day per occurrence and unit (the office: one message a day per occurrence). When
        two steps compete for a person's day (a step missed just before the next one, an extension's
        second ladder, a day off moving a step onto another's day, a snooze until that morning), the
        first written wins: it may be out already, a message cannot be taken back, and its words
        (days left, late or not) are made when it is sent, so the later step would have said the
        same. In one pass the person's most direct role wins: official before head before office.
        A step due before someone registered or linked the account is not theirs: the welcome
        listed the deadlines.
        """
        today = now.astimezone(self.tz).date()
        if self.loaded is not None:
            await self.loaded.refresh(Store.factory(self.sessions), now, every=timedelta(0))  # one row a tick
            self._follow(self.loaded.revision)
        if self._day != today:  # once a day (and after a newer plan): what ended closes with it
            await self._close_ended(now)
        async with self.sessions() as session:
            if self._day != today:
                window = (today - WINDOW, today + WINDOW)
                self._planned = kept(session, await occurrences_between(session, self.calendar, self.tz, *window))
                self._day = today
            created = await self._plan_steps(session, now)
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
            self.observer.planned(created)
        return created

    async def _close_ended(self, now: datetime) -> None:
        async with Store.opened(self.sessions) as store:
            closed = await close_ended(store, cal=self.calendar, tz=self.tz, now=now)
            await store.commit()
        if closed:
            log.info("closed %d reports of plans and units that ended", len(closed))

    async def _plan_steps(self, session: AsyncSession, now: datetime) -> int:
        """Write each occurrence's steps due now that were not written for the current state."""
        created = 0
        version = await outbox.audience_version(session)
        # every row of this pass goes out from the next allowed moment: its steps are all due by now
        day = allowed_moment(now, self.calendar, self.tz).astimezone(self.tz).date()
        for item in self._planned:
            wanted: list[_Wanted] = []
            for dues, units, last_day in await self._ladders(session, item, version):
                due = current_step(dues, now)
                if due is None or not units:
                    continue
                step = StepKey.of_ladder(due.step.key, granted=last_day)
                if self._written.get((item.occurrence.key, step)) != version:
                    wanted.append(_Wanted(due, units, step, last_day))
            if wanted:
                created += await self._write(session, item, wanted, now, day=day)
                for piece in wanted:
                    self._written[(item.occurrence.key, piece.step)] = version
        return created

    def _follow(self, revision: int) -> None:
        """After a newer plan was loaded, work out the occurrences again and forget which steps were
        written: a unit may have joined an occurrence whose people did not change."""
        if revision != self._revision:
            self._revision = revision
            self._day = None
            self._written.clear()
            self._extensions.clear()

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
        self, session: AsyncSession, item: PlannedOccurrence, wanted: list[_Wanted], now: datetime, *, day: date
    ) -> int:
        """The rows of an occurrence's due steps (one per ladder) for `day`, in one INSERT, so that the
        dispatcher finds the office's rows together and sends them as one message."""
        assert item.duty.id is not None
        row = await occurrence_row(session, item)
        assert row.id is not None
        done = await outbox.units_done(session, occurrence_id=row.id)
        pieces = [(piece, [u.id for u in piece.units if u.id is not None and u.id not in done]) for piece in wanted]
        pieces = [(piece, open_units) for piece, open_units in pieces if open_units]
        if not pieces:
            await session.commit()  # the occurrence row, if it is new
            return 0
        start = datetime.combine(day, datetime.min.time(), tzinfo=self.tz)
        served = await outbox.served_on(
            session, occurrence_id=row.id, day=day, start=start, end=start + timedelta(days=1)
        )
        today = _Day(
            taken={(s.unit_id, s.person_id) for s in served},
            office_taken={s.person_id for s in served if s.audience == "office"},
        )
        rows: list[dict[str, Any]] = []
        for piece, open_units in pieces:
            base = {
                "occurrence_id": row.id,
                "step": piece.step,
                "due_at": piece.due.at,
                "next_attempt_at": piece.due.at,
                "last_day": piece.last_day,
                "local_day": day,
            }
            rows += await self._people_rows(session, piece.due, open_units, base, now, today)
            if "office" in piece.due.step.copy_to:
                today.office_step = today.office_step or piece.step
                rows += await self._office_rows(
                    session,
                    piece.due,
                    open_units,
                    {**base, "step": today.office_step},
                    now,
                    today,
                    item.duty.follower_id,
                )
        added = await outbox.add_reminders(session, rows)
        await session.commit()
        return added

    async def _people_rows(
        self, session: AsyncSession, due: Due, units: list[int], base: dict[str, Any], now: datetime, today: _Day
    ) -> list[dict[str, Any]]:
        """The unit's officials (and heads, for a step copied to them) not yet reminded today, on each
        of their channels; someone both official and head of a unit gets the official's reminder. A unit
        with no official has its head reminded as its official: someone must hear of the deadline."""
        audiences = {"official", *due.step.copy_to}
        found = await outbox.unit_recipients(session, unit_ids=units)
        with_official = {r.unit_id for r in found if r.audience == "official"}
        recipients = [
            r if r.unit_id in with_official or r.audience != "head" else replace(r, audience="official") for r in found
        ]
        recipients = [r for r in recipients if r.audience in audiences and (r.since is None or r.since <= due.at)]
        role: dict[tuple[int, int], str] = {}
        for r in recipients:
            key = (r.unit_id, r.account.person_id)
            if key not in today.taken and (key not in role or r.audience == "official"):
                role[key] = r.audience
        today.taken |= set(role)
        return [
            self._row(base, r.unit_id, r.account.id, r.audience, now)
            for r in recipients
            if role.get((r.unit_id, r.account.person_id)) == r.audience
        ]

    async def _office_rows(
        self,
        session: AsyncSession,
        due: Due,
        units: list[int],
        base: dict[str, Any],
        now: datetime,
        today: _Day,
        follower: int | None = None,
    ) -> list[dict[str, Any]]:
        """A row per late unit for each office account whose person has no office message today: the
        dispatcher sends them as one. A unit the person was reminded of in person is left out. A duty
        someone follows goes to that person only (to everyone while they have no account)."""
        rows = []
        recipients = await outbox.office_recipients(session, admins=self.office_refs)
        if any(account.person_id == follower for account, _since in recipients):
            recipients = [(account, since) for account, since in recipients if account.person_id == follower]
        for account, since in recipients:
            if since <= due.at and account.person_id not in today.office_taken:
                rows += [
                    self._row(base, unit_id, account.id, "office", now)
                    for unit_id in units
                    if (unit_id, account.person_id) not in today.taken
                ]
        return rows

    @staticmethod
    def _row(
        base: dict[str, Any], unit_id: int, account_id: int | None, audience: str, now: datetime
    ) -> dict[str, Any]:
        return {**base, "unit_id": unit_id, "account_id": account_id, "audience": audience, "created_at": now}


@dataclass(frozen=True)
class _Wanted:
    """A ladder's step due now, for the units on that ladder, not yet written for the current state."""

    due: Due
    units: list[Unit]
    step: str  # the step's key, prefixed with the unit's own last day on an extension's ladder
    last_day: date | None


@dataclass
class _Day:
    """Who has their reminder of an occurrence for the day, as one pass of the planner fills it."""

    taken: set[tuple[int, int]]  # (unit, person): reminded of that unit's report
    office_taken: set[int]  # people who had the office's message before this pass
    office_step: str | None = None  # the office's rows of this pass share one step, so they are one message
