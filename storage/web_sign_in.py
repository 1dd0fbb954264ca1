"""The web page's sign-in: a link opened once before it expires, and the session it starts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import WebLink, WebSession


async def take_link(session: AsyncSession, *, token_hash: str, now: datetime) -> WebLink | None:
    """The link, marked used by this call only; None when it is unknown, used already or expired:
    of two opens at once (or on two instances), one wins."""
    statement = (
        update(WebLink)
        .where(
            col(WebLink.token_hash) == token_hash,
            col(WebLink.used_at).is_(None),
            col(WebLink.expires_at) > now,
        )
        .values(used_at=now)
    )
    if (await session.exec(statement)).rowcount != 1:
        return None
    found = await session.exec(select(WebLink).where(col(WebLink.token_hash) == token_hash))
    return found.one()


async def live_session(session: AsyncSession, *, token_hash: str, now: datetime) -> WebSession | None:
    """The session this cookie names, unless it ended or expired."""
    query = select(WebSession).where(
        col(WebSession.token_hash) == token_hash,
        col(WebSession.ended_at).is_(None),
        col(WebSession.expires_at) > now,
    )
    return (await session.exec(query)).first()


async def end_session(session: AsyncSession, *, token_hash: str, now: datetime) -> None:
    statement = (
        update(WebSession)
        .where(col(WebSession.token_hash) == token_hash, col(WebSession.ended_at).is_(None))
        .values(ended_at=now)
    )
    await session.exec(statement)
