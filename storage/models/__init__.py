"""The data model: every table, imported from here (SQLModel and Alembic want them on one metadata).

The tables live in modules by what they hold: `plan`, `people`, `reports`, `delivery`; `rows` has the
helpers for statements built on columns."""

from __future__ import annotations

from storage.models.delivery import ChannelUsage, ReceivedMessage, Reminder, ReminderStatus, SendPace
from storage.models.office import IDENTITY_FIELDS, OfficeIdentity
from storage.models.people import (
    Admin,
    AudienceRevision,
    AuditEntry,
    ChannelAccount,
    Invitation,
    Official,
    Person,
    Role,
)
from storage.models.plan import (
    OFFICE_KIND,
    Duty,
    GroupMember,
    HolidayOverride,
    Occurrence,
    Plan,
    PlanImport,
    PlanRevision,
    Unit,
    plan_ends,
)
from storage.models.reports import ENDED_REASONS, FINISHED, Draft, Evidence, Extension, StatusUpdate, UnitStatus
from storage.models.rows import built, column_length, fitted, table_of
from storage.models.tasks import DutyDocument, TaskDraft
from storage.models.web import WebLink, WebSession

__all__ = [
    "ENDED_REASONS",
    "FINISHED",
    "IDENTITY_FIELDS",
    "OFFICE_KIND",
    "Admin",
    "AudienceRevision",
    "AuditEntry",
    "ChannelAccount",
    "ChannelUsage",
    "Draft",
    "Duty",
    "DutyDocument",
    "Evidence",
    "Extension",
    "GroupMember",
    "HolidayOverride",
    "Invitation",
    "Occurrence",
    "OfficeIdentity",
    "Official",
    "Person",
    "Plan",
    "PlanImport",
    "PlanRevision",
    "ReceivedMessage",
    "Reminder",
    "ReminderStatus",
    "Role",
    "SendPace",
    "StatusUpdate",
    "TaskDraft",
    "Unit",
    "UnitStatus",
    "WebLink",
    "WebSession",
    "built",
    "column_length",
    "fitted",
    "plan_ends",
    "table_of",
]
