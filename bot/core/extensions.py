"""Asking the office for more time, and the office's one-tap answer."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.ids import parse_id
from bot.core.targets import Target, duty_title, per_person
from bot.core.types import Button, Outcome, Reply
from messages import extensions as extension_words
from messages.parser import Reading
from storage.models import Extension

DEFAULT_DAYS = 3  # "xin gia hạn" without a length


async def request(ctx: Context, target: Target, reading: Reading, *, raw: str) -> Outcome:
    """Record the request as an update and send it to the office with grant / refuse buttons.

    "xin lùi 3 ngày" counts from the legal last day: the unit is on time until then anyway."""
    last_day = target.occurrence.legal_last_day
    if reading.expected_date is not None and reading.expected_date > last_day:
        until = ctx.calendar.on_or_before(reading.expected_date)
    else:
        until = ctx.calendar.add_working_days(last_day, reading.extension_days or DEFAULT_DAYS)
    person = ctx.actor.person
    person_id = person.id if person else None
    await ctx.store.record_status(
        occurrence_id=target.occurrence.id or 0,
        unit_id=target.unit.id or 0,
        status="extension_requested",
        channel=ctx.actor.incoming.channel,
        at=ctx.now,
        person_id=person_id,
        reminder_id=target.reminder_id,
        raw_text=raw,
        expected_date=until,
        note=reading.note,
    )
    extension = await ctx.store.add_extension(
        occurrence_id=target.occurrence.id or 0,
        unit_id=target.unit.id or 0,
        requested_by=person_id,
        requested_at=ctx.now,
        until=until,
        reason=raw[:500],
    )
    title = duty_title(ctx, target.duty)
    replies = [Reply(extension_words.extension_sent(target.unit.name, title, until, ctx.locale))]
    name = person.display_name if person else ctx.actor.incoming.display_name
    office = await ctx.store.office_accounts(admins=ctx.config.admins)
    for account in office:
        reader = await ctx.store.person(account.person_id)
        locale = (reader.locale if reader else None) or ctx.config.locale
        buttons = [
            Button(label, f"/giahan {extension.id} {key}") for key, label in extension_words.extension_choices(locale)
        ]
        text = extension_words.extension_for_office(
            unit=target.unit.name, duty=title, last_day=last_day, until=until, who=name, said=raw, locale=locale
        )
        replies.append(Reply(text, [buttons], channel=account.channel, chat_id=account.chat_id))
    return Outcome(replies, recorded=True)


async def decide(ctx: Context, args: str) -> Outcome:
    """`/giahan <request> yes|no` (office): grant or refuse; the unit is told, its reminders follow."""
    parts = args.split()
    extension_id = parse_id(parts[0]) if len(parts) == 2 else None
    if extension_id is None or parts[1] not in ("yes", "no"):
        return Outcome([Reply(extension_words.extension_usage(ctx.locale))])
    person = ctx.actor.person
    decision = "granted" if parts[1] == "yes" else "refused"
    extension = await ctx.store.decide_extension(
        extension_id=extension_id,
        decision=decision,
        person_id=person.id if person else None,
        now=ctx.now,
    )
    if extension is None:
        return Outcome([Reply(extension_words.extension_already_decided(ctx.locale))])
    unit = await ctx.store.unit(extension.unit_id)
    deadline = await ctx.store.deadline(extension.occurrence_id)
    assert unit is not None
    assert deadline is not None
    _occurrence, duty = deadline
    title = duty_title(ctx, duty)
    granted = decision == "granted"
    await _record_decision(ctx, extension, decision)
    replies = [Reply(extension_words.extension_decided(unit.name, title, extension.until, granted, ctx.locale))]
    for view in per_person(await ctx.store.active_officials(unit_id=unit.id or 0)):
        locale = view.person.locale or ctx.config.locale
        text = extension_words.extension_answer(title, extension.until, granted, locale)
        replies += [Reply(text, channel=link.channel, chat_id=link.chat_id) for link in view.accounts]
    note = extension_words.decision_note(granted, ctx.actor.incoming.display_name, ctx.now, ctx.locale)
    return Outcome(replies, tapped_note=note, recorded=True)


async def _record_decision(ctx: Context, extension: Extension, decision: str) -> None:
    """The decision as an update of the unit's (so every view and /lichsu say it, and the request is no
    longer shown as waiting), and in the audit."""
    person = ctx.actor.person
    await ctx.store.record_status(
        occurrence_id=extension.occurrence_id,
        unit_id=extension.unit_id,
        status=f"extension_{decision}",
        channel=ctx.actor.incoming.channel,
        at=ctx.now,
        person_id=person.id if person else None,
        by_office=True,
        expected_date=extension.until,
    )
    await ctx.audit(
        f"extension_{decision}",
        unit_id=extension.unit_id,
        extension_id=extension.id,
        until=extension.until.isoformat(),
    )
