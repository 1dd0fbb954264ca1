"""Reminders as people see them, and the taps on their buttons."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from bot.core import updates
from bot.core.context import Context
from bot.core.ids import parse_id
from bot.core.targets import Target, not_allowed
from bot.core.types import Button, Outcome, Reply
from messages import status as status_words
from messages.parser import Reading
from messages.plans import citation
from messages.reminders import ReminderFacts, button_labels, reminder_text
from messages.text import in_language
from scheduler.ladder import allowed_moment
from scheduler.sending import ReminderMessage
from scheduler.steps import StepKey
from storage import status as status_store

STATUSES = ("done", "in_progress", "no_data")
SNOOZES = {"2h": timedelta(hours=2), "tomorrow": None}


def reminder_reply(message: ReminderMessage, *, documents: Sequence[str] = ()) -> Reply:
    """The text and buttons of one reminder, in its reader's language; a task just given (`/giao`)
    says so, with the names of the `documents` given with it."""
    title = in_language(message.duty_title, message.duty_title_en, message.locale)
    facts = ReminderFacts(
        audience=message.audience,
        duty_title=title,
        unit_name=message.unit_name,
        nominal=message.nominal,
        inclusive=message.inclusive,
        aim_day=message.aim_day,
        legal_last_day=message.legal_last_day,
        working_days_left=message.working_days_left,
        period_start=message.period_start,
        period_end=message.period_end,
        late_units=message.late_units,
        new_task=StepKey(message.step).kind == "new",
        documents=documents,
        plan=citation(
            message.plan_title, message.plan_number, message.plan_issued_on, message.plan_issuer, message.locale
        )
        if message.plan_title or message.plan_number
        else "",
    )
    buttons: list[list[Button]] = []
    if message.audience != "office":
        labels = [Button(label, f"/baocao {message.reminder_id} {key}") for key, label in button_labels(message.locale)]
        buttons = [labels[:2], labels[2:]]
    return Reply(reminder_text(facts, message.locale), buttons)


async def report(ctx: Context, args: str) -> Outcome:
    """`/baocao <reminder> <status>`: what a button on a reminder stands for."""
    parts = args.split()
    reminder_id = parse_id(parts[0]) if len(parts) == 2 else None
    if reminder_id is None:
        return Outcome([Reply(status_words.report_usage(ctx.locale))])
    found = await ctx.store.reminder_context(reminder_id=reminder_id)
    if found is None:
        return Outcome([Reply(status_words.unknown_reminder(ctx.locale))])
    target = Target(found.occurrence, found.duty, found.unit, found.reminder.id)
    if (refused := await not_allowed(ctx, target)) is not None:  # before a snooze or an update is written
        return refused
    choice = parts[1]
    if choice == "later":
        buttons = [Button(label, f"/baocao {parts[0]} {key}") for key, label in status_words.snooze_labels(ctx.locale)]
        return Outcome([Reply(status_words.snooze_question(ctx.locale), [buttons])])
    if choice in SNOOZES:
        return await _snooze(ctx, found, choice)
    if choice not in STATUSES:
        return Outcome([Reply(status_words.report_usage(ctx.locale))])
    return await updates.apply(ctx, target, Reading(status=choice), raw=f"[{choice}]", by_button=True)  # type: ignore[arg-type]


async def _snooze(ctx: Context, found: status_store.ReminderContext, choice: str) -> Outcome:
    delay = SNOOZES[choice]
    if delay is None:  # tomorrow morning, on the next working day
        local = ctx.now.astimezone(ctx.config.tz)
        next_day = ctx.calendar.on_or_after(local.date() + timedelta(days=1))
        wanted = datetime.combine(next_day, time(8, 0), tzinfo=ctx.config.tz)
    else:
        wanted = ctx.now + delay
    at = allowed_moment(wanted, ctx.calendar, ctx.config.tz)
    link = ctx.actor.account
    if link is None or link.id is None:
        return Outcome([Reply(status_words.not_your_unit(found.unit.name, ctx.locale))])
    step = StepKey.later(at)
    await ctx.store.add_reminders(
        [
            {
                "occurrence_id": found.occurrence.id,
                "unit_id": found.unit.id,
                "account_id": link.id,
                "step": step,
                "audience": found.reminder.audience if found.reminder.audience != "office" else "official",
                "due_at": at,
                "next_attempt_at": at,
                "created_at": ctx.now,
            }
        ],
    )
    return Outcome([Reply(status_words.snoozed(at, ctx.locale))])
