"""`/xuat` (an Excel workbook) and `/congvan` (a Word draft of a follow-up letter), for the office."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.core import on_time_record
from bot.core.cache import LATE_KEPT, CoreCache
from bot.core.context import Context
from bot.core.summaries import duty_matches, occurrence_views, open_reports
from bot.core.targets import OPEN_BEFORE
from bot.core.types import Document, Outcome, Reply
from messages import exports
from messages import summary as words
from messages.letter import Letterhead, PlanCitation, late_lines
from messages.office import full_agency
from messages.period_words import year_so_far
from messages.summary import OccurrenceView
from messages.text import fold
from scheduler.calendar import WorkCalendar
from scheduler.occurrences import PlannedOccurrence, plan_occurrences
from storage.models import Plan, plan_ends
from storage.plan import OFFICE_SOURCE
from storage.store import Store

REPLY_DAYS = 3  # working days the letter gives the late units to send their reports


def reply_by(cal: WorkCalendar, today: date) -> date:
    """The day the follow-up letter asks the late units to send by."""
    return cal.add_working_days(today, REPLY_DAYS)


async def views_at(
    store: Store,
    *,
    cal: WorkCalendar,
    tz: ZoneInfo,
    cache: CoreCache,
    today: date,
    duty: str | None,
    locale: str,
) -> list[OccurrenceView]:
    """The open occurrences on `today` (optionally of one duty, by key or title), every unit's line."""
    planned = await open_planned(store, cal=cal, tz=tz, cache=cache, today=today, duty=duty)
    return await occurrence_views(
        store, cal=cal, cache=cache, planned=planned, units=None, today=today, tz=tz, locale=locale
    )


async def open_planned(
    store: Store, *, cal: WorkCalendar, tz: ZoneInfo, cache: CoreCache, today: date, duty: str | None
) -> list[PlannedOccurrence]:
    """The reports the office's views show (late ones however old), optionally of one plan or duty (by
    key or title), and of one deadline when the words end with its date ("bao-cao-thang 20/01/2025")."""
    planned = await open_reports(store, cache, cal, tz, today=today, end=today + OPEN_BEFORE)
    query = (duty or "").strip()
    day = _DEADLINE.search(query)
    if day is not None:
        query = query[: day.start()].strip()
        nominal = _day(day)
        planned = [item for item in planned if item.occurrence.nominal == nominal]
    if not query:
        return planned
    folded = fold(query)
    plans = {plan.id for plan in await store.plans(active_only=False) if folded in (fold(plan.key), fold(plan.title))}
    if plans:
        return [item for item in planned if item.duty.plan_id in plans]
    return [item for item in planned if duty_matches(query, item)]


_DEADLINE = re.compile(r"(?:^|\s)(\d{1,2})/(\d{1,2})/(\d{4})$")


def _day(found: re.Match[str]) -> date | None:
    try:
        return date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
    except ValueError:  # 30/02: no deadline has it
        return None


async def _views(ctx: Context, args: str) -> list[OccurrenceView]:
    return await views_at(
        ctx.store,
        cal=ctx.calendar,
        tz=ctx.config.tz,
        cache=ctx.cache,
        today=ctx.today,
        duty=args.strip() or None,
        locale=ctx.locale,
    )


async def letterhead(store: Store, planned: Sequence[PlannedOccurrence] = ()) -> Letterhead:
    """The office's identity of the day, citing the plan of `planned` (when they share one)."""
    identity = await store.office_identity()
    plan_ids = {item.duty.plan_id or 0 for item in planned}
    plan = await store.plan(plan_ids.pop()) if len(plan_ids) == 1 else None
    cited = PlanCitation("", "")
    if plan is not None:
        office = plan.source == OFFICE_SOURCE
        cited = PlanCitation(plan.title, plan.issuer, plan.number, plan.issued_on, office=office)
    return Letterhead(
        parent=identity.parent,
        issuer=identity.agency,
        number_code=identity.number_code,
        place=identity.place,
        signer_authority=identity.signer_authority,
        signer_title=identity.signer_title,
        signer_name=identity.signer_name,
        plan=cited,
        filed=identity.filed or "VT",
        writer=full_agency(identity),
    )


async def workbook(ctx: Context, args: str) -> Outcome:
    """`/xuat [report]`: the open reports; `/xuat <plan's code or number>`: every report of that plan,
    ended or not, with what each unit did and did not send (a plan's own workbook)."""
    plan = await plan_named(ctx, args)
    views = await _plan_views(ctx, plan) if plan is not None else await _views(ctx, args)
    if not views:
        return Outcome([Reply(words.nothing_open(ctx.locale))])
    period = year_so_far(ctx.today)
    rated, _reports = await on_time_record.record(
        ctx.store,
        cal=ctx.calendar,
        cache=ctx.cache,
        tz=ctx.config.tz,
        period=period,
        today=ctx.today,
        locale=ctx.locale,
    )
    head = await letterhead(ctx.store)
    content = exports.workbook(views, at=ctx.now, letterhead=head, locale=ctx.locale, rates=(period, rated))
    name = f"{plan.key if plan else 'tong-hop'}-{ctx.today:%Y-%m-%d}.xlsx"
    return Outcome([Reply(words.export_caption(ctx.today, ctx.locale), document=Document(name, content))])


async def plan_named(ctx: Context, args: str) -> Plan | None:
    """The plan `/xuat` names by its code or its number in /kehoach, if it names one."""
    query = args.strip()
    if not query:
        return None
    for plan in await ctx.store.plans(active_only=False):
        if fold(query) in (fold(plan.key), str(plan.id)):
            return plan
    return None


async def _plan_views(ctx: Context, plan: Plan) -> list[OccurrenceView]:
    """Every report the plan asked while it was in force, each unit's line with its latest update."""
    duties = [(duty, units) for duty, units in await ctx.store.plan_duties() if duty.plan_id == plan.id]
    start = plan.valid_from or ctx.today - LATE_KEPT
    end = min(plan_ends(plan) or ctx.today, ctx.today) + timedelta(days=31)
    windows = await ctx.store.plan_windows()
    planned = [
        item
        for item in plan_occurrences(duties, ctx.calendar, ctx.config.tz, start, end, windows=windows)
        if item.units and item.occurrence.nominal <= ctx.today + OPEN_BEFORE
    ]
    return await occurrence_views(
        ctx.store,
        cal=ctx.calendar,
        cache=ctx.cache,
        planned=planned,
        units=None,
        today=ctx.today,
        tz=ctx.config.tz,
        locale=ctx.locale,
    )


async def letter(ctx: Context, args: str) -> Outcome:
    duty = args.strip() or None
    planned = await open_planned(
        ctx.store, cal=ctx.calendar, tz=ctx.config.tz, cache=ctx.cache, today=ctx.today, duty=duty
    )
    views = await occurrence_views(
        ctx.store,
        cal=ctx.calendar,
        cache=ctx.cache,
        planned=planned,
        units=None,
        today=ctx.today,
        tz=ctx.config.tz,
        locale=ctx.locale,
    )
    late = [item for view, item in zip(views, planned, strict=True) if late_lines(view)]
    if not late:
        return Outcome([Reply(words.overdue([], ctx.locale))])
    content = exports.follow_up_letter(
        views,
        today=ctx.today,
        reply_by=reply_by(ctx.calendar, ctx.today),
        letterhead=await letterhead(ctx.store, late),
        now_called=await _now_called(ctx),
    )
    name = f"cong-van-don-doc-{ctx.today:%Y-%m-%d}.docx"
    return Outcome([Reply(words.letter_caption(ctx.locale), document=Document(name, content))])


async def _now_called(ctx: Context) -> dict[str, str | None]:
    """Units that ended before today, by name: what they are part of now (their successors valid
    today), or None when nothing took them over. A letter goes to units that exist."""
    units = await ctx.store.units()
    by_key = {unit.key: unit for unit in units}
    ended = {}
    for unit in units:
        if unit.valid_to is not None and unit.valid_to < ctx.today:
            after = [by_key[key].name for key in unit.successors if key in by_key and by_key[key].valid_on(ctx.today)]
            ended[unit.name] = ", ".join(after) or None
    return ended


async def chart(ctx: Context, args: str) -> Outcome:
    """`/bieudo [duty]`: submissions over time for each open report (or one), as pictures."""
    from messages.chart import submissions_png

    duty = args.strip() or None
    planned = await open_planned(
        ctx.store, cal=ctx.calendar, tz=ctx.config.tz, cache=ctx.cache, today=ctx.today, duty=duty
    )
    views = await occurrence_views(
        ctx.store,
        cal=ctx.calendar,
        cache=ctx.cache,
        planned=planned,
        units=None,
        today=ctx.today,
        tz=ctx.config.tz,
        locale=ctx.locale,
    )
    replies = []
    for view, item in zip(views, planned, strict=True):
        row = await ctx.cache.occurrence_row(ctx.store, item)
        units = (line_unit_id for line_unit_id, _name in ctx.cache.unit_keys(item))
        submitted = await ctx.store.submissions(occurrence_id=row.id or 0, unit_ids=units)
        png = submissions_png(
            title=words.chart_title(view, ctx.locale),
            submitted=submitted,
            total=len(view.lines),
            aim_day=view.aim_day,
            legal_last_day=view.legal_last_day,
            today=ctx.today,
            locale=ctx.locale,
        )
        caption = words.chart_caption(view, len(submitted), ctx.locale)
        replies.append(Reply(caption, photo=Document(f"bieu-do-{row.id}.png", png)))
    return Outcome(replies or [Reply(words.nothing_open(ctx.locale))])
