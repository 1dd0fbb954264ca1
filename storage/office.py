"""The office's identity (one row): read it, seed it once from the settings, change it.

A change also renames the office's own plan (the tasks given in chat are the office's, cited with the
body it names today); a plan file's or a sheet's issuer stays as its document wrote it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import IDENTITY_FIELDS, OFFICE_KIND, OfficeIdentity, Plan, Unit, fitted
from storage.plan import moved

ROW = 1
OFFICE_PLAN = "nhiem-vu-van-phong"  # the plan of the tasks the office gives in chat (/giao)


async def office_identity(session: AsyncSession) -> OfficeIdentity:
    """The identity; an empty one (every field to fill in) before the first start seeded it."""
    found = await session.get(OfficeIdentity, ROW)
    return found if found is not None else OfficeIdentity(id=ROW)


async def seed_office_identity(session: AsyncSession, defaults: Mapping[str, str]) -> bool:
    """Write the first start's identity, once; True when it was written now."""
    if await session.get(OfficeIdentity, ROW) is not None:
        return False
    values = {name: defaults.get(name, "") for name in IDENTITY_FIELDS}
    session.add(OfficeIdentity(id=ROW, **fitted(OfficeIdentity, values)))
    await session.flush()
    return True


async def change_office_identity(session: AsyncSession, *, values: Mapping[str, str], now: datetime) -> OfficeIdentity:
    """Change the named fields; the office's own plans follow its new name and where reports go."""
    row = await session.get(OfficeIdentity, ROW) or OfficeIdentity(id=ROW)
    for name, value in fitted(OfficeIdentity, {k: v for k, v in values.items() if k in IDENTITY_FIELDS}).items():
        setattr(row, name, value)
    row.changed_at = now
    session.add(row)
    query = select(Plan).where(Plan.key == OFFICE_PLAN)  # a sheet's plan keeps the issuer it was given
    for plan in (await session.exec(query)).all():
        if (plan.issuer, plan.report_to) != (row.parent, row.report_to):
            plan.issuer, plan.report_to = row.parent, row.report_to
            session.add(plan)
            await session.flush()
            await moved(session)  # reminders cite the plan with its new issuer from now on
    await session.flush()
    return row


async def ensure_office_unit(session: AsyncSession, *, name: str) -> bool:
    """The office's own unit, which its digests are filed under, made when no plan brought one; True
    when it was made now."""
    query = select(Unit.id).where(Unit.kind == OFFICE_KIND, col(Unit.in_plan))
    if (await session.exec(query)).first() is not None:
        return False
    key = "van-phong"
    if (await session.exec(select(Unit.id).where(Unit.key == key))).first() is not None:
        key = "van-phong-hien-tai"
    session.add(
        Unit(**fitted(Unit, {"key": key, "name": name, "short_name": name, "kind": OFFICE_KIND, "source": "office"}))
    )
    await session.flush()
    await moved(session)
    return True


async def names_an_ended_body(session: AsyncSession, *, today: date) -> bool:
    """Whether the office's own unit ended before today and its identity was not changed since: the
    office is told each week, with its digest, until it names the body it serves now."""
    query = select(Unit).where(Unit.kind == OFFICE_KIND, col(Unit.valid_to).is_not(None))
    ended = [unit.valid_to for unit in (await session.exec(query)).all() if unit.valid_to and unit.valid_to < today]
    if not ended:
        return False
    identity = await session.get(OfficeIdentity, ROW)
    changed = identity.changed_at if identity is not None else None
    return changed is None or changed.date() <= max(ended)
