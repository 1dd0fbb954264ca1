"""Admin codes: `nhacviec admin invite` and `/moi quản trị` make one; `/dangky <code>` on any channel
makes its sender an office admin. They are invitations (storage/invitations.py) of the office's unit
with the role `admin`: one use, 24 hours, and the guessing limit of every code."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.codes import code_hash, new_code
from bot.core.context import Context
from bot.core.types import Outcome, Reply
from messages import admins as words
from messages import common
from messages.text import fold
from storage.models import Invitation, Role
from storage.store import Store

ADMIN = "admin"  # the role of an admin code
ADMIN_VALID = timedelta(hours=24)
ADMIN_WORDS = frozenset({"admin", "quan tri", "quantri", "quan tri vien", "qtv"})  # `/moi quản trị`


def asks_admin(args: str) -> bool:
    return " ".join(fold(args).split()) in ADMIN_WORDS


async def new_admin_code(store: Store, *, now: datetime, created_by: str) -> tuple[str, str, datetime] | None:
    """A new admin code: (the code, the office's name, when it expires); None when the plan has no office."""
    office_id = await store.office_unit_id()
    office = await store.unit(office_id) if office_id is not None else None
    if office is None or office.id is None:
        return None
    code, expires_at = new_code(), now + ADMIN_VALID
    await store.add_invitation(
        code_hash=code_hash(code),
        unit_id=office.id,
        role=ADMIN,
        created_by=created_by,
        created_at=now,
        expires_at=expires_at,
    )
    return code, office.name, expires_at


async def invite_admin(ctx: Context) -> Outcome:
    """`/moi quản trị`: a code for another admin; only an admin gives one."""
    if not ctx.actor.admin:
        return Outcome([Reply(words.admins_only(ctx.locale))])
    made = await new_admin_code(ctx.store, now=ctx.now, created_by=ctx.actor.ref)
    if made is None:
        return Outcome([Reply(words.no_office(ctx.locale))])
    code, office, expires_at = made
    await ctx.audit("invite_admin")
    return Outcome([Reply(words.admin_code(office=office, code=code, expires_at=expires_at, locale=ctx.locale))])


async def become_admin(ctx: Context, invitation: Invitation) -> Outcome:
    """A valid admin code from anyone: they become an admin of the office, as a person."""
    unit = await ctx.store.unit(invitation.unit_id)
    office = unit.name if unit is not None else ""
    if ctx.actor.admin:
        return Outcome([Reply(words.already_admin(office, ctx.locale))])
    if not await ctx.store.claim_invitation(invitation_id=invitation.id or 0, now=ctx.now):
        return Outcome([Reply(common.code_used(ctx.locale))])
    incoming = ctx.actor.incoming
    person, _link = await ctx.store.ensure_person(
        channel=incoming.channel,
        user_id=incoming.user_id,
        chat_id=incoming.chat_id,
        display_name=incoming.display_name or incoming.user_id,
        username=incoming.username,
        now=ctx.now,
    )
    await ctx.store.make_admin(
        person_id=person.id or 0, channel=incoming.channel, user_id=incoming.user_id, now=ctx.now
    )
    await ctx.store.invitation_used_by(invitation_id=invitation.id or 0, person_id=person.id or 0)
    await ctx.audit("became_admin", invitation_id=invitation.id, person_id=person.id)
    return Outcome([Reply(words.became_admin(office, ctx.locale))], menu=Role.OFFICE)
