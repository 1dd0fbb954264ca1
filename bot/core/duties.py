"""`/nhiemvu <số>`: one duty (its plan, units, deadline rule, next deadline and ladder), and the office's
changes to it: `/nhiemvu 7 hạn <hạn mới>`, `/nhiemvu 7 đơn vị <đơn vị, nhóm>`, `/nhiemvu 7 kết thúc`
(asked back, then `/nhiemvu 7 kết thúc xác nhận`). Words with or without diacritics.

Each change goes through `Store.change_duty` (which moves the plan's revision), is audited, and answers
with the duty as it now is. A duty of a plan file may be changed, and the answer says that the next
`nhacviec plan load` of that file sets it back: the file stays the office's record of that plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.context import Context
from bot.core.cycles import upcoming as upcoming_deadlines
from bot.core.followers import follow, follower_name
from bot.core.ids import parse_id
from bot.core.plans import units_of
from bot.core.targets import my_units, title_in
from bot.core.types import Button, Outcome, Reply
from bot.core.unit_args import named_units
from messages import plan_views as words
from messages.cycles import next_deadlines
from messages.deadline_words import read_deadline
from messages.followers import followed_by
from messages.plans import cited, rule_words
from messages.text import fold
from scheduler.calendar import DeadlineRule, next_occurrence
from scheduler.occurrences import ladder_of, rule_in_force
from storage.models import Duty, Unit, plan_ends


@dataclass(frozen=True)
class _Asked:
    action: str  # view | deadline | units | end | follow | usage
    text: str = ""  # what follows the action's words, as typed


_ACTIONS = (  # the words that name each change, folded, longest first
    ("follow", ("theo", "doi")),
    ("follow", ("theodoi",)),
    ("units", ("doi", "don", "vi")),
    ("deadline", ("doi", "han")),
    ("units", ("don", "vi")),
    ("end", ("ket", "thuc")),
    ("deadline", ("han",)),
    ("units", ("donvi",)),
    ("end", ("ketthuc",)),
)


def _asked(rest: str) -> _Asked:
    tokens = rest.split()
    if not tokens:
        return _Asked("view")
    folded = tuple(fold(token) for token in tokens)
    for action, head in _ACTIONS:
        if folded[: len(head)] == head:
            return _Asked(action, " ".join(tokens[len(head) :]))
    return _Asked("usage")


async def duty(ctx: Context, args: str) -> Outcome:
    head, _, rest = args.strip().partition(" ")
    number = parse_id(head)
    if number is None:
        return Outcome([Reply(words.duty_usage(ctx.locale))])
    found = await ctx.store.duty(number)
    units, groups = await ctx.store.units(), await ctx.store.groups()
    mine = {unit.id for unit in my_units(ctx)}
    if found is None or not (ctx.actor.is_office or any(u.id in mine for u in units_of(found, units, groups))):
        return Outcome([Reply(words.no_such_duty(number, ctx.locale))])
    asked = _asked(rest)
    if asked.action == "view":
        return Outcome([await _shown(ctx, found, units, groups)])
    if not ctx.actor.is_office:
        return Outcome([Reply(words.office_changes_only(ctx.locale))])
    if asked.action == "deadline":
        return await _new_deadline(ctx, found, asked.text, units, groups)
    if asked.action == "units":
        return await _new_units(ctx, found, asked.text, units, groups)
    if asked.action == "follow":
        return await follow(ctx, found, asked.text)
    if asked.action == "end":
        return await _end(ctx, found, fold(asked.text).replace(" ", "") == "xacnhan", units, groups)
    return Outcome([Reply(words.change_usage(number, ctx.locale))])


async def _new_deadline(
    ctx: Context, duty: Duty, text: str, units: list[Unit], groups: dict[str, list[int]]
) -> Outcome:
    if not text.strip():
        return Outcome([Reply(words.deadline_usage(duty.id or 0, ctx.locale))])
    read = read_deadline(text, today=ctx.today)
    rule = dict(read.rule or {})
    old = dict(duty.rule)
    if (
        rule and old.get("kind") == rule["kind"] and old.get("period", "none") != "none"
    ):  # the report's data period stays
        rule["period"] = old["period"]
    problem = read.problem
    if rule and problem is None:
        try:
            DeadlineRule.from_dict(rule)
        except ValueError:
            problem = "words"
    if problem is not None or not rule:
        return Outcome([Reply(words.deadline_problem(problem or "words", text.strip(), ctx.locale))])
    await ctx.store.change_duty(duty, rule=rule, wording=rule_words(rule, "vi"))
    await _audit(ctx, duty, "duty_deadline", before=old, after=rule)
    return await _changed(ctx, "deadline", duty, units, groups)


async def _new_units(ctx: Context, duty: Duty, text: str, units: list[Unit], groups: dict[str, list[int]]) -> Outcome:
    named = named_units(text, units, sorted(groups), today=ctx.today)
    if not (named.unknown or named.ambiguous or named.units or named.groups):
        return Outcome([Reply(words.units_usage(duty.id or 0, sorted(groups), ctx.locale))])
    if not named.ok:
        ambiguous = [(query, [unit.name for unit in found]) for query, found in named.ambiguous]
        return Outcome([Reply(words.units_problem(named.unknown, ambiguous, ctx.locale))])
    before = {"groups": list(duty.groups), "units": list(duty.units)}
    after = {"groups": named.groups, "units": [unit.key for unit in named.units]}
    await ctx.store.change_duty(duty, **after)
    await _audit(ctx, duty, "duty_units", before=before, after=after)
    return await _changed(ctx, "units", duty, units, groups)


async def _end(ctx: Context, duty: Duty, confirmed: bool, units: list[Unit], groups: dict[str, list[int]]) -> Outcome:
    number = duty.id or 0
    if not duty.in_plan:
        return Outcome([Reply(words.already_ended(number, ctx.locale))])
    if not confirmed:
        buttons = [[Button(label, data) for label, data in row] for row in words.end_buttons(number, ctx.locale)]
        return Outcome([Reply(words.end_question(number, title_in(duty, ctx.locale), ctx.locale), buttons)])
    await ctx.store.change_duty(duty, in_plan=False)
    await _audit(ctx, duty, "duty_end")
    return await _changed(ctx, "end", duty, units, groups)


async def _audit(ctx: Context, duty: Duty, action: str, **detail: object) -> None:
    await ctx.audit(action, duty_id=duty.id, duty=duty.key, **detail)


async def _changed(ctx: Context, what: str, duty: Duty, units: list[Unit], groups: dict[str, list[int]]) -> Outcome:
    plan = await ctx.store.plan(duty.plan_id) if duty.plan_id else None
    notes = [words.from_file_note(ctx.locale)] if plan is not None and plan.source == "file" else []
    shown = await _shown(ctx, duty, units, groups, notes=notes)
    shown.text = words.changed(what, duty.id or 0, ctx.locale) + "\n\n" + shown.text
    return Outcome([shown], plan_changed=True)


async def _shown(
    ctx: Context, duty: Duty, units: list[Unit], groups: dict[str, list[int]], notes: list[str] | None = None
) -> Reply:
    plan = await ctx.store.plan(duty.plan_id) if duty.plan_id else None
    window = {duty.plan_id or 0: (plan.valid_from, plan_ends(plan))} if plan is not None else None
    in_force = rule_in_force(duty, window)
    found = next_occurrence(duty.key, in_force, ctx.calendar, today=ctx.today)
    named = units_of(duty, units, groups)
    on = found.nominal if found is not None else ctx.today
    shown = [unit.name for unit in named if unit.valid_on(on)] or [unit.name for unit in named]
    upcoming = None
    if found is not None:
        dues = [due.at for due in ladder_of(duty, ctx.calendar, ctx.config.tz, found)]
        upcoming = words.NextDeadline(found.nominal, found.inclusive, found.aim_day, found.legal_last_day, dues)
    view = words.DutyView(
        number=duty.id or 0,
        title=title_in(duty, ctx.locale),
        citation=cited(plan, ctx.locale) if plan is not None else "",
        units=shown,
        rule=rule_words(duty.rule, ctx.locale, today=ctx.today),
        ended=not duty.in_plan,
        next=upcoming,
        notes=[
            *next_deadlines(upcoming_deadlines(in_force, ctx.calendar, today=ctx.today), ctx.locale),
            *([followed_by(name, ctx.locale)] if (name := await follower_name(ctx, duty)) else []),
            *(notes or ()),
        ],
    )
    rows = words.duty_buttons(duty.id or 0, ctx.locale) if ctx.actor.is_office and duty.in_plan else []
    return Reply(words.duty_text(view, ctx.locale), [[Button(label, data) for label, data in row] for row in rows])
