"""The FakeStore's operations for tasks given in chat (`/giao`, storage/tasks.py): drafts taken once and
only while fresh, the documents kept with them, the groups and the units' recipients."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from storage.models import IDENTITY_FIELDS, DutyDocument, OfficeIdentity, Person, Role, TaskDraft, fitted
from storage.office import OFFICE_PLAN
from storage.outbox import Recipient
from storage.store import Store
from tests.fakes.tables import Tables, copied


class FakeTasks(Store):
    tables: Tables

    async def _insert(self, table: str, row: Any) -> Any:
        raise NotImplementedError  # FakeStore's

    async def office_identity(self) -> OfficeIdentity:
        return copied(self.tables.identity) if self.tables.identity else OfficeIdentity(id=1)

    async def change_office_identity(self, *, values: Mapping[str, str], now: datetime) -> OfficeIdentity:
        await self._write()
        row = self.tables.identity or OfficeIdentity(id=1)
        for name, value in fitted(OfficeIdentity, {k: v for k, v in values.items() if k in IDENTITY_FIELDS}).items():
            setattr(row, name, value)
        row.changed_at, self.tables.identity = now, row
        for plan in self.tables.plans.values():
            if plan.key == OFFICE_PLAN and (plan.issuer, plan.report_to) != (row.parent, row.report_to):
                plan.issuer, plan.report_to = row.parent, row.report_to
                self.tables.revision += 1
        return copied(row)

    async def add_task_draft(self, **values: Any) -> TaskDraft:
        return await self._insert("task_drafts", TaskDraft(**fitted(TaskDraft, values)))

    async def take_task_draft(
        self, *, draft_id: int, decision: str, by: str, now: datetime, since: datetime
    ) -> TaskDraft | None:
        await self._write()
        draft = self.tables.task_drafts.get(draft_id)
        if draft is None or draft.used_at is not None or draft.created_at <= since:
            return None
        draft.used_at, draft.decision, draft.used_by = now, decision, by
        return copied(draft)

    async def add_duty_document(self, **values: Any) -> DutyDocument:
        return await self._insert("duty_documents", DutyDocument(**fitted(DutyDocument, values)))

    async def documents_given(self, *, draft_id: int, duty_id: int) -> None:
        await self._write()
        for document in self.tables.duty_documents.values():
            if document.draft_id == draft_id:
                document.duty_id = duty_id

    async def task_draft(self, draft_id: int) -> TaskDraft | None:
        found = self.tables.task_drafts.get(draft_id)
        return copied(found) if found else None

    async def open_task_draft(self, *, asked_by: str, since: datetime) -> TaskDraft | None:
        mine = [
            draft
            for _id, draft in sorted(self.tables.task_drafts.items(), reverse=True)
            if draft.asked_by == asked_by and draft.used_at is None and draft.created_at > since
        ]
        return copied(mine[0]) if mine else None

    async def task_documents(self, *, draft_id: int | None = None, duty_id: int | None = None) -> list[DutyDocument]:
        return [
            copied(row)
            for _id, row in sorted(self.tables.duty_documents.items())
            if draft_id in (None, row.draft_id) and duty_id in (None, row.duty_id)
        ]

    async def unit_recipients(self, *, unit_ids: Iterable[int]) -> list[Recipient]:
        """As storage.outbox.unit_recipients: the accounts of the units' active officials and heads, on
        the channel each chose (when they chose one)."""
        wanted = set(unit_ids)
        found = []
        for _id, account in sorted(self.tables.accounts.items()):
            person: Person = self.tables.persons[account.person_id]
            if person.channel not in (None, account.channel):
                continue
            for official in self.tables.officials.values():
                mine = official.active and official.person_id == account.person_id and official.unit_id in wanted
                if mine and official.role in (Role.OFFICIAL.value, Role.HEAD.value):
                    since = max(official.created_at, account.linked_at)
                    found.append(Recipient(official.unit_id, copied(account), official.role, since))
        return found
