"""`/web`: a one-time link to the office's web page (bot/web), valid 10 minutes, kept hashed.

The page then acts as the account that asked, with its rights: the office sees every unit, an official
their own unit's page only."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from bot.core.context import Context
from bot.core.types import Outcome, Reply
from messages import web as words

LINK_VALID = timedelta(minutes=10)
SESSION_VALID = timedelta(hours=12)
LINK_PATH = "/vao/"  # the link's path before its token


def hashed(token: str) -> str:
    """What the database keeps of a link's or a cookie's token: its SHA-256 (a leaked table opens nothing)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


async def web(ctx: Context, _args: str) -> Outcome:
    base = ctx.config.web_url
    if base is None:
        return Outcome([Reply(words.not_served(ctx.locale))])
    token = new_token()
    incoming = ctx.actor.incoming
    await ctx.store.add_web_link(
        token_hash=hashed(token),
        channel=incoming.channel,
        user_id=incoming.user_id,
        created_at=ctx.now,
        expires_at=ctx.now + LINK_VALID,
    )
    await ctx.audit("web_link")
    url = base.rstrip("/") + LINK_PATH + token
    return Outcome([Reply(words.sign_in_link(url, int(LINK_VALID.total_seconds() // 60), ctx.locale))])
