"""`/kehoach`: the plans in force (or every plan: `/kehoach tatca`) and their duties, numbered for /nhiemvu.

The office sees every plan; an official the plans with a duty of his units, and those duties only. A
plan is in force while it is active and its valid_to has not passed: the shipped 2025 plan ends on
31/12/2025 by its own dates, as its duties end by their deadlines.
"""

from __future__ import annotations

from datetime import date

from bot.core.context import Context
from bot.core.targets import my_units, title_in
from bot.core.types import Outcome, Reply
from messages.plan_views import DutyLine, PlanView, plans_text, plans_usage
from messages.plans import cited, rule_words
from messages.text import fold
from storage.models import Duty, Plan, Unit

_EVERYTHING = ("tatca", "tat ca", "all", "het", "ca", "cu", "da ket thuc", "ket thuc")


def in_force(plan: Plan, today: date) -> bool:
    return plan.active and (plan.valid_to is None or plan.valid_to >= today)


def units_of(duty: Duty, units: list[Unit], groups: dict[str, list[int]]) -> list[Unit]:
    """The units a duty names: its groups' and its own, in the units' order."""
    ids = {unit_id for group in duty.groups for unit_id in groups.get(group, [])}
    return [unit for unit in units if unit.id in ids or unit.key in duty.units]


async def plans(ctx: Context, args: str) -> Outcome:
    query = fold(args)
    everything = query in _EVERYTHING
    if query and not everything:
        return Outcome([Reply(plans_usage(ctx.locale))])
    mine: set[int] | None = None  # the office: every duty
    if not ctx.actor.is_office:
        mine = {
            duty.id or 0 for unit in my_units(ctx) for duty in await ctx.store.duties_for_unit(unit_id=unit.id or 0)
        }
    views, hidden = [], 0
    for plan in await ctx.store.plans(active_only=False):
        duties = await ctx.store.duties_of_plan(plan.id or 0)
        if mine is not None:
            duties = [duty for duty in duties if duty.id in mine]
            if not duties:
                continue
        ended = not in_force(plan, ctx.today)
        if ended and not everything:
            hidden += 1
            continue
        views.append(_view(ctx, plan, duties, ended))
    return Outcome([Reply(plans_text(views, hidden=hidden, everything=everything, locale=ctx.locale))])


def _view(ctx: Context, plan: Plan, duties: list[Duty], ended: bool) -> PlanView:
    lines = [
        DutyLine(duty.id or 0, title_in(duty, ctx.locale), rule_words(duty.rule, ctx.locale, today=ctx.today))
        for duty in duties
    ]
    return PlanView(
        citation=cited(plan, ctx.locale),
        title=plan.title if plan.number.strip() else "",
        report_to=plan.report_to,
        valid_from=plan.valid_from,
        valid_to=plan.valid_to,
        ended=ended,
        duties=lines,
    )
