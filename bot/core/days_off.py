"""The calendar's corrections as the office's data: `/ngaynghi` lists them and adds a day off,
`/ngaylam` a working Saturday, `/ngaynghi xoa` removes one. Each answer names the deadlines it moved
(the plan's occurrences of the coming year before and after), and the plan's revision moves, so the
planner and every view follow it at once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from bot.core.context import Context
from bot.core.limits import DAY_NOTE
from bot.core.types import Outcome, Reply
from messages import days_off as words
from messages.days_off import MovedDeadline
from messages.deadline_words import read_day
from messages.text import fold, in_language
from messages.units import bad_day
from scheduler.loaded_plan import PlanCalendar
from scheduler.occurrences import plan_occurrences

AHEAD = timedelta(days=366)  # how far ahead the moved deadlines are looked for
_REMOVE = ("xoa", "bo", "huy")


async def days_off(ctx: Context, args: str) -> Outcome:
    """`/ngaynghi`, `/ngaynghi <dd/mm/yyyy> [lý do]`, `/ngaynghi xoa <dd/mm/yyyy>`."""
    tokens = args.split()
    if not tokens:
        rows = await ctx.store.calendar_days(since=ctx.today)
        return Outcome([Reply(words.corrections(rows, ctx.locale))])
    if fold(tokens[0]) in _REMOVE:
        return await _remove(ctx, " ".join(tokens[1:2]))
    return await _set(ctx, tokens[0], " ".join(tokens[1:]), off=True)


async def working_day(ctx: Context, args: str) -> Outcome:
    """`/ngaylam <dd/mm/yyyy> [lý do]`: a Saturday (or a holiday) worked."""
    tokens = args.split()
    if not tokens:
        return Outcome([Reply(words.usage(ctx.locale))])
    return await _set(ctx, tokens[0], " ".join(tokens[1:]), off=False)


async def _set(ctx: Context, written: str, note: str, *, off: bool) -> Outcome:
    when, problem = read_day(written, today=ctx.today)
    if when is None:
        return Outcome([Reply(bad_day(problem or "words", written, ctx.locale))])
    if len(note) > DAY_NOTE:  # cut, the reason would say something else
        return Outcome([Reply(words.note_too_long(len(note), DAY_NOTE, ctx.locale))])
    if not off and when.weekday() == 6:
        return Outcome([Reply(words.no_working_sunday(when, ctx.locale))])
    before = await ctx.store.holiday_overrides()
    if PlanCalendar(before).is_working_day(when) != off:
        return Outcome([Reply(words.already(when, off, ctx.locale))])
    await ctx.store.set_calendar_day(day=when, off=off, note=note)
    await ctx.audit("calendar_day", day=when.isoformat(), off=off, note=note)
    moved = await _moved(ctx, before, when)
    return Outcome([Reply(words.changed(when, off, moved, ctx.locale))], plan_changed=True)


async def _remove(ctx: Context, written: str) -> Outcome:
    when, problem = read_day(written, today=ctx.today)
    if when is None:
        return Outcome([Reply(bad_day(problem or "words", written, ctx.locale))])
    row = next((row for row in await ctx.store.calendar_days(since=when) if row.day == when), None)
    if row is None:
        return Outcome([Reply(words.not_corrected(when, ctx.locale))])
    if row.source != "office":
        return Outcome([Reply(words.from_file(when, ctx.locale))])
    before = await ctx.store.holiday_overrides()
    await ctx.store.remove_calendar_day(day=when)
    await ctx.audit("calendar_day_removed", day=when.isoformat())
    moved = await _moved(ctx, before, when)
    return Outcome([Reply(words.changed(when, None, moved, ctx.locale))], plan_changed=True)


async def _moved(ctx: Context, before: Mapping[date, bool], when: date) -> list[MovedDeadline]:
    """The occurrences of the coming year whose day to aim for or legal last day the change moved."""
    duties, windows = await ctx.store.plan_duties(), await ctx.store.plan_windows()
    end = max(ctx.today + AHEAD, when + timedelta(days=60))
    dates = []
    for overrides in (before, await ctx.store.holiday_overrides()):
        found = plan_occurrences(duties, PlanCalendar(overrides), ctx.config.tz, ctx.today, end, windows=windows)
        dates.append({(item.duty.id, item.occurrence.nominal): item for item in found})
    moved = []
    for key, old in dates[0].items():
        new = dates[1].get(key)
        was = (old.occurrence.aim_day, old.occurrence.legal_last_day)
        now = (new.occurrence.aim_day, new.occurrence.legal_last_day) if new else was
        if was != now:
            title = in_language(old.duty.title, old.duty.title_en, ctx.locale)
            moved.append(MovedDeadline(title, old.occurrence.nominal, was, now))
    return sorted(moved, key=lambda item: item.after[0])
