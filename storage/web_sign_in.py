"""The web page's sign-in: a link opened once before it expires, and the session it starts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import WebLink, WebSession


async def take_link(
    session: AsyncSession, *, token_hash: str, now: datetime, purpose: str = "sign_in"
) -> WebLink | None:
    """The link, marked used by this call only; None when it is unknown, used already, expired or made
    for another purpose (a file's link signs nobody in): of two opens at once (or on two instances), one wins."""
    statement = (
        update(WebLink)
        .where(
            col(WebLink.token_hash) == token_hash,
            col(WebLink.used_at).is_(None),
            col(WebLink.expires_at) > now,
            col(WebLink.purpose) == purpose,
        )
        .values(used_at=now)
    )
    if (await session.exec(statement)).rowcount != 1:
        return None
    found = await session.exec(select(WebLink).where(col(WebLink.token_hash) == token_hash))
    return found.one()


async def live_link(session: AsyncSession, *, token_hash: str, purpose: str, now: datetime) -> WebLink | None:
    """The link, unused and unexpired, without spending it (a confirm page, or a picture fetched again)."""
    query = select(WebLink).where(
        col(WebLink.token_hash) == token_hash,
        col(WebLink.used_at).is_(None),
        col(WebLink.expires_at) > now,
        col(WebLink.purpose) == purpose,
    )
    return (await session.exec(query)).first()


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
