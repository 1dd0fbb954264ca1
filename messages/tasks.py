"""The words of `/giao`: a task the office gives in one message, its preview, what could not be read,
and what became of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from messages.cycles import Deadline, next_deadlines, quarterly_words
from messages.formatting import moment, short_day
from messages.i18n import gettext_for, ngettext_for
from messages.people import deadline_phrase, two_dates_lines
from messages.units import gone

EXAMPLE = "/giao Nội vụ, Kinh tế; trước 04/12/2026; Báo cáo rà soát biên chế năm 2026"


@dataclass(frozen=True)
class Problem:
    """A part of `/giao` that could not be read: `part` is "parts", "units", "deadline" or "title";
    `reason` says why ("unknown", "ambiguous", "none" for units; "date", "past", "words" for the deadline)."""

    part: str
    reason: str = ""
    words: str = ""  # what the person wrote for that part
    names: tuple[str, ...] = ()  # the units a name could mean, or names that look like it; "ended": its successors
    limit: int = 0  # the most characters the part may have ("title", "long")
    ended_on: date | None = None  # "ended": the last day of the unit `words` names


@dataclass(frozen=True)
class TaskPreview:
    """What a task will be, shown before it is given."""

    title: str
    units: Sequence[str]
    nominal: date
    inclusive: bool
    aim_day: date
    legal_last_day: date
    rule: dict[str, object]
    told_at: datetime  # when the units are told (now, or the next moment messages may go out)
    reminders: Sequence[datetime]  # the ladder's moments for the first deadline, after that
    upcoming: Sequence[Deadline] = ()  # a recurring task's next deadlines, each with both dates


def office_plan_title(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Tasks given by the office")


def usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("To give a task: /giao <units, group or “tất cả”>; <deadline>; <task>\nFor example: {example}").format(
        example=EXAMPLE
    )


def not_read(problems: Sequence[Problem], locale: str) -> str:
    """Each part that could not be read, then how to write the command."""
    _ = gettext_for(locale)
    lines = [_("The task was not given: part of it could not be read.")]
    lines += [f"• {_problem(problem, locale)}" for problem in problems]
    return "\n".join([*lines, "", usage(locale)])


def _problem(problem: Problem, locale: str) -> str:
    _ = gettext_for(locale)
    names = ", ".join(problem.names)
    if problem.part == "parts":
        return _("Three parts are needed, separated by semicolons (;): units; deadline; task.")
    if problem.part == "title" and problem.reason == "long":
        return _("The task's name has {length} characters; at most {limit} characters are allowed.").format(
            length=len(problem.words), limit=problem.limit
        )
    if problem.part == "title":
        return _("The task has no name (the third part).")
    if problem.part == "units" and problem.reason == "none":
        return _("No unit is named (the first part).")
    if problem.part == "units" and problem.reason == "empty":
        return _("“{words}” names no unit that reports yet: add the units first with /themdonvi.").format(
            words=problem.words
        )
    if problem.part == "units" and problem.reason == "ambiguous":
        return _("Unit “{words}” could be any of: {names}. Write more of its name.").format(
            words=problem.words, names=names
        )
    if problem.part == "units" and problem.reason == "ended" and problem.ended_on is not None:
        return gone(problem.words, problem.ended_on, problem.names, locale)
    if problem.part == "units":
        text = _("No unit is called “{words}”.").format(words=problem.words)
        return text + (" " + _("Did you mean: {names}?").format(names=names) if names else "")
    if problem.reason == "date":
        return _("Deadline “{words}”: there is no such day.").format(words=problem.words)
    if problem.reason == "past":
        return _("Deadline “{words}”: that day has already passed.").format(words=problem.words)
    return _(
        "Deadline “{words}” is not a deadline: write “trước 04/12/2026”, “chậm nhất 04/12/2026”, "
        "“ngày 20 hằng tháng” or “15/6 hằng năm”."
    ).format(words=problem.words)


def preview(facts: TaskPreview, locale: str) -> str:
    _ = gettext_for(locale)
    ngettext = ngettext_for(locale)
    count = len(facts.units)
    lines = [
        _("📝 A new task, to check before it is given:"),
        f"📋 {facts.title}",
        ngettext("🏢 {n} unit: {names}", "🏢 {n} units: {names}", count).format(n=count, names=", ".join(facts.units)),
        _("Deadline: {deadline}").format(
            deadline=deadline_phrase(facts.nominal, inclusive=facts.inclusive, locale=locale)
        ),
    ]
    if (again := _recurrence(facts.rule, locale)) is not None:
        lines.append(again)
    lines += two_dates_lines(
        facts.nominal,
        aim_day=facts.aim_day,
        legal_last_day=facts.legal_last_day,
        locale=locale,
        inclusive=facts.inclusive,
    )
    lines += next_deadlines(facts.upcoming, locale)
    lines.append(_("The units are told at {moment}.").format(moment=moment(facts.told_at, locale)))
    if facts.reminders:
        moments = ", ".join(moment(at, locale) for at in facts.reminders)
        lines.append(_("Reminders: {moments}").format(moments=moments))
    lines += ["", _("To send the incoming document with it, reply to this message with a photo or PDF.")]
    return "\n".join(lines)


def _recurrence(rule: dict[str, object], locale: str) -> str | None:
    _ = gettext_for(locale)
    if rule.get("kind") == "monthly":
        text = _("Every month, on the {day}th; the first deadline is below.").format(day=rule.get("day"))
        if isinstance(until := rule.get("until"), str):
            text += " " + _("Until {day}.").format(day=short_day(date.fromisoformat(until), locale))
        return text
    if rule.get("kind") == "quarterly":
        return _("Every quarter: {rule}.").format(rule=quarterly_words(rule, locale))
    if rule.get("kind") == "yearly":
        return _("Every year, on {day:02d}/{month:02d}; the first deadline is below.").format(
            day=rule.get("day"), month=rule.get("month")
        )
    return None


def button_labels(locale: str) -> tuple[str, str]:
    _ = gettext_for(locale)
    return _("✅ Give"), _("❌ Cancel")


def given(title: str, units: int, people: Sequence[str], unreachable: Sequence[str], locale: str) -> str:
    _ = gettext_for(locale)
    ngettext = ngettext_for(locale)
    lines = [
        ngettext("✅ Task given to {n} unit: {title}", "✅ Task given to {n} units: {title}", units).format(
            n=units, title=title
        ),
        ngettext("{n} official is told now.", "{n} officials are told now.", len(people)).format(n=len(people)),
    ]
    if unreachable:
        lines.append(_("Nobody registered can be told in: {units}.").format(units=", ".join(unreachable)))
    lines.append(_("It now appears in /tonghop, /quahan, /lich and the digests."))
    return "\n".join(lines)


def given_note(at: datetime, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Given at {moment}").format(moment=moment(at, locale))


def cancelled(locale: str) -> str:
    _ = gettext_for(locale)
    return _("The task was not given.")


def cancelled_note(at: datetime, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Cancelled at {moment}").format(moment=moment(at, locale))


def draft_gone(decision: str | None, locale: str) -> str:
    """A tap on a preview that is no longer waiting: given, cancelled, expired, or unknown."""
    _ = gettext_for(locale)
    if decision == "given":
        return _("This task has already been given.")
    if decision == "cancelled":
        return _("This task was cancelled.")
    if decision == "expired":
        return _("This preview has expired (after a day). Send /giao again.")
    return _("There is no such task waiting. Send /giao again.")


def document_kept(file_name: str, title: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("📎 Kept with the task “{title}”: {file}. The units are told of it when the task is given.").format(
        title=title, file=file_name or _("the file")
    )
