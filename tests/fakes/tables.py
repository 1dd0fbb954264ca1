"""The FakeStore's tables (tests/fakes/store.py): rows of storage.models kept in dicts by id, ids given by
counters, as the database's tables would hold them.

Rows never leave the tables: what a read returns is a copy (`copied`), detached as the SQL store's rows
are, so a change the core makes to a row without asking the store for it changes nothing here either.
`Tables.copy()` is the unit of work's snapshot.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, TypeVar

from sqlmodel import SQLModel

from storage.models import (
    AuditEntry,
    ChannelAccount,
    Draft,
    Duty,
    DutyDocument,
    Evidence,
    Extension,
    HolidayOverride,
    Invitation,
    Occurrence,
    OfficeIdentity,
    Official,
    Person,
    Plan,
    PlanImport,
    Reminder,
    StatusUpdate,
    TaskDraft,
    Unit,
    built,
    table_of,
)

Row = TypeVar("Row", bound=SQLModel)


def copied(row: Row) -> Row:
    """A row as a read gives it: its columns' values (lists and dicts copied too), in an object of its own."""
    values = {column.key: copy.deepcopy(getattr(row, column.key)) for column in table_of(type(row)).c}
    return built(type(row), values)


class UniqueViolation(Exception):
    """A second row with a unique key, which the database would refuse (an IntegrityError)."""


class ForeignKeyViolation(Exception):
    """A row naming a row that is not there, which the database would refuse (both enforce foreign keys)."""


class NaiveDatetime(Exception):
    """A moment without its time zone, which storage.types.UTCDateTime refuses."""


# the table a foreign key names -> where Tables keeps its rows
_HOLDERS = {
    "plan": "plans",
    "unit": "units",
    "duty": "duties",
    "person": "persons",
    "channel_account": "accounts",
    "official": "officials",
    "invitation": "invitations",
    "occurrence": "occurrences",
    "status_update": "updates",
    "reminder": "reminders",
    "task_draft": "task_drafts",
}


@dataclass
class Tables:
    # the plans
    plans: dict[int, Plan] = field(default_factory=dict)
    units: dict[int, Unit] = field(default_factory=dict)
    groups: dict[str, set[int]] = field(default_factory=dict)  # group_key -> unit ids (group_member)
    duties: dict[int, Duty] = field(default_factory=dict)
    holidays: dict[date, HolidayOverride] = field(default_factory=dict)  # holiday_override, by day
    revision: int = 0  # plan_revision
    plan_imports: dict[int, PlanImport] = field(default_factory=dict)
    identity: OfficeIdentity | None = None  # office_identity's one row
    # people
    persons: dict[int, Person] = field(default_factory=dict)
    accounts: dict[int, ChannelAccount] = field(default_factory=dict)
    officials: dict[int, Official] = field(default_factory=dict)
    admins: set[tuple[str, str]] = field(default_factory=set)  # (channel, user_id) added with `admin add`
    admin_persons: set[int] = field(default_factory=set)  # persons made admins by a code
    invitations: dict[int, Invitation] = field(default_factory=dict)
    audit: dict[int, AuditEntry] = field(default_factory=dict)
    # reports
    occurrences: dict[int, Occurrence] = field(default_factory=dict)
    updates: dict[int, StatusUpdate] = field(default_factory=dict)
    drafts: dict[int, Draft] = field(default_factory=dict)
    extensions: dict[int, Extension] = field(default_factory=dict)
    evidence: dict[int, Evidence] = field(default_factory=dict)
    task_drafts: dict[int, TaskDraft] = field(default_factory=dict)
    duty_documents: dict[int, DutyDocument] = field(default_factory=dict)
    # delivery and channels
    reminders: dict[int, Reminder] = field(default_factory=dict)
    received: dict[tuple[str, str], datetime] = field(default_factory=dict)  # (channel, message id) -> at
    usage: dict[tuple[str, str], int] = field(default_factory=dict)  # (channel, month) -> sent
    last_ids: dict[str, int] = field(default_factory=dict)  # table -> the last id given

    def insert(self, table: str, row: Row) -> Row:
        """Add a row with the next id of its table; the row itself (the caller copies what it returns)."""
        rows: dict[int, Any] = getattr(self, table)
        self.check(row)
        number = self.last_ids.get(table, 0) + 1
        self.last_ids[table] = number
        row.id = number  # every table with a counter has an id
        rows[number] = row
        return row

    def check(self, row: SQLModel) -> None:
        """What the database checks of a row it is given: its foreign keys, and that its moments are aware."""
        for column in table_of(type(row)).c:
            value = getattr(row, column.key)
            if isinstance(value, datetime) and value.tzinfo is None:
                raise NaiveDatetime(f"{column}: naive datetime {value}")
            for key in column.foreign_keys if value is not None else ():
                if value not in getattr(self, _HOLDERS[key.column.table.name]):
                    raise ForeignKeyViolation(f"{column}: no {key.column.table.name} {value}")

    def copy(self) -> Tables:
        """Every table with copies of its rows: what a unit of work goes back to when it is not committed."""
        values: dict[str, Any] = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, dict) and any(isinstance(row, SQLModel) for row in value.values()):
                values[spec.name] = {key: copied(row) for key, row in value.items()}
            else:
                values[spec.name] = copy.deepcopy(value)
        return Tables(**values)
