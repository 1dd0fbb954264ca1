"""The audit log: what happened, recorded with the change it describes; the codes that matched nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEntry


async def audit(
    session: AsyncSession,
    *,
    at: datetime,
    actor: str,
    action: str,
    unit_id: int | None = None,
    official_id: int | None = None,
    **detail: Any,
) -> None:
    """Record what happened; the caller commits with the change it describes."""
    session.add(AuditEntry(at=at, actor=actor, action=action, unit_id=unit_id, official_id=official_id, detail=detail))


FAILED_CODE = "register_failed"  # the audit action of an invitation code that matched nothing


async def failed_codes(session: AsyncSession, *, actor: str, since: datetime) -> list[datetime]:
    """When this account tried invitation codes that matched nothing, since then, oldest first."""
    query = (
        select(AuditEntry.at)
        .where(col(AuditEntry.at) > since, AuditEntry.actor == actor, AuditEntry.action == FAILED_CODE)
        .order_by(col(AuditEntry.at))
    )
    return list((await session.exec(query)).all())
