"""Tasks the office gives in chat (`/giao`): their drafts, taken once, and the documents kept with them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import DutyDocument, TaskDraft


async def take_task_draft(
    session: AsyncSession, *, draft_id: int, decision: str, by: str, now: datetime, since: datetime
) -> TaskDraft | None:
    """Mark a draft used, once, while it is younger than `since`: None when another tap used it first,
    or it expired. A conditional UPDATE, so two taps at once (two instances too) take it once."""
    taken = (
        update(TaskDraft)
        .where(col(TaskDraft.id) == draft_id, col(TaskDraft.used_at).is_(None), col(TaskDraft.created_at) > since)
        .values(used_at=now, decision=decision, used_by=by)
    )
    result = await session.exec(taken)
    if not result.rowcount:
        return None
    draft = await session.get(TaskDraft, draft_id)
    if draft is not None:
        await session.refresh(draft)
    return draft


async def open_task_draft(session: AsyncSession, *, asked_by: str, since: datetime) -> TaskDraft | None:
    """The newest draft this person has not yet given or cancelled, younger than `since`."""
    query = (
        select(TaskDraft)
        .where(TaskDraft.asked_by == asked_by, col(TaskDraft.used_at).is_(None), col(TaskDraft.created_at) > since)
        .order_by(col(TaskDraft.id).desc())
    )
    return (await session.exec(query)).first()


async def documents(
    session: AsyncSession, *, draft_id: int | None = None, duty_id: int | None = None
) -> list[DutyDocument]:
    query = select(DutyDocument).order_by(col(DutyDocument.id))
    if draft_id is not None:
        query = query.where(DutyDocument.draft_id == draft_id)
    if duty_id is not None:
        query = query.where(DutyDocument.duty_id == duty_id)
    return list((await session.exec(query)).all())


async def documents_given(session: AsyncSession, *, draft_id: int, duty_id: int) -> None:
    """The draft's documents now belong to the task it became (the caller commits)."""
    await session.exec(update(DutyDocument).where(col(DutyDocument.draft_id) == draft_id).values(duty_id=duty_id))
