"""Inviting officials and registering with a code."""

from __future__ import annotations

from datetime import timedelta

from bot.core.admin_codes import ADMIN, asks_admin, become_admin, invite_admin
from bot.core.choices import unit_choice
from bot.core.codes import code_hash, new_code, normalize
from bot.core.context import Context
from bot.core.invite_args import MAX_DAYS, parse_invite_args
from bot.core.names import ended_named, match_units, named_exactly
from bot.core.types import Outcome, Reply
from messages import channels as channel_words
from messages import common, people
from messages import invitations as invite_words
from messages import units as unit_words
from storage.audit import FAILED_CODE
from storage.models import Invitation, Role, Unit

LINK = "link"  # an invitation that joins another channel to an existing person, not a role
LINK_VALID = timedelta(days=1)
# Codes are 10 of 31 characters (31^10, about 8·10^14); still, an account that keeps guessing is
# stopped: after 5 codes that match nothing in 15 minutes, none is checked until the oldest is 15
# minutes old. The failures are audit entries, so a restart does not forget them.
WRONG_CODES, WRONG_CODES_WINDOW = 5, timedelta(minutes=15)


async def invite(ctx: Context, args: str) -> Outcome:
    locale = ctx.locale
    if asks_admin(args):
        return await invite_admin(ctx)
    query, role, days, wrong_days = parse_invite_args(args)
    if not query.strip():
        return Outcome([Reply(common.moi_usage(locale))])
    units = await ctx.store.units()
    found = match_units(query, units, today=ctx.today)
    unit = found.unique
    if unit is not None and wrong_days is not None:
        text = invite_words.days_out_of_range(wrong_days, MAX_DAYS, ctx.config.invite_days, unit, locale)
        return Outcome([Reply(text)])
    gone = ended_named(query, units, today=ctx.today) if unit is None and not found.units else None
    if gone is not None:
        return Outcome([Reply(unit_words.gone_unit(gone[0], gone[1], locale))])
    if unit is None:
        unknown = _unknown_words(ctx, query, units)
        if unknown is not None:
            return Outcome([Reply(invite_words.unknown_words(*unknown, MAX_DAYS, locale))])
        suffix = f" {days}" if days else ""
        return unit_choice(ctx, query, found, units, lambda c: f"/moi {c.key} {role.value}{suffix}")
    code = new_code()
    expires_at = ctx.invite_expiry(days)
    invitation = await ctx.store.add_invitation(
        code_hash=code_hash(code),
        unit_id=unit.id or 0,
        role=role.value,
        created_by=ctx.actor.ref,
        created_at=ctx.now,
        expires_at=expires_at,
    )
    await ctx.audit(
        "invite",
        unit_id=unit.id,
        invitation_id=invitation.id,
        role=role.value,
    )
    text = people.invitation_created(
        unit=unit, role=role, code=code, link=ctx.invite_link(code), expires_at=expires_at, locale=locale
    )
    notes = [people.merged_note(old, new, locale) for old, new in found.merged.items()]
    return Outcome([Reply("\n".join([*notes, text]) if notes else text)])


async def register(ctx: Context, raw_code: str) -> Outcome:
    locale = ctx.locale
    since = ctx.now - WRONG_CODES_WINDOW
    failed = await ctx.store.failed_codes(actor=ctx.actor.ref, since=since)
    if len(failed) >= WRONG_CODES:  # no code is even looked at until the oldest failure ages out
        return Outcome([Reply(common.too_many_codes(failed[0] + WRONG_CODES_WINDOW, locale))])
    code = normalize(raw_code)
    invitation = await ctx.store.invitation_by_hash(code_hash=code_hash(code)) if code else None
    if invitation is None:
        if code is not None:  # a code-shaped guess that matched nothing: counted, and kept for the office
            await ctx.audit(FAILED_CODE)
        return Outcome([Reply(common.code_invalid(locale))])
    refusal = _refusal(ctx, invitation)
    if refusal:
        return Outcome([Reply(refusal)])
    if invitation.role == LINK:
        return await _join_channel(ctx, invitation)
    if invitation.role == ADMIN:
        return await become_admin(ctx, invitation)
    unit = await ctx.store.unit(invitation.unit_id)
    assert unit is not None
    assert invitation.id is not None
    if any(m.unit.id == unit.id and m.official.role == invitation.role for m in ctx.actor.memberships):
        return Outcome([Reply(people.already_registered(unit=unit, role=invitation.role, locale=locale))])
    invitation_id = invitation.id
    if not await ctx.store.claim_invitation(invitation_id=invitation_id, now=ctx.now):
        return Outcome([Reply(common.code_used(locale))])
    await _enrol(ctx, unit, role=invitation.role, invitation_id=invitation_id)
    upcoming = await ctx.upcoming(unit) if invitation.role != Role.OFFICE else []
    text = people.registered(unit=unit, role=invitation.role, upcoming=upcoming, locale=locale)
    return Outcome([Reply(text)], menu=Role.OFFICE if ctx.actor.is_office else Role(invitation.role))


async def _enrol(ctx: Context, unit: Unit, *, role: str, invitation_id: int) -> None:
    """The writer of a claimed invitation becomes an official of the unit (and a person, if new)."""
    incoming = ctx.actor.incoming
    person, _link = await ctx.store.ensure_person(
        channel=incoming.channel,
        user_id=incoming.user_id,
        chat_id=incoming.chat_id,
        display_name=incoming.display_name or incoming.user_id,
        username=incoming.username,
        now=ctx.now,
    )
    official = await ctx.store.add_official(
        person_id=person.id or 0,
        unit_id=unit.id or 0,
        role=role,
        invitation_id=invitation_id,
        created_at=ctx.now,
    )
    await ctx.store.invitation_used_by(invitation_id=invitation_id, person_id=person.id or 0)
    await ctx.audit(
        "register",
        unit_id=unit.id,
        official_id=official.id,
        invitation_id=invitation_id,
        role=role,
    )


async def link_code(ctx: Context, _args: str) -> Outcome:
    """`/lienket`: a one-time code that joins another channel (Zalo, Telegram) to this person."""
    person = ctx.actor.person
    unit_id = next((m.unit.id for m in ctx.actor.memberships), None) or await ctx.store.office_unit_id()
    if person is None or person.id is None or unit_id is None:
        return Outcome([Reply(common.not_registered(ctx.locale))])
    code = new_code()
    await ctx.store.add_invitation(
        code_hash=code_hash(code),
        unit_id=unit_id,
        role=LINK,
        created_by=f"{LINK}:{person.id}",
        created_at=ctx.now,
        expires_at=ctx.now + LINK_VALID,
    )
    return Outcome([Reply(channel_words.link_code(code, ctx.now + LINK_VALID, ctx.locale))])


async def _join_channel(ctx: Context, invitation: Invitation) -> Outcome:
    """Join the account this code was sent from to the person who asked for the code."""
    person_id = int(invitation.created_by.removeprefix(f"{LINK}:"))
    incoming, account = ctx.actor.incoming, ctx.actor.account
    if account is not None:
        text = (
            channel_words.already_linked(ctx.locale) if account.person_id == person_id else common.code_used(ctx.locale)
        )
        return Outcome([Reply(text)])
    if not await ctx.store.claim_invitation(invitation_id=invitation.id or 0, now=ctx.now):
        return Outcome([Reply(common.code_used(ctx.locale))])
    await ctx.store.link_account(
        person_id=person_id,
        channel=incoming.channel,
        user_id=incoming.user_id,
        chat_id=incoming.chat_id,
        username=incoming.username,
        linked_at=ctx.now,
    )
    await ctx.audit("link", person_id=person_id)
    accounts = await ctx.store.accounts_of(person_id=person_id)
    return Outcome([Reply(channel_words.linked([a.channel for a in accounts], ctx.locale))])


async def choose_channel(ctx: Context, args: str) -> Outcome:
    """`/kenh [telegram|zalo|all]`: where reminders go when a person has several channels."""
    person = ctx.actor.person
    if person is None or person.id is None:
        return Outcome([Reply(common.not_registered(ctx.locale))])
    accounts = await ctx.store.accounts_of(person_id=person.id)
    channels = sorted({account.channel for account in accounts})
    if not args.strip():
        return Outcome([Reply(channel_words.channels(channels, person.channel, ctx.locale))])
    wanted = channel_words.read_channel(args, channels)
    if wanted is None:
        return Outcome([Reply(channel_words.channel_usage(channels, ctx.locale))])
    choice = None if wanted == channel_words.ALL else wanted
    await ctx.store.set_channel(person_id=person.id, channel=choice)
    return Outcome([Reply(channel_words.channels(channels, choice, ctx.locale))])


def _unknown_words(ctx: Context, query: str, units: list[Unit]) -> tuple[Unit, str] | None:
    """For '/moi Đường Hào trưởng phòng': the unit the first words name whole, and the words after it.

    Whole names only: in 'Bần Yên Nan' the last word is a typo of the name, not a role."""
    words = query.split()
    for count in range(len(words) - 1, 0, -1):
        unit = named_exactly(" ".join(words[:count]), units, today=ctx.today)
        if unit is not None:
            return unit, " ".join(words[count:])
    return None


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
    pending = {str(inv.id): inv for inv, _unit in await ctx.store.pending_invitations(now=ctx.now)}
    invitation = pending.get(number)
    if invitation is None:
        return Outcome([Reply(common.no_such_invitation(number, ctx.locale))])
    await ctx.store.revoke_invitation(invitation, now=ctx.now)
    await ctx.audit(
        "cancel_invitation",
        unit_id=invitation.unit_id,
        invitation_id=invitation.id,
    )
    return Outcome([Reply(common.invitation_cancelled(invitation.id or 0, ctx.locale))])
