"""`/giao`: the office gives a task in one message. The bot shows what it read (a preview kept as a
draft in the database), and only ✅ makes it a duty of the office's own plan, whose units are told at
once, with the buttons a reminder has, and then reminded by the ladder like any duty.

Any office member may tap ✅ or ❌ on a preview: the office gives tasks as one body (as any of them may
close a unit's report), and the audit keeps who asked and who gave. A draft is used once, and only for
a day: two taps, or two instances, give one task.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from bot.core.context import Context
from bot.core.cycles import upcoming
from bot.core.task_args import TaskWords, read_task
from bot.core.types import Button, Outcome, Reply
from messages import status as status_words
from messages import tasks as words
from messages.tasks import Problem, TaskPreview
from scheduler.calendar import DeadlineRule, Occurrence, WorkCalendar, next_occurrence
from scheduler.ladder import allowed_moment, parse_hour, parse_ladder, schedule
from scheduler.steps import StepKey
from storage.models import Duty, DutyDocument, Plan, Unit, column_length
from storage.office import OFFICE_PLAN

DRAFT_KEPT = timedelta(days=1)
REMIND_AT = "08:00"
FILE_ID_KEPT = column_length(DutyDocument, "file_id") or 300  # as Evidence: a cut id would name no file
_DECISION = re.compile(r"^(ok|huy)\s+(\d{1,12})$")


async def give(ctx: Context, args: str) -> Outcome:
    """`/giao <units>; <deadline>; <task>`: a preview with ✅ Giao / ❌ Hủy; `/giao ok|huy <draft>`: a tap."""
    if (decision := _DECISION.match(args.strip())) is not None:
        draft_id = int(decision[2])
        return await (_given(ctx, draft_id) if decision[1] == "ok" else _cancelled(ctx, draft_id))
    if not args.strip():
        return Outcome([Reply(words.usage(ctx.locale))])
    units = await ctx.store.units()
    read = read_task(args, units=units, groups=await ctx.store.groups(), today=ctx.today)
    if isinstance(read, list):
        return Outcome([Reply(words.not_read(read, ctx.locale))])
    first = first_occurrence(read.rule, ctx.calendar, ctx.today)
    if first is None:
        return Outcome([Reply(words.not_read([Problem("deadline", "past", args.split(";")[1].strip())], ctx.locale))])
    person = ctx.actor.person
    draft = await ctx.store.add_task_draft(
        asked_by=ctx.actor.ref,
        person_id=person.id if person else None,
        title=read.title,
        units=[unit.key for unit in read.units],
        rule=read.rule,
        words=args,
        created_at=ctx.now,
    )
    text = words.preview(_preview(ctx, read, first), ctx.locale)
    give_label, cancel_label = words.button_labels(ctx.locale)
    buttons = [[Button(give_label, f"/giao ok {draft.id}"), Button(cancel_label, f"/giao huy {draft.id}")]]
    return Outcome([Reply(text, buttons)])


def first_occurrence(rule: dict[str, Any], cal: WorkCalendar, today: Any) -> Occurrence | None:
    """The task's first deadline from today, as the planner and /lich will see it."""
    return next_occurrence("giao", DeadlineRule.from_dict(rule), cal, today=today)


def _preview(ctx: Context, read: TaskWords, first: Occurrence) -> TaskPreview:
    told_at = allowed_moment(ctx.now, ctx.calendar, ctx.config.tz)
    hour, cal, tz = parse_hour(REMIND_AT), ctx.calendar, ctx.config.tz
    dues = schedule(first.aim_day, first.legal_last_day, parse_ladder(()), hour=hour, cal=cal, tz=tz)
    valid = [unit.name for unit in read.units if unit.valid_on(first.nominal)]
    return TaskPreview(
        title=read.title,
        units=valid or [unit.name for unit in read.units],
        nominal=first.nominal,
        inclusive=first.inclusive,
        aim_day=first.aim_day,
        legal_last_day=first.legal_last_day,
        rule=read.rule,
        told_at=told_at,
        reminders=[due.at for due in dues if due.at > told_at],
        upcoming=upcoming(read.rule, ctx.calendar, today=ctx.today),
    )


async def attached(ctx: Context) -> Outcome | None:
    """A photo or PDF an office member sends while their `/giao` preview waits (a reply to it): kept
    with that task and named to its units. None when no preview waits (the file is something else)."""
    incoming = ctx.actor.incoming
    attachment = incoming.attachment
    if attachment is None or not ctx.actor.is_office:
        return None
    draft = await ctx.store.open_task_draft(asked_by=ctx.actor.ref, since=ctx.now - DRAFT_KEPT)
    if draft is None:
        return None
    if len(attachment.file_id) > FILE_ID_KEPT:
        return Outcome([Reply(status_words.file_not_kept(ctx.locale))])
    await ctx.store.add_duty_document(
        draft_id=draft.id,
        channel=incoming.channel,
        kind=attachment.kind,
        file_id=attachment.file_id,
        file_name=attachment.file_name,
        added_by=ctx.actor.ref,
        at=ctx.now,
    )
    return Outcome([Reply(words.document_kept(attachment.file_name, draft.title, ctx.locale))])


async def _cancelled(ctx: Context, draft_id: int) -> Outcome:
    draft = await ctx.store.take_task_draft(
        draft_id=draft_id, decision="cancelled", by=ctx.actor.ref, now=ctx.now, since=ctx.now - DRAFT_KEPT
    )
    if draft is None:
        return await _gone(ctx, draft_id)
    await ctx.audit("task_cancelled", draft_id=draft_id)
    return Outcome([Reply(words.cancelled(ctx.locale))], tapped_note=words.cancelled_note(ctx.now, ctx.locale))


async def _gone(ctx: Context, draft_id: int) -> Outcome:
    """Why a tap on a preview finds nothing to do: given, cancelled, expired or unknown."""
    draft = await ctx.store.task_draft(draft_id)
    if draft is None:
        decision = None
    elif draft.decision is not None:
        decision = draft.decision
    else:
        decision = "expired"
    return Outcome([Reply(words.draft_gone(decision, ctx.locale))])


async def _given(ctx: Context, draft_id: int) -> Outcome:
    waiting = await ctx.store.task_draft(draft_id)
    first = first_occurrence(waiting.rule, ctx.calendar, ctx.today) if waiting else None
    if waiting is not None and waiting.used_at is None and first is None:  # its deadline passed meanwhile
        return Outcome([Reply(words.not_read([Problem("deadline", "past", waiting.words)], ctx.locale))])
    draft = await ctx.store.take_task_draft(
        draft_id=draft_id, decision="given", by=ctx.actor.ref, now=ctx.now, since=ctx.now - DRAFT_KEPT
    )
    if draft is None or first is None:
        return await _gone(ctx, draft_id)
    plan = await office_plan(ctx)
    duty = await ctx.store.add_duty(
        key=f"giao-{draft.id}",
        title=draft.title[: column_length(Duty, "title") or 300],
        rule=draft.rule,
        units=draft.units,
        plan_id=plan.id,
        note=draft.words[: column_length(Duty, "note") or 1000],
        created_by=draft.asked_by,
        created_at=ctx.now,
        remind_at=REMIND_AT,
    )
    units = [unit for unit in await ctx.store.units() if unit.key in draft.units and unit.valid_on(first.nominal)]
    told = await _tell_units(ctx, duty, first, units)
    await ctx.store.documents_given(draft_id=draft_id, duty_id=duty.id or 0)
    await ctx.audit(
        "task_given",
        duty=duty.key,
        title=duty.title,
        units=draft.units,
        rule=draft.rule,
        draft_id=draft_id,
        asked_by=draft.asked_by,
    )
    reached = {unit_id for unit_id, _name in told}
    unreachable = [unit.name for unit in units if unit.id not in reached]
    text = words.given(duty.title, len(units), [name for _unit, name in told], unreachable, ctx.locale)
    return Outcome([Reply(text)], tapped_note=words.given_note(ctx.now, ctx.locale), plan_changed=True)


async def office_plan(ctx: Context) -> Plan:
    """The office's own plan, made the first time a task is given: given on behalf of the body the
    office's identity names, reported where it says (`/vanphong` changes both)."""
    plans = await ctx.store.plans(active_only=False)
    for plan in plans:
        if plan.key == OFFICE_PLAN:
            return plan
    identity = await ctx.store.office_identity()
    return await ctx.store.add_plan(
        key=OFFICE_PLAN,
        title=words.office_plan_title(ctx.config.locale),
        issuer=identity.parent,
        report_to=identity.report_to,
        source="office",
    )


async def _tell_units(ctx: Context, duty: Duty, first: Occurrence, units: list[Unit]) -> list[tuple[int, str]]:
    """Outbox rows that tell the units' officials of the task now (or at the next moment messages may
    go out), sent by the dispatcher with a reminder's buttons; (unit id, account) for each one written."""
    occurrence, _committed = await ctx.store.occurrence(  # with the duty, in this unit of work
        duty_id=duty.id or 0,
        nominal=first.nominal,
        aim_day=first.aim_day,
        legal_last_day=first.legal_last_day,
        inclusive=first.inclusive,
        period_start=first.period_start,
        period_end=first.period_end,
    )
    at = allowed_moment(ctx.now, ctx.calendar, ctx.config.tz)
    day = at.astimezone(ctx.config.tz).date()
    recipients = await ctx.store.unit_recipients(unit_ids=[unit.id or 0 for unit in units])
    rows, told = [], []
    for recipient in recipients:
        rows.append(
            {
                "occurrence_id": occurrence.id,
                "unit_id": recipient.unit_id,
                "account_id": recipient.account.id,
                "step": StepKey.new_task(),
                "audience": recipient.audience,
                "due_at": at,
                "next_attempt_at": at,
                "local_day": day,
                "created_at": ctx.now,
            }
        )
        told.append((recipient.unit_id, f"{recipient.account.channel}:{recipient.account.user_id}"))
    await ctx.store.add_reminders(rows)
    return told
