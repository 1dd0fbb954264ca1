"""Status updates in a few words: which duty a reply is about, what it says, and recording it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import extensions
from bot.core.cache import LATE_KEPT, CoreCache
from bot.core.context import Context
from bot.core.ids import parse_id
from bot.core.targets import (
    OPEN_BEFORE,
    Target,
    duty_title,
    member_of,
    my_units,
    not_allowed,
    per_person,
    title_in,
)
from bot.core.types import Button, Outcome, Reply
from messages import common
from messages import status as words
from messages.parser import Reading, ReportWords, parse_status, report_words
from messages.text import fold, shorten
from scheduler.calendar import WorkCalendar
from scheduler.occurrences import PlannedOccurrence
from storage.models import FINISHED, Occurrence, StatusUpdate, Unit
from storage.store import Store

STATUS_CHOICES = ("done", "in_progress", "waiting_signature", "no_data", "extension_requested")


async def open_occurrences(
    store: Store, cache: CoreCache, calendar: WorkCalendar, tz: ZoneInfo, today: date
) -> list[tuple[Occurrence, PlannedOccurrence]]:
    """Deadlines that take reports today (of any unit): the coming ones, and every past one, since a unit
    that has not sent a report may still send it. With their rows; the day's cache answers."""
    planned = await cache.planned(store, calendar, tz, today - LATE_KEPT, today + OPEN_BEFORE, today=today)
    return [(await cache.occurrence_row(store, item), item) for item in planned]


async def open_targets(ctx: Context, units: list[Unit], *, include_done: bool = False) -> list[Target]:
    """Deadlines of these units that still take reports, nearest first; done ones left out unless asked."""
    candidates = []
    for row, item in await open_occurrences(ctx.store, ctx.cache, ctx.calendar, ctx.config.tz, ctx.today):
        mine = [unit for unit in units if any(u.id == unit.id for u in item.units)]
        candidates += [(row, item.duty, unit) for unit in mine]
    pairs = [(row.id or 0, unit.id or 0) for row, _duty, unit in candidates]
    if ctx.latest is not None and ctx.latest.covers(pairs):  # read with the actor
        latest = ctx.latest.updates
    else:
        latest = await ctx.store.latest_statuses(pairs=pairs)
    targets = []
    for (row, duty, unit), pair in zip(candidates, pairs, strict=True):
        update = latest.get(pair)
        if include_done or update is None or update.status not in FINISHED:
            targets.append(Target(row, duty, unit, latest=update, owed=True))
    return sorted(_current(targets, ctx.today), key=lambda t: abs((t.occurrence.aim_day - ctx.today).days))


def _current(targets: list[Target], today: date) -> list[Target]:
    """Of one duty's deadlines for one unit, those past and the next one: February's monthly report is
    not what "đã nộp báo cáo tháng" means on 20/01, while January's is still to send."""
    kept, coming = [], set()
    for target in sorted(targets, key=lambda t: t.occurrence.nominal):
        key = (target.duty.id, target.unit.id)
        if key in coming:
            continue
        if target.occurrence.legal_last_day >= today:
            coming.add(key)
        kept.append(target)
    return kept


def choice_order(targets: list[Target], today: date) -> list[Target]:
    """A question's choices: the late reports first, the oldest first (they are owed most), then the
    coming ones, the nearest first."""
    late = sorted((t for t in targets if t.occurrence.legal_last_day < today), key=lambda t: t.occurrence.nominal)
    coming = [t for t in targets if t.occurrence.legal_last_day >= today]
    return late + sorted(coming, key=lambda t: t.occurrence.aim_day)


async def replied_target(ctx: Context) -> Target | None:
    incoming, account = ctx.actor.incoming, ctx.actor.account
    if incoming.reply_to is None or account is None or account.id is None:
        return None
    found = await ctx.store.reminder_by_message(account_id=account.id, message_id=incoming.reply_to)
    return Target(found.occurrence, found.duty, found.unit, found.reminder.id) if found else None


async def free_text(ctx: Context, text: str) -> Outcome:
    """A reply in words: read it, find its duty, record it, or ask back with buttons."""
    units = my_units(ctx)
    if not units:  # the office reports for no unit of its own: it records for one with /capnhat
        text = common.not_understood(ctx.locale)
        if ctx.actor.is_office:
            text += " " + words.on_behalf_usage(ctx.locale)
        return Outcome([Reply(text)])
    reading = parse_status(text, today=ctx.today)
    target = await replied_target(ctx)
    if target is None:
        targets = await open_targets(ctx, units)
        if not targets:
            return Outcome([Reply(words.no_open_duty(ctx.locale))])
        targets = named_targets(text, targets) or targets
        if len(targets) > 1:
            return await which_duty(ctx, text, reading, targets)
        target = targets[0]
    elif (refused := await not_allowed(ctx, target)) is not None:  # a reminder of a unit he has left
        return refused
    if reading.status == "unclear":
        return await ask_status(ctx, target, text, reading)
    return await apply(ctx, target, reading, raw=text)


def named_targets(text: str, targets: list[Target]) -> list[Target]:
    """The targets whose report the words name ("kế hoạch", "6 tháng", "tháng 5", "báo cáo năm")."""
    named = report_words(text)
    if not named.any:
        return []
    return [target for target in targets if _names(named, target)]


def _names(named: ReportWords, target: Target) -> bool:
    period = str(target.duty.rule.get("period", "none"))
    if named.plan:
        return fold(target.duty.title).startswith("ke hoach")
    if named.half_year:
        return period == "half-year"
    if named.month is not None:
        return period == "monthly" and target.occurrence.nominal.month == named.month
    return period == "annual"


async def which_duty(ctx: Context, text: str, reading: Reading, targets: list[Target]) -> Outcome:
    """Several deadlines take reports: the words are kept as a draft and each deadline is a button."""
    draft = await _draft(ctx, text, reading)
    shown = choice_order(targets, ctx.today)[:6]
    buttons = [[Button(_choice_label(ctx, t), f"/ghi {draft} {t.occurrence.id} {t.unit.id}")] for t in shown]
    return Outcome([Reply(words.which_duty(ctx.locale), buttons)])


async def ask_status(ctx: Context, target: Target, text: str, reading: Reading) -> Outcome:
    if (refused := await not_allowed(ctx, target)) is not None:  # not even a draft for another unit
        return refused
    draft = await _draft(ctx, text, reading)
    prefix = f"/ghi {draft} {target.occurrence.id} {target.unit.id}"
    labels = words.status_choices(ctx.locale)
    buttons = [[Button(labels[key], f"{prefix} {key}")] for key in STATUS_CHOICES]
    title = duty_title(ctx, target.duty)
    return Outcome([Reply(words.which_status(text, title, ctx.locale), buttons)])


async def _draft(ctx: Context, text: str, reading: Reading) -> int:
    account = ctx.actor.account
    assert account is not None
    assert account.id is not None
    draft = await ctx.store.add_draft(
        account_id=account.id,
        text=text[:2000],
        status=reading.status,
        percent=reading.percent,
        expected_date=reading.expected_date,
        extension_days=reading.extension_days,
        created_at=ctx.now,
    )
    return draft.id or 0


def _choice_label(ctx: Context, target: Target) -> str:
    title = duty_title(ctx, target.duty)
    label = f"{shorten(title, 40)} ({target.occurrence.nominal:%d/%m})"
    return label if len(my_units(ctx)) == 1 else f"{target.unit.short_name}: {label}"


async def choose(ctx: Context, args: str) -> Outcome:
    """`/ghi <draft> <occurrence> <unit> [status]`: the buttons that place an unsure reply."""
    parts = args.split()
    ids = [parse_id(part) for part in parts[:3]]
    if len(parts) not in (3, 4) or None in ids:
        return Outcome([Reply(words.report_usage(ctx.locale))])
    draft_id, occurrence_id, unit_id = (number or 0 for number in ids)
    # the target is checked before the draft is taken: a choice naming another unit, or a report the
    # unit does not owe, uses nothing up and says nothing of the report
    target = await _target(ctx, occurrence_id, unit_id)
    account = ctx.actor.account
    if target is None or account is None or account.id is None or await not_allowed(ctx, target) is not None:
        return Outcome([Reply(words.choice_expired(ctx.locale))])
    draft = await ctx.store.take_draft(draft_id=draft_id, account_id=account.id, now=ctx.now)
    if draft is None:
        return Outcome([Reply(words.choice_expired(ctx.locale))])
    reading = Reading(
        status=parts[3] if len(parts) == 4 and parts[3] in STATUS_CHOICES else draft.status,  # type: ignore[arg-type]
        percent=draft.percent,
        expected_date=draft.expected_date,
        extension_days=draft.extension_days,
        note=draft.text[:500],
    )
    if reading.status == "unclear":
        return await ask_status(ctx, target, draft.text, reading)
    return await apply(ctx, target, reading, raw=draft.text)


async def _target(ctx: Context, occurrence_id: int, unit_id: int) -> Target | None:
    deadline = await ctx.store.deadline(occurrence_id)
    unit = await ctx.store.unit(unit_id)
    if deadline is None or unit is None:
        return None
    return Target(deadline[0], deadline[1], unit)


async def apply(ctx: Context, target: Target, reading: Reading, *, raw: str, by_button: bool = False) -> Outcome:
    """Record a reading for a unit's occurrence and confirm it in one line."""
    if (refused := await not_allowed(ctx, target)) is not None:
        return refused
    member = member_of(ctx, target.unit)
    if reading.status == "extension_requested":
        return await extensions.request(ctx, target, reading, raw=raw)
    latest = target.latest  # open_targets read it already; a reply to a reminder did not
    if latest == "unknown":
        latest = await ctx.store.latest_status(occurrence_id=target.occurrence.id or 0, unit_id=target.unit.id or 0)
    if latest is not None and latest.status == reading.status == "done":
        return Outcome([Reply(words.already_recorded(target.unit.name, latest.at, ctx.locale))], recorded=True)
    person = ctx.actor.person
    person_id = person.id if person else None
    values: dict[str, Any] = {
        "occurrence_id": target.occurrence.id or 0,
        "unit_id": target.unit.id or 0,
        "status": reading.status,
        "channel": ctx.actor.incoming.channel,
        "at": ctx.now,
        "person_id": person_id,
        "by_office": not member,
        "reminder_id": target.reminder_id,
        "raw_text": raw,
        "percent": reading.percent,
        "expected_date": reading.expected_date,
        "note": reading.note,
    }
    recorded = await ctx.store.record_status(after=latest, **values)
    if recorded is None:  # an update that got in first says the same (a second tap, two "done"s)
        newest = await ctx.store.latest_status(occurrence_id=values["occurrence_id"], unit_id=values["unit_id"])
        at = newest.at if newest else ctx.now
        return Outcome([Reply(words.already_recorded(target.unit.name, at, ctx.locale))], recorded=True)
    text = words.recorded_update(
        unit=target.unit.name,
        duty=duty_title(ctx, target.duty),
        update=recorded,
        locale=ctx.locale,
        by_office=not member,
    )
    name = person.display_name if person else ctx.actor.incoming.display_name
    note = words.tapped_note(recorded, name, ctx.locale) if by_button else None
    told = [] if member else await _tell_officials(ctx, target, recorded)
    return Outcome([Reply(text), *told], tapped_note=note, recorded=True)


async def _tell_officials(ctx: Context, target: Target, update: StatusUpdate) -> list[Reply]:
    """What the office recorded for a unit, to its officials."""

    def text(locale: str) -> str:
        title = title_in(target.duty, locale)
        return words.recorded_by_office_for_you(unit=target.unit.name, duty=title, update=update, locale=locale)

    return await to_officials(ctx, target.unit.id or 0, text)


async def to_officials(ctx: Context, unit_id: int, text: Callable[[str], str]) -> list[Reply]:
    """A message to each active official of a unit, on each of their channels, in their language."""
    replies = []
    for view in per_person(await ctx.store.active_officials(unit_id=unit_id)):
        worded = text(view.person.locale or ctx.config.locale)
        replies += [Reply(worded, channel=link.channel, chat_id=link.chat_id) for link in view.accounts]
    return replies
