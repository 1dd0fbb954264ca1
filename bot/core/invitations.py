"""Inviting officials and registering with a code."""

from __future__ import annotations

import re

from bot.core.codes import code_hash, new_code, normalize
from bot.core.context import Context
from bot.core.names import match_units, suggestions
from bot.core.types import Button, Outcome, Reply
from messages import common, people
from storage import repo
from storage.models import Invitation, Official, Role, Unit

_ROLE_WORDS = {
    "official": Role.OFFICIAL,
    "canbo": Role.OFFICIAL,
    "cb": Role.OFFICIAL,
    "head": Role.HEAD,
    "thutruong": Role.HEAD,
    "chutich": Role.HEAD,
    "office": Role.OFFICE,
    "vanphong": Role.OFFICE,
}
_DAYS = re.compile(r"^(\d{1,2})(d|ngay|ngày)?$", re.IGNORECASE)


def parse_invite_args(args: str) -> tuple[str, Role, int | None]:
    """'/moi Bần Yên Nhân head 14' → ('Bần Yên Nhân', head, 14)."""
    words = args.split()
    role, days = Role.OFFICIAL, None
    while len(words) > 1:
        last = words[-1].lower()
        if last in _ROLE_WORDS:
            role = _ROLE_WORDS[last]
        elif (found := _DAYS.match(last)) and 1 <= int(found.group(1)) <= 90:
            days = int(found.group(1))
        else:
            break
        words.pop()
    return " ".join(words), role, days


async def invite(ctx: Context, args: str) -> Outcome:
    locale = ctx.locale
    query, role, days = parse_invite_args(args)
    if not query.strip():
        return Outcome([Reply(common.moi_usage(locale))])
    units = await repo.units(ctx.session)
    found = match_units(query, units, today=ctx.today)
    unit = found.unique
    if unit is None:
        ambiguous = bool(found.units)
        candidates = found.units if ambiguous else suggestions(query, units, today=ctx.today)
        buttons = [[Button(c.name, f"/moi {c.key} {role.value}")] for c in candidates[:8]]
        text = people.unit_candidates(query, candidates, ambiguous=ambiguous, locale=locale)
        return Outcome([Reply(text, buttons)])
    code = new_code()
    expires_at = ctx.invite_expiry(days)
    invitation = Invitation(
        code_hash=code_hash(code),
        unit_id=unit.id or 0,
        role=role.value,
        created_by=ctx.actor.ref,
        created_at=ctx.now,
        expires_at=expires_at,
    )
    ctx.session.add(invitation)
    await ctx.session.flush()
    await repo.audit(
        ctx.session,
        at=ctx.now,
        actor=ctx.actor.ref,
        action="invite",
        unit_id=unit.id,
        invitation_id=invitation.id,
        role=role.value,
    )
    await ctx.session.commit()
    text = people.invitation_created(
        unit=unit, role=role, code=code, link=ctx.invite_link(code), expires_at=expires_at, locale=locale
    )
    notes = [people.merged_note(old, new, locale) for old, new in found.merged.items()]
    return Outcome([Reply("\n".join([*notes, text]) if notes else text)])


async def register(ctx: Context, raw_code: str) -> Outcome:
    locale = ctx.locale
    code = normalize(raw_code)
    invitation = await repo.invitation_by_hash(ctx.session, code_hash=code_hash(code)) if code else None
    if invitation is None:
        return Outcome([Reply(common.code_invalid(locale))])
    refusal = _refusal(ctx, invitation)
    if refusal:
        return Outcome([Reply(refusal)])
    unit = await ctx.session.get(Unit, invitation.unit_id)
    assert unit is not None
    assert invitation.id is not None
    if any(m.unit.id == unit.id and m.official.role == invitation.role for m in ctx.actor.memberships):
        return Outcome([Reply(people.already_registered(unit=unit, role=invitation.role, locale=locale))])
    invitation_id = invitation.id
    ctx.session.expunge(invitation)
    if not await repo.claim_invitation(ctx.session, invitation_id=invitation_id, now=ctx.now):
        await ctx.session.rollback()
        return Outcome([Reply(common.code_used(locale))])
    incoming = ctx.actor.incoming
    person, _link = await repo.ensure_person(
        ctx.session,
        channel=incoming.channel,
        user_id=incoming.user_id,
        chat_id=incoming.chat_id,
        display_name=incoming.display_name or incoming.user_id,
        username=incoming.username,
        now=ctx.now,
    )
    official = Official(
        person_id=person.id or 0,
        unit_id=unit.id or 0,
        role=invitation.role,
        invitation_id=invitation_id,
        created_at=ctx.now,
    )
    ctx.session.add(official)
    claimed = await ctx.session.get(Invitation, invitation_id)
    assert claimed is not None
    claimed.used_by_person_id = person.id
    await ctx.session.flush()
    await repo.audit(
        ctx.session,
        at=ctx.now,
        actor=ctx.actor.ref,
        action="register",
        unit_id=unit.id,
        official_id=official.id,
        invitation_id=invitation_id,
        role=invitation.role,
    )
    await ctx.session.commit()
    upcoming = await ctx.upcoming(unit) if invitation.role != Role.OFFICE else []
    text = people.registered(unit=unit, role=invitation.role, upcoming=upcoming, locale=locale)
    return Outcome([Reply(text)], menu=Role.OFFICE if ctx.actor.is_office else Role(invitation.role))


def _refusal(ctx: Context, invitation: Invitation) -> str | None:
    if invitation.revoked_at is not None:
        return common.code_revoked(ctx.locale)
    if invitation.used_at is not None:
        return common.code_used(ctx.locale)
    if invitation.expires_at <= ctx.now:
        return common.code_expired(invitation.expires_at, ctx.locale)
    return None


async def cancel_invitation(ctx: Context, args: str) -> Outcome:
    number = args.strip().lstrip("#")
    if not number:
        return Outcome([Reply(common.huymoi_usage(ctx.locale))])
    pending = {str(inv.id): inv for inv, _unit in await repo.pending_invitations(ctx.session, now=ctx.now)}
    invitation = pending.get(number)
    if invitation is None:
        return Outcome([Reply(common.no_such_invitation(number, ctx.locale))])
    invitation.revoked_at = ctx.now
    ctx.session.add(invitation)
    await repo.audit(
        ctx.session,
        at=ctx.now,
        actor=ctx.actor.ref,
        action="cancel_invitation",
        unit_id=invitation.unit_id,
        invitation_id=invitation.id,
    )
    await ctx.session.commit()
    return Outcome([Reply(common.invitation_cancelled(invitation.id or 0, ctx.locale))])
