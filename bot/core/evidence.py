"""Documents and photos sent as the submission itself, and the office's "đã nhận"."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.ids import parse_id
from bot.core.targets import Target, duty_title, my_units, not_allowed, title_in
from bot.core.types import Button, Outcome, Reply
from bot.core.updates import apply, named_targets, open_targets, replied_target, to_officials
from messages import common
from messages import status as words
from messages.parser import Reading
from storage.models import Duty, Evidence, column_length

FILE_ID_KEPT = column_length(Evidence, "file_id") or 300


async def received_file(ctx: Context) -> Outcome:
    """A document or photo from an official: evidence of the submission of the duty it answers."""
    incoming = ctx.actor.incoming
    attachment = incoming.attachment
    assert attachment is not None
    units = my_units(ctx)
    if not units:
        return Outcome([Reply(common.not_understood(ctx.locale))])
    if len(attachment.file_id) > FILE_ID_KEPT:  # cut, the id would name no file: nothing is recorded
        return Outcome([Reply(words.file_not_kept(ctx.locale))])
    target = await replied_target(ctx)
    if target is None:
        targets = await open_targets(ctx, units)
        target = targets[0] if len(targets) == 1 else await _answered(ctx, targets)
        if target is None:
            text = words.file_needs_reply(ctx.locale) if targets else words.no_open_duty(ctx.locale)
            return Outcome([Reply(text)])
    if (refused := await not_allowed(ctx, target)) is not None:  # before the file is kept or the office told
        return refused
    person = ctx.actor.person
    evidence = await ctx.store.add_evidence(
        occurrence_id=target.occurrence.id or 0,
        unit_id=target.unit.id or 0,
        person_id=person.id if person else None,
        channel=incoming.channel,
        kind=attachment.kind,
        file_id=attachment.file_id,
        file_name=attachment.file_name,
        caption=incoming.text[:1024],
        at=ctx.now,
    )
    outcome = await apply(ctx, target, Reading(status="done", note=incoming.text[:500]), raw=incoming.text)
    outcome.replies[0].text += "\n" + words.evidence_kept(attachment.file_name, ctx.locale)
    outcome.replies += await _tell_office(ctx, target, evidence.id or 0, attachment.file_name)
    outcome.recorded = True  # the file is kept even when the report was already marked sent
    return outcome


async def _answered(ctx: Context, targets: list[Target]) -> Target | None:
    """Of several open reports, the one a file not sent as a reply answers: the one its caption names,
    else (a channel without replies, such as Zalo) the one this account was reminded of last."""
    named = named_targets(ctx.actor.incoming.text, targets)
    if len(named) == 1:
        return named[0]
    account = ctx.actor.account
    capabilities = ctx.config.capabilities.get(ctx.actor.incoming.channel)
    if capabilities is None or capabilities.replies or account is None or account.id is None:
        return None  # where a reply says which report, the person is asked to reply
    occurrences = [target.occurrence.id or 0 for target in targets]
    last = await ctx.store.latest_reminded(account_id=account.id, occurrences=occurrences)
    return next((target for target in targets if target.occurrence.id == last), None)


async def _tell_office(ctx: Context, target: Target, evidence_id: int, file_name: str) -> list[Reply]:
    replies = []
    title = duty_title(ctx, target.duty)
    for account in await ctx.store.office_accounts(admins=ctx.config.admins):
        if account.id == (ctx.actor.account.id if ctx.actor.account else None):
            continue
        text = words.evidence_for_office(target.unit.name, title, file_name, ctx.locale)
        button = Button(words.received_label(ctx.locale), f"/danhan {evidence_id}")
        replies.append(Reply(text, [[button]], channel=account.channel, chat_id=account.chat_id))
    return replies


async def mark_received(ctx: Context, args: str) -> Outcome:
    """`/danhan <evidence>` (office): the submission was received; the officials are told."""
    evidence_id = parse_id(args)
    if evidence_id is None:
        return Outcome([Reply(words.received_usage(ctx.locale))])
    person = ctx.actor.person
    evidence = await ctx.store.mark_received(
        evidence_id=evidence_id, person_id=person.id if person else None, now=ctx.now
    )
    if evidence is None:
        return Outcome([Reply(words.received_already(ctx.locale))])
    unit = await ctx.store.unit(evidence.unit_id)
    deadline = await ctx.store.deadline(evidence.occurrence_id)
    assert unit is not None
    assert deadline is not None
    _occurrence, duty = deadline
    replies = [Reply(words.received_recorded(unit.name, duty_title(ctx, duty), ctx.locale))]

    def told(locale: str, duty: Duty = duty) -> str:
        return words.received_told(title_in(duty, locale), ctx.now, locale)

    replies += await to_officials(ctx, unit.id or 0, told)
    note = words.received_note(ctx.actor.incoming.display_name, ctx.now, ctx.locale)
    return Outcome(replies, tapped_note=note, recorded=True)
