"""What the core reads through its store (storage/store.py): people, invitations, updates, the plan's
duties and the reports, each a named question on the store's session."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from storage import (
    audit,
    channel_traffic,
    endings,
    invitations,
    office,
    outbox,
    people,
    plan,
    plan_imports,
    sent,
    status,
    summary,
    tasks,
)
from storage.models import (
    ChannelAccount,
    Duty,
    DutyDocument,
    HolidayOverride,
    Invitation,
    Occurrence,
    OfficeIdentity,
    Person,
    Plan,
    StatusUpdate,
    TaskDraft,
    Unit,
)


class Reads:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def office_identity(self) -> OfficeIdentity:
        return await office.office_identity(self.session)

    # the plan
    async def plan_revision(self) -> int:
        return await plan.plan_revision(self.session)

    async def holiday_overrides(self) -> dict[date, bool]:
        return await plan.holiday_overrides(self.session)

    async def calendar_days(self, *, since: date) -> list[HolidayOverride]:
        return await plan.calendar_days(self.session, since=since)

    async def plans(self, *, active_only: bool = True) -> list[Plan]:
        return await plan.plans(self.session, active_only=active_only)

    async def plan(self, plan_id: int) -> Plan | None:
        return await self.session.get(Plan, plan_id)

    async def plan_by_key(self, key: str) -> Plan | None:
        return await plan_imports.plan_by_key(self.session, key=key)

    async def group_unit_keys(self) -> dict[str, list[str]]:
        """Each group's key with its units' keys."""
        return await plan_imports.groups(self.session)

    async def duty_keys(self) -> set[str]:
        return await plan_imports.duty_keys(self.session)

    async def duty(self, duty_id: int) -> Duty | None:
        return await self.session.get(Duty, duty_id)

    async def duties_of_plan(self, plan_id: int, *, in_plan_only: bool = True) -> list[Duty]:
        return await plan.duties_of_plan(self.session, plan_id=plan_id, in_plan_only=in_plan_only)

    async def task_draft(self, draft_id: int) -> TaskDraft | None:
        return await self.session.get(TaskDraft, draft_id)

    async def open_task_draft(self, *, asked_by: str, since: datetime) -> TaskDraft | None:
        return await tasks.open_task_draft(self.session, asked_by=asked_by, since=since)

    async def task_documents(self, *, draft_id: int | None = None, duty_id: int | None = None) -> list[DutyDocument]:
        return await tasks.documents(self.session, draft_id=draft_id, duty_id=duty_id)

    # people, units and their duties
    async def units(self, *, in_plan_only: bool = True) -> list[Unit]:
        return await people.units(self.session, in_plan_only=in_plan_only)

    async def unit(self, unit_id: int) -> Unit | None:
        return await self.session.get(Unit, unit_id)

    async def person(self, person_id: int) -> Person | None:
        return await self.session.get(Person, person_id)

    async def groups(self) -> dict[str, list[int]]:
        return await people.groups(self.session)

    async def duties_for_unit(self, *, unit_id: int) -> list[Duty]:
        return await people.duties_for_unit(self.session, unit_id=unit_id)

    async def plan_duties(self) -> list[tuple[Duty, list[Unit]]]:
        return await outbox.plan_duties(self.session)

    async def plan_windows(self) -> dict[int, outbox.Window]:
        return await outbox.plan_windows(self.session)

    async def closed_since(self, *, since: datetime) -> dict[int, int]:
        return await endings.closed_since(self.session, since=since)

    async def accounts_of(self, *, person_id: int) -> list[ChannelAccount]:
        return await people.accounts_of(self.session, person_id=person_id)

    async def active_officials(self, *, unit_id: int | None = None) -> list[people.OfficialView]:
        return await people.active_officials(self.session, unit_id=unit_id)

    async def official_counts(self) -> dict[int, int]:
        return await people.official_counts(self.session)

    async def unit_recipients(self, *, unit_ids: Iterable[int]) -> list[outbox.Recipient]:
        return await outbox.unit_recipients(self.session, unit_ids=unit_ids)

    async def office_accounts(self, *, admins: Iterable[str]) -> list[ChannelAccount]:
        return await outbox.office_accounts(self.session, admins=admins)

    async def office_unit_id(self) -> int | None:
        return await outbox.office_unit_id(self.session)

    # invitations and the audit
    async def invitation_by_hash(self, *, code_hash: str) -> Invitation | None:
        return await invitations.invitation_by_hash(self.session, code_hash=code_hash)

    async def pending_invitations(self, *, now: datetime) -> list[tuple[Invitation, Unit]]:
        return await invitations.pending_invitations(self.session, now=now)

    async def failed_codes(self, *, actor: str, since: datetime) -> list[datetime]:
        return await audit.failed_codes(self.session, actor=actor, since=since)

    # deadlines and updates
    async def deadline(self, occurrence_id: int) -> tuple[Occurrence, Duty] | None:
        """An occurrence with its duty."""
        occurrence = await self.session.get(Occurrence, occurrence_id)
        duty = await self.session.get(Duty, occurrence.duty_id) if occurrence else None
        return (occurrence, duty) if occurrence is not None and duty is not None else None

    async def reminder_context(self, *, reminder_id: int) -> status.ReminderContext | None:
        return await status.reminder_context(self.session, reminder_id=reminder_id)

    async def reminder_by_message(self, *, account_id: int, message_id: str) -> status.ReminderContext | None:
        return await status.reminder_by_message(self.session, account_id=account_id, message_id=message_id)

    async def latest_reminded(self, *, account_id: int, occurrences: list[int]) -> int | None:
        return await outbox.latest_reminded(self.session, account_id=account_id, occurrences=occurrences)

    async def latest_status(self, *, occurrence_id: int, unit_id: int) -> StatusUpdate | None:
        return await status.latest_status(self.session, occurrence_id=occurrence_id, unit_id=unit_id)

    async def latest_statuses(self, *, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], StatusUpdate]:
        return await status.latest_statuses(self.session, pairs=pairs)

    async def last_update_by(self, *, person_id: int) -> StatusUpdate | None:
        return await status.last_update_by(self.session, person_id=person_id)

    async def unit_history(
        self, *, unit_id: int, limit: int = 30, occurrence_id: int | None = None
    ) -> list[status.HistoryLine]:
        return await status.unit_history(self.session, unit_id=unit_id, limit=limit, occurrence_id=occurrence_id)

    async def granted_days(self, *, unit_id: int, since: date) -> dict[tuple[int, date], date]:
        return await status.granted_days(self.session, unit_id=unit_id, since=since)

    async def sent_in_month(self, *, channel: str, month: str) -> int:
        return await channel_traffic.sent_in_month(self.session, channel=channel, month=month)

    async def waiting_on(self, *, channel: str) -> int:
        return await channel_traffic.waiting_on(self.session, channel=channel)

    # reports (the summaries, digests and exports)
    async def occurrence_reports(self, **arguments: Any) -> dict[int, summary.UnitReport]:
        return await summary.occurrence_reports(self.session, **arguments)

    async def audience_revision(self) -> int:
        return await summary.audience_revision(self.session)

    async def unreachable_units(self) -> set[int]:
        return await summary.unreachable_units(self.session)

    async def units_done(self, *, occurrence_ids: Sequence[int]) -> dict[int, int]:
        return await summary.units_done(self.session, occurrence_ids=occurrence_ids)

    async def load_latest(self, reports: Iterable[summary.UnitReport]) -> None:
        await summary.load_latest(self.session, reports)

    async def load_details(self, reports: Sequence[summary.UnitReport]) -> None:
        await summary.load_details(self.session, reports)

    async def submissions(self, *, occurrence_id: int, unit_ids: Iterable[int]) -> list[datetime]:
        return await sent.submissions(self.session, occurrence_id=occurrence_id, unit_ids=unit_ids)
