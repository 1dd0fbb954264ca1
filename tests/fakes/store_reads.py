"""The FakeStore's questions (tests/fakes/store.py), answered from its tables as storage/store_reads.py
answers them with SQL: the same rows, filters and order. The reports' questions are not faked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NoReturn

from storage import people, status, summary
from storage.audit import FAILED_CODE
from storage.identity import Identity, LatestUpdates
from storage.models import (
    OFFICE_KIND,
    ChannelAccount,
    Duty,
    HolidayOverride,
    Invitation,
    Occurrence,
    Person,
    Plan,
    Role,
    StatusUpdate,
    Unit,
    plan_ends,
)
from storage.store_reads import Reads
from tests.fakes.tables import Tables, copied

REPORTS = (
    "the reports' queries (occurrence_reports, load_latest, load_details, submissions, units_done, "
    "unreachable_units, audience_revision) are not faked: they are tested on SQLite and PostgreSQL in "
    "tests/integration"
)


def _reports(name: str) -> NoReturn:
    raise NotImplementedError(f"FakeStore.{name}: {REPORTS}")


class FakeReads(Reads):
    tables: Tables

    # the plan
    async def plan_revision(self) -> int:
        return self.tables.revision

    async def holiday_overrides(self) -> dict[date, bool]:
        return {day: row.off for day, row in self.tables.holidays.items()}

    async def calendar_days(self, *, since: date) -> list[HolidayOverride]:
        return [copied(row) for day, row in sorted(self.tables.holidays.items()) if day >= since]

    async def plans(self, *, active_only: bool = True) -> list[Plan]:
        found = [copied(plan) for _id, plan in sorted(self.tables.plans.items()) if plan.active or not active_only]
        return sorted(found, key=lambda plan: (plan.issued_on is None, -(plan.issued_on or date.min).toordinal()))

    async def plan(self, plan_id: int) -> Plan | None:
        found = self.tables.plans.get(plan_id)
        return copied(found) if found else None

    async def plan_by_key(self, key: str) -> Plan | None:
        found = next((plan for plan in self.tables.plans.values() if plan.key == key), None)
        return copied(found) if found is not None else None

    async def group_unit_keys(self) -> dict[str, list[str]]:
        units = self.tables.units
        return {key: [units[i].key for i in sorted(members)] for key, members in sorted(self.tables.groups.items())}

    async def duty_keys(self) -> set[str]:
        return {duty.key for duty in self.tables.duties.values()}

    async def duty(self, duty_id: int) -> Duty | None:
        found = self.tables.duties.get(duty_id)
        return copied(found) if found else None

    async def duties_of_plan(self, plan_id: int, *, in_plan_only: bool = True) -> list[Duty]:
        rows = sorted(self.tables.duties.items())
        return [copied(d) for _id, d in rows if d.plan_id == plan_id and (d.in_plan or not in_plan_only)]

    # people, units and their duties
    async def units(self, *, in_plan_only: bool = True) -> list[Unit]:
        return [copied(unit) for _id, unit in sorted(self.tables.units.items()) if unit.in_plan or not in_plan_only]

    async def unit(self, unit_id: int) -> Unit | None:
        found = self.tables.units.get(unit_id)
        return copied(found) if found else None

    async def person(self, person_id: int) -> Person | None:
        found = self.tables.persons.get(person_id)
        return copied(found) if found else None

    async def groups(self) -> dict[str, list[int]]:
        return {group: sorted(members) for group, members in sorted(self.tables.groups.items()) if members}

    async def duties_for_unit(self, *, unit_id: int) -> list[Duty]:
        groups = {key for key, members in self.tables.groups.items() if unit_id in members}
        unit = self.tables.units.get(unit_id)
        key = unit.key if unit else None
        return [duty for duty in self._duties_in_plan() if groups.intersection(duty.groups) or key in duty.units]

    async def plan_duties(self) -> list[tuple[Duty, list[Unit]]]:
        return [(duty, self._units_of_duty(duty)) for duty in self._duties_in_plan()]

    async def closed_since(self, *, since: datetime) -> dict[int, int]:
        counts: dict[int, int] = {}
        for update in self.tables.updates.values():
            if update.status == "closed" and update.reason and update.at >= since:
                counts[update.unit_id] = counts.get(update.unit_id, 0) + 1
        return counts

    async def plan_windows(self) -> dict[int, tuple[date | None, date | None]]:
        return {plan_id: (plan.valid_from, plan_ends(plan)) for plan_id, plan in self.tables.plans.items()}

    async def accounts_of(self, *, person_id: int) -> list[ChannelAccount]:
        return [copied(a) for _id, a in sorted(self.tables.accounts.items()) if a.person_id == person_id]

    async def active_officials(self, *, unit_id: int | None = None) -> list[people.OfficialView]:
        views = []
        for _id, official in sorted(self.tables.officials.items()):
            if official.active and unit_id in (None, official.unit_id):
                person, unit = self.tables.persons[official.person_id], self.tables.units[official.unit_id]
                accounts = await self.accounts_of(person_id=official.person_id)
                views.append(people.OfficialView(copied(official), copied(person), copied(unit), accounts))
        return views

    async def official_counts(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for official in self.tables.officials.values():
            if official.active:
                counts[official.unit_id] = counts.get(official.unit_id, 0) + 1
        return counts

    async def office_accounts(self, *, admins: Iterable[str]) -> list[ChannelAccount]:
        """Accounts of active office officials, and of admins (from the settings or `admin add`)."""
        office = {o.person_id for o in self.tables.officials.values() if o.active and o.role == Role.OFFICE.value}
        office |= self._admin_people(admins)
        return [copied(account) for _id, account in sorted(self.tables.accounts.items()) if account.person_id in office]

    def _admin_people(self, admins: Iterable[str] = ()) -> set[int]:
        """The persons who are admins by any of their accounts (the role is the person's)."""
        refs = {(ref.split(":", 1)[0], ref.split(":", 1)[1]) for ref in admins} | self.tables.admins
        named = {a.person_id for a in self.tables.accounts.values() if (a.channel, a.user_id) in refs}
        return named | self.tables.admin_persons

    async def office_unit_id(self) -> int | None:
        found = [i for i, unit in self.tables.units.items() if unit.kind == OFFICE_KIND and unit.in_plan]
        return min(found, default=None)

    # invitations and the audit
    async def invitation_by_hash(self, *, code_hash: str) -> Invitation | None:
        found = [inv for _id, inv in sorted(self.tables.invitations.items()) if inv.code_hash == code_hash]
        return copied(found[0]) if found else None

    async def pending_invitations(self, *, now: datetime) -> list[tuple[Invitation, Unit]]:
        roles = {role.value for role in Role}  # a /lienket code ("link") is not the office's to list
        waiting = [
            inv
            for inv in self.tables.invitations.values()
            if inv.used_at is None and inv.revoked_at is None and inv.expires_at > now and inv.role in roles
        ]
        waiting.sort(key=lambda inv: (inv.expires_at, inv.id or 0))
        return [(copied(inv), copied(self.tables.units[inv.unit_id])) for inv in waiting]

    async def failed_codes(self, *, actor: str, since: datetime) -> list[datetime]:
        entries = self.tables.audit.values()
        return sorted(e.at for e in entries if e.at > since and e.actor == actor and e.action == FAILED_CODE)

    # deadlines and updates
    async def deadline(self, occurrence_id: int) -> tuple[Occurrence, Duty] | None:
        occurrence = self.tables.occurrences.get(occurrence_id)
        duty = self.tables.duties.get(occurrence.duty_id) if occurrence else None
        return (copied(occurrence), copied(duty)) if occurrence is not None and duty is not None else None

    async def reminder_context(self, *, reminder_id: int) -> status.ReminderContext | None:
        reminder = self.tables.reminders.get(reminder_id)
        if reminder is None:
            return None
        occurrence = self.tables.occurrences[reminder.occurrence_id]
        duty, unit = self.tables.duties[occurrence.duty_id], self.tables.units[reminder.unit_id]
        return status.ReminderContext(copied(reminder), copied(occurrence), copied(duty), copied(unit))

    async def reminder_by_message(self, *, account_id: int, message_id: str) -> status.ReminderContext | None:
        rows = self.tables.reminders.values()
        found = [r.id for r in rows if r.account_id == account_id and r.message_id == message_id]
        return await self.reminder_context(reminder_id=found[0]) if found and found[0] else None

    async def latest_reminded(self, *, account_id: int, occurrences: list[int]) -> int | None:
        sent = [
            r
            for r in self.tables.reminders.values()
            if r.account_id == account_id and r.occurrence_id in occurrences and r.sent_at is not None
        ]
        return max(sent, key=lambda r: (r.sent_at, r.id)).occurrence_id if sent else None

    async def latest_status(self, *, occurrence_id: int, unit_id: int) -> StatusUpdate | None:
        return (await self.latest_statuses(pairs=[(occurrence_id, unit_id)])).get((occurrence_id, unit_id))

    async def latest_statuses(self, *, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], StatusUpdate]:
        wanted, latest = set(pairs), {}
        for _id, update in sorted(self.tables.updates.items()):  # the newest (highest id) last, so it stays
            if (update.occurrence_id, update.unit_id) in wanted:
                latest[(update.occurrence_id, update.unit_id)] = update
        return {pair: copied(update) for pair, update in latest.items()}

    async def last_update_by(self, *, person_id: int) -> StatusUpdate | None:
        mine = [update for _id, update in sorted(self.tables.updates.items()) if update.person_id == person_id]
        return copied(mine[-1]) if mine else None

    async def unit_history(
        self, *, unit_id: int, limit: int = 30, occurrence_id: int | None = None
    ) -> list[status.HistoryLine]:
        lines: list[status.HistoryLine] = []
        for _id, update in sorted(self.tables.updates.items(), reverse=True):
            if update.unit_id != unit_id or len(lines) == limit:
                continue
            if occurrence_id is not None and update.occurrence_id != occurrence_id:
                continue
            occurrence = self.tables.occurrences[update.occurrence_id]
            person = self.tables.persons.get(update.person_id or 0)
            duty = self.tables.duties[occurrence.duty_id]
            who = copied(person) if person is not None else None
            lines.append(status.HistoryLine(copied(update), copied(duty), copied(occurrence), who))
        return lines

    async def granted_days(self, *, unit_id: int, since: date) -> dict[tuple[int, date], date]:
        granted = {}
        for _id, extension in sorted(self.tables.extensions.items()):  # the latest grant wins
            if extension.unit_id == unit_id and extension.decision == "granted" and extension.until >= since:
                occurrence = self.tables.occurrences[extension.occurrence_id]
                granted[(occurrence.duty_id, occurrence.nominal)] = extension.until
        return granted

    async def sent_in_month(self, *, channel: str, month: str) -> int:
        return self.tables.usage.get((channel, month), 0)

    async def waiting_on(self, *, channel: str) -> int:
        accounts = {i for i, account in self.tables.accounts.items() if account.channel == channel}
        return sum(1 for r in self.tables.reminders.values() if r.account_id in accounts and r.status == "pending")

    async def identity(
        self, *, channel: str, user_id: str, latest_of: Iterable[int] = (), admins: Iterable[str] = ()
    ) -> Identity:
        """The account, its person, their active roles (by official id) and, with `latest_of`, the latest
        update of each of their units for those occurrences; as storage/identity.py reads them."""
        occurrences = list(latest_of)
        admin = (channel, user_id) in self.tables.admins
        account = next((a for a in self.tables.accounts.values() if (a.channel, a.user_id) == (channel, user_id)), None)
        if account is None:
            return Identity(None, None, [], admin)
        admin = account.person_id in self._admin_people(admins)
        memberships = [
            people.Membership(copied(official), copied(self.tables.units[official.unit_id]))
            for _id, official in sorted(self.tables.officials.items())
            if official.active and official.person_id == account.person_id
        ]
        latest = None
        if occurrences:
            units = frozenset(m.unit.id for m in memberships if m.unit.id is not None)
            pairs = [(occurrence, unit) for occurrence in set(occurrences) for unit in units]
            latest = LatestUpdates(frozenset(occurrences), units, await self.latest_statuses(pairs=pairs))
        person = copied(self.tables.persons[account.person_id])
        return Identity(copied(account), person, memberships, admin, latest)

    # reports (the summaries, digests and exports): not faked
    async def occurrence_reports(self, **arguments: Any) -> dict[int, summary.UnitReport]:
        _reports("occurrence_reports")

    async def audience_revision(self) -> int:
        _reports("audience_revision")

    async def unreachable_units(self) -> set[int]:
        _reports("unreachable_units")

    async def units_done(self, *, occurrence_ids: Sequence[int]) -> dict[int, int]:
        _reports("units_done")

    async def load_latest(self, reports: Iterable[summary.UnitReport]) -> None:
        _reports("load_latest")

    async def load_details(self, reports: Sequence[summary.UnitReport]) -> None:
        _reports("load_details")

    async def submissions(self, *, occurrence_id: int, unit_ids: Iterable[int]) -> list[datetime]:
        _reports("submissions")

    def _duties_in_plan(self) -> list[Duty]:
        return [copied(duty) for _id, duty in sorted(self.tables.duties.items()) if duty.in_plan]

    def _units_of_duty(self, duty: Duty) -> list[Unit]:
        members = set().union(*(self.tables.groups.get(group, set()) for group in duty.groups))
        return [
            copied(unit)
            for unit_id, unit in sorted(self.tables.units.items())
            if (unit_id in members or unit.key in duty.units) and unit.in_plan
        ]
