"""A task the office gives in one message (`/giao`): the draft it confirms or cancels, and the incoming
document (công văn) kept with it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class TaskDraft(SQLModel, table=True):
    """What `/giao` read, kept until the office taps ✅ or ❌ (once: `used_at`), for a day at most; in the
    database, so a tap after a restart still finds it and two taps give one task."""

    __tablename__ = "task_draft"

    id: int | None = Field(default=None, primary_key=True)
    asked_by: str = Field(max_length=64, index=True)  # "telegram:<id>": who wrote /giao
    person_id: int | None = Field(default=None, foreign_key="person.id")
    title: str = Field(max_length=300)
    units: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # unit keys
    rule: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    words: str = Field(default="", max_length=1000)  # the message as written, for the audit and the note
    created_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision: str | None = Field(default=None, max_length=16)  # "given" | "cancelled"
    used_by: str | None = Field(default=None, max_length=64)
    duty_id: int | None = Field(default=None)  # the task it became (no foreign key: see Duty.plan_id)


class DutyDocument(SQLModel, table=True):
    """A photo or PDF (the incoming document) sent with a task, kept by the channel's file id."""

    __tablename__ = "duty_document"

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="task_draft.id", index=True)
    duty_id: int | None = Field(default=None, index=True)  # set when the draft is given
    channel: str = Field(max_length=16)
    kind: str = Field(max_length=16)  # document | photo
    file_id: str = Field(max_length=300)
    file_name: str = Field(default="", max_length=300)
    added_by: str = Field(max_length=64)
    at: datetime = Field(sa_type=UTCDateTime)
