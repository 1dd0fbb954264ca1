"""The office is told what ended: the morning after units or plans ended (the "ended" digest, with the
questions about each merged unit's officials, as `/donvi … sắp xếp vào` asks them), and in the Monday
digest, what ended in the week before and how many reports closed with it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.types import Button, Reply
from bot.core.unit_view import buttons_for, waiting_at
from messages import endings as words
from messages import units as unit_words
from messages.plans import cited
from storage.models import OFFICE_KIND, plan_ends
from storage.store import Store


async def ended_reply(store: Store, *, first: date, today: date, tz: ZoneInfo, locale: str) -> Reply:
    """What ended at the end of the day before `first`, what closed, and what the office decides."""
    last = first - timedelta(days=1)
    units = await store.units(in_plan_only=False)
    ended = [unit for unit in units if unit.valid_to == last and unit.kind != OFFICE_KIND]
    plans = [cited(plan, locale) for plan in await store.plans(active_only=False) if plan_ends(plan) == last]
    closed = await store.closed_since(since=datetime.combine(first, time(0), tzinfo=tz))
    parts = [words.ended_digest(last, [unit.name for unit in ended], plans, sum(closed.values()), locale)]
    buttons: list[list[Button]] = []
    for unit in ended:
        found = await waiting_at(store, today, unit, units)
        if found is not None and not found.empty:
            text = unit_words.waiting(unit, [found.successor], found.officials, found.duties, locale)
            parts.append(words.decide_about(unit.name, text))
            buttons += buttons_for(found, locale)
    return Reply("\n\n".join(parts), buttons)


async def week_lines(store: Store, *, monday: date, tz: ZoneInfo, locale: str) -> str:
    """What ended in the week before `monday` and how many reports closed; "" when nothing did."""
    start = monday - timedelta(days=7)
    closed = await store.closed_since(since=datetime.combine(start, time(0), tzinfo=tz))
    units = await store.units(in_plan_only=False)
    ended = [u.name for u in units if u.valid_to and start <= u.valid_to < monday and u.kind != OFFICE_KIND]
    if not ended and not closed:
        return ""
    return words.week_endings(ended, sum(closed.values()), locale)
