"""`/kehoach`: the plans in force (or every plan: `/kehoach tatca`) and their duties, numbered for /nhiemvu.

The office sees every plan; an official the plans with a duty of his units, and those duties only. A
plan is in force while it is active, from its start to the earlier of its own end and its issuer's
(`storage.models.plan_ends`): the shipped 2025 plan ended with the thị xã on 30/06/2025, unless the
office carries it over to a successor body (`/kehoach <n> chuyển cho <cơ quan>`).
"""

from __future__ import annotations

import re
from datetime import date

from bot.core.context import Context
from bot.core.targets import my_units, title_in
from bot.core.types import Outcome, Reply
from messages.common import office_only
from messages.plan_views import DutyLine, PlanView, plans_text, plans_usage
from messages.plans import carried, carry_usage, cited, issuer_not_ended, no_such_plan, rule_words
from messages.text import fold
from storage.models import Duty, Plan, Unit, plan_ends

_CARRY = re.compile(r"^(?P<plan>\S+)\s+(?:chuyển|chuyen)\s+(?:cho|sang)\s*(?P<body>.*)$", re.IGNORECASE | re.DOTALL)
_EVERYTHING = ("tatca", "tat ca", "all", "het", "ca", "cu", "da ket thuc", "ket thuc")


def in_force(plan: Plan, today: date) -> bool:
    end = plan_ends(plan)
    return plan.active and (end is None or end >= today)


def units_of(duty: Duty, units: list[Unit], groups: dict[str, list[int]]) -> list[Unit]:
    """The units a duty names: its groups' and its own, in the units' order."""
    ids = {unit_id for group in duty.groups for unit_id in groups.get(group, [])}
    return [unit for unit in units if unit.id in ids or unit.key in duty.units]


async def plans(ctx: Context, args: str) -> Outcome:
    carry = _CARRY.match(args.strip())
    if carry is not None or "chuyen" in fold(args):
        return await carry_over(ctx, carry)
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


async def carry_over(ctx: Context, carry: re.Match[str] | None) -> Outcome:
    """`/kehoach <n> chuyển cho <cơ quan>` (office): a plan whose issuer ended stays in force, by the
    office's decision, under the successor body; audited."""
    if not ctx.actor.is_office:
        return Outcome([Reply(office_only("kehoach", ctx.locale))])
    if carry is None or not carry["body"].strip():
        return Outcome([Reply(carry_usage(ctx.locale))])
    which, body = carry["plan"], " ".join(carry["body"].split())[:200]
    plan = next((p for p in await ctx.store.plans(active_only=False) if which in (str(p.id), p.key)), None)
    if plan is None:
        return Outcome([Reply(no_such_plan(which, ctx.locale))])
    if plan.issuer_until is None:
        return Outcome([Reply(issuer_not_ended(cited(plan, ctx.locale), ctx.locale))])
    await ctx.store.change_plan(plan, carried_to=body)
    await ctx.audit("plan_carried_over", plan=plan.key, to=body)
    text = carried(cited(plan, ctx.locale), body, plan_ends(plan), ctx.locale)
    return Outcome([Reply(text)], plan_changed=True)


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
        number=plan.id or 0,
        issuer_until=plan.issuer_until,
        carried_to=plan.carried_to,
    )
