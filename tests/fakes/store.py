"""A Store in memory: the core's rules tested without SQLite and Alembic (issue 14), as cosmicpython's
tests/unit/test_handlers.py tests its handlers on a FakeUnitOfWork.

`FakeStore` is a `storage.store.Store` (so the core takes it wherever it wants one) whose every
operation works on `Tables` (tests/fakes/tables.py) with the rules the SQL has: an invitation is
claimed once, and only while unexpired, unrevoked and unused; an update is not written when one newer
than the one the writer saw says the same (`storage.status.append_status`); a draft is taken, a request
decided, a file received once; unique and foreign keys, aware moments and JSON are checked as there.

`fake.opened` is the `StoreFactory` a `Core` takes: each call is one unit of work on this same store,
all or nothing. What is written is kept by `commit()` (counted in `commits`); leaving the block without
it (an exception, or no commit) puts every table back as it was at the first write since the block
opened or last committed. One unit of work at a time: the fake is for rules, not for concurrency.

Not faked: the reports' queries (occurrence_reports, load_latest, load_details, submissions,
units_done, unreachable_units, audience_revision) raise NotImplementedError; they are SQL through and
through and are tested on SQLite and PostgreSQL in tests/integration, with /tonghop, /quahan, the
digests and the exports that use them. The store has no session: a base method this class did not
replace fails at its first use of it. tests/integration/test_fake_store_agrees.py holds it to the SQL.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import Any, NoReturn, cast

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.channel_traffic import RECEIVED_KEPT
from storage.models import (
    AuditEntry,
    ChannelAccount,
    Draft,
    Duty,
    Evidence,
    Extension,
    HolidayOverride,
    Invitation,
    Occurrence,
    Official,
    Person,
    Plan,
    PlanImport,
    Reminder,
    StatusUpdate,
    Unit,
    fitted,
)
from storage.plan import OFFICE_SOURCE
from storage.store import LATEST, Store, StoreFactory
from tests.fakes.store_reads import FakeReads
from tests.fakes.store_tasks import FakeTasks
from tests.fakes.tables import Row, Tables, UniqueViolation, copied

# the columns a writer of an update may leave out, with the values a new StatusUpdate has (as storage.status)
_UPDATE_DEFAULTS = {
    name: field.default
    for name, field in StatusUpdate.model_fields.items()
    if name not in ("id", "seq") and not field.is_required()
}


class _NoSession:
    """Where a Store keeps its session: any use means a base-class method was reached."""

    def __getattr__(self, name: str) -> NoReturn:
        raise AssertionError(f"FakeStore has no session (session.{name}): a Store method is not faked")


class FakeStore(FakeTasks, FakeReads, Store):
    def __init__(self, tables: Tables | None = None) -> None:
        super().__init__(cast(AsyncSession, _NoSession()))
        self.tables = tables or Tables()
        self.commits = 0
        self._open = False
        self._before: Tables | None = None  # the tables as they were before this unit of work's writes

    # the unit of work
    @asynccontextmanager
    async def opened(self) -> AsyncIterator[Store]:  # type: ignore[override]  # the factory is `fake.opened`
        assert not self._open, "FakeStore: one unit of work at a time"
        self._open = True
        try:
            yield self
        finally:
            await self.rollback()
            self._open = False

    @classmethod
    def factory(cls, sessions: Any) -> StoreFactory:
        raise TypeError("a FakeStore opens its units of work itself: give the core `fake.opened`")

    async def commit(self) -> None:
        assert self._open, "FakeStore: commit outside a unit of work"
        self._before = None
        self.commits += 1

    async def rollback(self) -> None:
        if self._before is not None:
            self.tables, self._before = self._before, None

    def keep(self, *rows: object) -> None:
        """Nothing to detach: what the fake's reads return is never its own rows."""

    async def _write(self) -> None:
        """Before any write: inside a unit of work, and the tables saved the first time."""
        assert self._open, "FakeStore: a write outside a unit of work"
        if self._before is None:
            self._before = self.tables.copy()

    def _end_turn(self) -> None:
        """No writer turn to give back."""

    async def _added(self, row: Row) -> Row:
        raise AssertionError("FakeStore._added: every write of the fake names its table")

    async def _insert(self, table: str, row: Row) -> Row:
        await self._write()
        return copied(self.tables.insert(table, row))

    # people and their roles
    async def ensure_person(self, **values: Any) -> tuple[Person, ChannelAccount]:
        await self._write()
        name = fitted(Person, {"display_name": values["display_name"]})["display_name"]
        username = fitted(ChannelAccount, {"username": values["username"]})["username"]
        channel, user_id, chat_id = values["channel"], values["user_id"], values["chat_id"]
        account = self._account(channel, user_id)
        if account is not None:
            account.chat_id, account.username = chat_id, username
            return copied(self.tables.persons[account.person_id]), copied(account)
        person = self.tables.insert("persons", Person(display_name=name, created_at=values["now"]))
        assert person.id is not None
        where = {"channel": channel, "user_id": user_id, "chat_id": chat_id, "username": username}
        link = ChannelAccount(person_id=person.id, **where, linked_at=values["now"])
        return copied(person), copied(self.tables.insert("accounts", link))

    async def add_official(self, **values: Any) -> Official:
        return await self._insert("officials", Official(**values))

    async def make_admin(self, *, person_id: int, channel: str, user_id: str, now: datetime) -> bool:
        await self._write()
        if person_id in self._admin_people():
            return False
        self.tables.admin_persons.add(person_id)
        return True

    async def end_official(self, official: Official, *, now: datetime) -> None:
        await self._write()
        official.active, official.revoked_at = False, now
        row = self.tables.officials[official.id or 0]
        row.active, row.revoked_at = False, now

    async def link_account(self, **values: Any) -> ChannelAccount:
        if self._account(values["channel"], values["user_id"]) is not None:
            raise UniqueViolation("uq_channel_user")
        return await self._insert("accounts", ChannelAccount(**values))

    async def set_locale(self, *, person_id: int, locale: str) -> None:
        await self._write()
        if person_id in self.tables.persons:
            self.tables.persons[person_id].locale = locale

    async def set_channel(self, *, person_id: int, channel: str | None) -> None:
        await self._write()
        if person_id in self.tables.persons:
            self.tables.persons[person_id].channel = channel

    # invitations and the audit
    async def add_invitation(self, **values: Any) -> Invitation:
        if any(inv.code_hash == values["code_hash"] for inv in self.tables.invitations.values()):
            raise UniqueViolation("invitation.code_hash")
        return await self._insert("invitations", Invitation(**values))

    async def claim_invitation(self, *, invitation_id: int, now: datetime) -> bool:
        await self._write()
        row = self.tables.invitations.get(invitation_id)
        if row is None or row.used_at is not None or row.revoked_at is not None or row.expires_at <= now:
            return False
        row.used_at = now
        return True

    async def invitation_used_by(self, *, invitation_id: int, person_id: int) -> None:
        await self._write()
        if invitation_id in self.tables.invitations:
            self.tables.invitations[invitation_id].used_by_person_id = person_id
            self.tables.check(self.tables.invitations[invitation_id])

    async def revoke_invitation(self, invitation: Invitation, *, now: datetime) -> None:
        await self._write()
        invitation.revoked_at = self.tables.invitations[invitation.id or 0].revoked_at = now

    async def audit(self, **values: Any) -> None:
        """As storage.audit.audit: at, actor, action, unit_id and official_id; the rest is the detail."""
        columns = {name: values.pop(name, None) for name in ("at", "actor", "action", "unit_id", "official_id")}
        json.dumps(values)  # a JSON column: what it cannot hold fails here as in the database
        await self._insert("audit", AuditEntry(**columns, detail=values))

    # status updates, drafts, extensions, evidence
    async def record_status(self, *, after: StatusUpdate | str | None = LATEST, **values: Any) -> StatusUpdate | None:
        """As storage.status.append_status: numbered after the newest of its occurrence and unit; None when
        an update newer than `after` already says the same ("done" after "done" by anyone, or the same
        person, status, percent and expected date)."""
        await self._write()
        row = _UPDATE_DEFAULTS | fitted(StatusUpdate, values)
        if after == LATEST:
            after = await self.latest_status(occurrence_id=row["occurrence_id"], unit_id=row["unit_id"])
        assert not isinstance(after, str)
        mine = [
            update
            for update in self.tables.updates.values()
            if (update.occurrence_id, update.unit_id) == (row["occurrence_id"], row["unit_id"])
        ]
        after_id = after.id or 0 if after else 0
        if any(_says_the_same(update, row) for update in mine if (update.id or 0) > after_id):
            return None
        seq = max((update.seq for update in mine), default=0) + 1
        return await self._insert("updates", StatusUpdate(**row, seq=seq))

    async def add_draft(self, **values: Any) -> Draft:
        return await self._insert("drafts", Draft(**values))

    async def take_draft(self, *, draft_id: int, account_id: int, now: datetime) -> Draft | None:
        await self._write()
        draft = self.tables.drafts.get(draft_id)
        if draft is None or draft.account_id != account_id or draft.used_at is not None:
            return None
        draft.used_at = now
        return copied(draft)

    async def add_extension(self, **values: Any) -> Extension:
        return await self._insert("extensions", Extension(**values))

    async def decide_extension(
        self, *, extension_id: int, decision: str, person_id: int | None, now: datetime
    ) -> Extension | None:
        await self._write()
        extension = self.tables.extensions.get(extension_id)
        if extension is None or extension.decision != "requested":
            return None
        extension.decision, extension.decided_by, extension.decided_at = decision, person_id, now
        self.tables.check(extension)
        return copied(extension)

    async def add_evidence(self, **values: Any) -> Evidence:
        return await self._insert("evidence", Evidence(**fitted(Evidence, values)))

    async def mark_received(self, *, evidence_id: int, person_id: int | None, now: datetime) -> Evidence | None:
        await self._write()
        evidence = self.tables.evidence.get(evidence_id)
        if evidence is None or evidence.received_at is not None:
            return None
        evidence.received_at, evidence.received_by = now, person_id
        self.tables.check(evidence)
        return copied(evidence)

    # the outbox and the plan's rows
    async def add_reminders(self, rows: Sequence[dict[str, Any]]) -> int:
        """Outbox rows, but not one that exists already: the same occurrence, unit, account and step, or
        the same occurrence, unit, account and local day (when it has one)."""
        await self._write()
        added = 0
        for values in rows:
            reminder = Reminder(**values)
            if not any(_same_reminder(reminder, other) for other in self.tables.reminders.values()):
                self.tables.insert("reminders", reminder)
                added += 1
        return added

    async def occurrence(self, *, duty_id: int, nominal: date, **values: Any) -> tuple[Occurrence, bool]:
        """As the SQL store: the plan's row is written apart (kept whatever becomes of the message, and
        committed) unless the message has written already."""
        apart = self._before is None
        found = next(
            (o for o in self.tables.occurrences.values() if (o.duty_id, o.nominal) == (duty_id, nominal)), None
        )
        if found is not None and all(getattr(found, name) == value for name, value in values.items()):
            return copied(found), apart
        if not apart:
            await self._write()
        if found is None:
            row = Occurrence(duty_id=duty_id, nominal=nominal, **values)
            return copied(self.tables.insert("occurrences", row)), apart
        for name, value in values.items():  # the calendar was corrected (an override in the plan file)
            setattr(found, name, value)
        return copied(found), apart

    async def _occurrence(self, duty_id: int, nominal: date, values: dict[str, Any]) -> Occurrence:
        raise AssertionError("FakeStore._occurrence: the fake's `occurrence` does it all")

    # a channel's traffic
    # plans and tasks
    async def add_plan(self, **values: Any) -> Plan:
        plan = await self._insert("plans", Plan(**values))
        self.tables.revision += 1
        return plan

    async def add_duty(self, **values: Any) -> Duty:
        duty = await self._insert("duties", Duty(**values))
        self.tables.revision += 1
        return duty

    async def change_duty(self, duty: Duty, **values: Any) -> Duty:
        await self._write()
        stored = self.tables.duties[duty.id or 0]
        for name, value in values.items():
            setattr(stored, name, value)
            setattr(duty, name, value)
        self.tables.check(stored)
        self.tables.revision += 1
        return copied(stored)

    # units and days off
    async def add_unit(self, *, groups: Sequence[str] = (), **values: Any) -> Unit:
        if any(unit.key == values["key"] for unit in self.tables.units.values()):
            raise UniqueViolation(f"unit.key {values['key']}")
        unit = await self._insert("units", Unit(**fitted(Unit, {**values, "source": OFFICE_SOURCE})))
        for group in groups:
            self.tables.groups.setdefault(group, set()).add(unit.id or 0)
        self.tables.revision += 1
        return unit

    async def set_group(self, *, key: str, unit_ids: Sequence[int]) -> None:
        await self._write()
        self.tables.groups[key] = set(unit_ids)
        self.tables.revision += 1

    async def change_unit(self, unit: Unit, **values: Any) -> Unit:
        await self._write()
        stored = self.tables.units[unit.id or 0]
        for name, value in fitted(Unit, {**values, "source": OFFICE_SOURCE}).items():
            setattr(stored, name, value)
            setattr(unit, name, value)

    async def change_plan(self, plan_row: Plan, **values: Any) -> Plan:
        await self._write()
        stored = self.tables.plans[plan_row.id or 0]
        for name, value in values.items():
            setattr(stored, name, value)
            setattr(plan_row, name, value)
        self.tables.check(stored)
        self.tables.revision += 1
        return copied(stored)

    async def set_calendar_day(self, *, day: date, off: bool, note: str = "") -> None:
        await self._write()
        self.tables.holidays[day] = HolidayOverride(day=day, off=off, note=note[:200], source=OFFICE_SOURCE)
        self.tables.revision += 1

    async def remove_calendar_day(self, *, day: date) -> None:
        await self._write()
        self.tables.holidays.pop(day, None)
        self.tables.revision += 1

    async def add_plan_import(self, **values: Any) -> PlanImport:
        return await self._insert("plan_imports", PlanImport(**values))

    async def take_plan_import(self, *, import_id: int, apply: bool, now: datetime) -> PlanImport | None:
        await self._write()
        row = self.tables.plan_imports.get(import_id)
        if row is None or row.used_at is not None:
            return None
        row.used_at, row.applied = now, apply
        return copied(row)

    async def first_delivery(self, *, channel: str, message_id: str, now: datetime) -> bool:
        await self._write()
        key = (channel, message_id[:100])
        if key in self.tables.received:
            return False
        self.tables.received = {k: at for k, at in self.tables.received.items() if at >= now - RECEIVED_KEPT}
        self.tables.received[key] = now
        return True

    async def count_sent(self, *, channel: str, month: str, messages: int) -> int:
        await self._write()
        sent = self.tables.usage[(channel, month)] = self.tables.usage.get((channel, month), 0) + messages
        return sent

    async def quota_spent(self, *, channel: str, month: str, quota: int) -> None:
        await self._write()
        self.tables.usage[(channel, month)] = max(self.tables.usage.get((channel, month), 0), quota)

    def _account(self, channel: str, user_id: str) -> ChannelAccount | None:
        accounts = self.tables.accounts.values()
        return next((a for a in accounts if (a.channel, a.user_id) == (channel, user_id)), None)


def _says_the_same(newer: StatusUpdate, row: dict[str, Any]) -> bool:
    if newer.status == "done" and row["status"] == "done":
        return True
    mine = (row["person_id"], row["status"], row["percent"], row["expected_date"])
    return (newer.person_id, newer.status, newer.percent, newer.expected_date) == mine


def _same_reminder(new: Reminder, old: Reminder) -> bool:
    same = (new.occurrence_id, new.unit_id, new.account_id) == (old.occurrence_id, old.unit_id, old.account_id)
    return same and (new.step == old.step or (new.local_day is not None and new.local_day == old.local_day))
