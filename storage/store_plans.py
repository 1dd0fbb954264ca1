"""The store's writes of the office's plans (storage/store.py): plans and tasks, tasks given in chat,
units and days off, plan sheets. Each change moves the plan's revision, so every instance follows it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlmodel import SQLModel

from storage import office, plan, plan_imports, tasks, units
from storage.models import Duty, DutyDocument, OfficeIdentity, Plan, PlanImport, TaskDraft, Unit, fitted
from storage.store_reads import Reads

Row = TypeVar("Row", bound=SQLModel)


class PlanWrites(Reads):
    async def _write(self) -> None:
        raise NotImplementedError  # Store's: the writer turn

    async def _added(self, row: Row) -> Row:
        raise NotImplementedError  # Store's

    # plans and tasks: each change moves the plan's revision, so every instance follows it
    async def add_plan(self, **values: Any) -> Plan:
        plan_row = await self._added(Plan(**values))
        await plan.moved(self.session)
        return plan_row

    async def add_duty(self, **values: Any) -> Duty:
        duty = await self._added(Duty(**values))
        await plan.moved(self.session)
        return duty

    async def change_duty(self, duty: Duty, **values: Any) -> Duty:
        """Change a duty's deadline rule, units, title...; `in_plan=False` ends it (its history stays)."""
        for name, value in values.items():
            setattr(duty, name, value)
        await self._added(duty)
        await plan.moved(self.session)
        return duty

    # tasks given in chat (/giao): the draft, taken once, and the documents sent with it
    async def add_task_draft(self, **values: Any) -> TaskDraft:
        return await self._added(TaskDraft(**fitted(TaskDraft, values)))  # the words as typed, kept to the column

    async def take_task_draft(
        self, *, draft_id: int, decision: str, by: str, now: datetime, since: datetime
    ) -> TaskDraft | None:
        """The draft, marked used (given or cancelled) by this tap; None when used already or expired."""
        await self._write()
        return await tasks.take_task_draft(
            self.session, draft_id=draft_id, decision=decision, by=by, now=now, since=since
        )

    async def add_duty_document(self, **values: Any) -> DutyDocument:
        return await self._added(DutyDocument(**values))

    async def documents_given(self, *, draft_id: int, duty_id: int) -> None:
        await self._write()
        await tasks.documents_given(self.session, draft_id=draft_id, duty_id=duty_id)

    # units and days off, the office's: each change moves the plan's revision too
    async def add_unit(self, *, groups: Sequence[str] = (), **values: Any) -> Unit:
        await self._write()
        return await units.add_unit(self.session, groups=groups, **values)

    async def set_group(self, *, key: str, unit_ids: Sequence[int]) -> None:
        await self._write()
        await units.set_group(self.session, key=key, unit_ids=unit_ids)

    async def change_unit(self, unit: Unit, **values: Any) -> Unit:
        """Rename a unit, end it (`valid_to`), give it successors: the office's unit from now on."""
        await self._write()
        return await units.change_unit(self.session, unit, **values)

    async def set_calendar_day(self, *, day: date, off: bool, note: str = "") -> None:
        """A day off or a working day the office declares (replacing any correction of that day)."""
        await self._write()
        await plan.set_calendar_day(self.session, day=day, off=off, note=note[:200])

    async def remove_calendar_day(self, *, day: date) -> None:
        await self._write()
        await plan.remove_calendar_day(self.session, day=day)

    async def change_plan(self, plan_row: Plan, **values: Any) -> Plan:
        """Change a plan's title, number, dates...; `active=False` ends it."""
        for name, value in values.items():
            setattr(plan_row, name, value)
        await self._added(plan_row)
        await plan.moved(self.session)
        return plan_row

    async def add_plan_import(self, **values: Any) -> PlanImport:
        return await self._added(PlanImport(**values))

    async def take_plan_import(self, *, import_id: int, apply: bool, now: datetime) -> PlanImport | None:
        """A waiting plan sheet, used once: applied (`apply`) or cancelled; None when already used."""
        await self._write()
        return await plan_imports.take_plan_import(self.session, import_id=import_id, apply=apply, now=now)

    async def change_office_identity(self, *, values: Mapping[str, str], now: datetime) -> OfficeIdentity:
        """The office's identity with the named fields changed (its own plans follow it)."""
        await self._write()
        return await office.change_office_identity(self.session, values=values, now=now)
