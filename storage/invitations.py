"""Invitations: the one a code names, claiming it once, and those still waiting."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Invitation, Role, Unit


async def invitation_by_hash(session: AsyncSession, *, code_hash: str) -> Invitation | None:
    return (await session.exec(select(Invitation).where(Invitation.code_hash == code_hash))).first()


async def claim_invitation(session: AsyncSession, *, invitation_id: int, now: datetime) -> bool:
    """Mark an invitation used if it still can be; exactly one of several concurrent claims wins.

    This is the first write of the caller's transaction, so SQLite takes its write lock here and
    PostgreSQL re-checks the row after a concurrent claim commits.
    """
    statement = (
        update(Invitation)
        .where(
            col(Invitation.id) == invitation_id,
            col(Invitation.used_at).is_(None),
            col(Invitation.revoked_at).is_(None),
            col(Invitation.expires_at) > now,
        )
        .values(used_at=now)
    )
    result = await session.exec(statement)
    return bool(result.rowcount == 1)


async def used_by(session: AsyncSession, *, invitation_id: int, person_id: int) -> None:
    statement = update(Invitation).where(col(Invitation.id) == invitation_id).values(used_by_person_id=person_id)
    await session.exec(statement)


async def pending_invitations(session: AsyncSession, *, now: datetime) -> list[tuple[Invitation, Unit]]:
    """Invitations to a role still waiting; a /lienket code is a person's own, not the office's to list."""
    query = (
        select(Invitation, Unit)
        .join(Unit, col(Unit.id) == col(Invitation.unit_id))
        .where(
            col(Invitation.used_at).is_(None),
            col(Invitation.revoked_at).is_(None),
            col(Invitation.expires_at) > now,
            col(Invitation.role).in_([role.value for role in Role]),
        )
        .order_by(col(Invitation.expires_at))
    )
    return [(invitation, unit) for invitation, unit in (await session.exec(query)).all()]
