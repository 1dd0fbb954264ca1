"""The words of /kehoach (the plans and their duties) and /nhiemvu (one duty, and changing it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from messages.formatting import day, moment, short_day
from messages.i18n import gettext_for, ngettext_for
from messages.people import deadline_phrase


@dataclass(frozen=True)
class DutyLine:
    number: int  # the duty's id: what /nhiemvu takes
    title: str
    rule: str  # "trước ngày 20 hằng tháng"


@dataclass(frozen=True)
class PlanView:
    citation: str
    title: str  # shown under the citation when the citation does not already say it ("" otherwise)
    report_to: str
    valid_from: date | None
    valid_to: date | None
    ended: bool
    duties: Sequence[DutyLine] = ()
    number: int = 0  # the plan's id: what `/kehoach <n> chuyển cho` takes
    issuer_until: date | None = None  # the day its issuer ended, if it did
    carried_to: str = ""  # the successor body the office carried it over to


@dataclass(frozen=True)
class NextDeadline:
    nominal: date
    inclusive: bool
    aim_day: date
    legal_last_day: date
    reminders: Sequence[datetime] = ()


@dataclass(frozen=True)
class DutyView:
    number: int
    title: str
    citation: str
    units: Sequence[str]
    rule: str
    ended: bool
    next: NextDeadline | None
    from_file: bool = False  # the duty came from a plan file: a reload sets it back
    notes: Sequence[str] = field(default_factory=tuple)


def plans_text(views: Sequence[PlanView], *, hidden: int, everything: bool, locale: str) -> str:
    _ = gettext_for(locale)
    ngettext = ngettext_for(locale)
    if not views:
        lines = [_("No plan is in force.") if not everything else _("No plan yet.")]
    else:
        lines = [_("Plans, including those no longer in force:") if everything else _("Plans in force:")]
    for view in views:
        lines += ["", *_plan_lines(view, locale)]
    lines.append("")
    if hidden and not everything:
        lines.append(
            ngettext(
                "{n} plan is no longer in force: /kehoach tatca shows it.",
                "{n} plans are no longer in force: /kehoach tatca shows them.",
                hidden,
            ).format(n=hidden)
        )
    lines.append(_("One duty: /nhiemvu <number>"))
    return "\n".join(lines).strip()


def _plan_lines(view: PlanView, locale: str) -> list[str]:
    _ = gettext_for(locale)
    lines = [f"📄 {view.citation}"]
    if view.title:
        lines.append(view.title)
    if view.report_to:
        lines.append(_("Reports go to: {body}").format(body=view.report_to))
    validity = _validity(view, locale)
    if view.ended:
        validity = (
            _("{validity} (no longer in force)").format(validity=validity) if validity else _("No longer in force")
        )
    if validity:
        lines.append(validity)
    lines += _issuer_lines(view, locale)
    lines += [f"{line.number}. {line.title} — {line.rule}" for line in view.duties]
    if not view.duties:
        lines.append(_("(no duty)"))
    return lines


def _issuer_lines(view: PlanView, locale: str) -> list[str]:
    """A plan whose issuer ended: that it ended with it, or to whom the office carried it over."""
    _ = gettext_for(locale)
    if view.carried_to:
        return [_("Carried over to {body} by the office's decision.").format(body=view.carried_to)]
    if view.issuer_until is None:
        return []
    ended = _("Its issuer ended on {day}: the plan ended with it.").format(day=short_day(view.issuer_until, locale))
    how = _("To carry it over to the successor body: /kehoach {n} chuyển cho <body>").format(n=view.number)
    return [ended, how]


def _validity(view: PlanView, locale: str) -> str:
    _ = gettext_for(locale)
    start = short_day(view.valid_from, locale) if view.valid_from else None
    end = short_day(view.valid_to, locale) if view.valid_to else None
    if start and end:
        return _("In force from {start} to {end}").format(start=start, end=end)
    if start:
        return _("In force from {start}").format(start=start)
    if end:
        return _("In force until {end}").format(end=end)
    return ""


def plans_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Send /kehoach for the plans in force, or /kehoach tatca for every plan.")


def duty_text(view: DutyView, locale: str) -> str:
    _ = gettext_for(locale)
    lines = [_("Duty no. {number}: {title}").format(number=view.number, title=view.title)]
    if view.citation:
        lines.append(_("Under {plan}").format(plan=view.citation))
    if view.ended:
        lines.append(_("⛔ This duty has ended: no unit is reminded of it any more; its history is kept."))
    ngettext = ngettext_for(locale)
    units = ", ".join(view.units) if view.units else _("none")
    lines.append(
        ngettext("🏢 Unit ({n}): {units}", "🏢 Units ({n}): {units}", len(view.units)).format(
            n=len(view.units), units=units
        )
    )
    lines.append(_("Deadline: {deadline}").format(deadline=view.rule))
    if not view.ended:
        lines += _next_lines(view.next, locale)
    lines += list(view.notes)
    return "\n".join(lines)


def _next_lines(found: NextDeadline | None, locale: str) -> list[str]:
    _ = gettext_for(locale)
    if found is None:
        return [_("No deadline is still to come.")]
    lines = [
        _("Next deadline: {deadline}").format(
            deadline=deadline_phrase(found.nominal, inclusive=found.inclusive, locale=locale)
        ),
        _("Aim to send by: {day}").format(day=day(found.aim_day, locale)),
        _("Legal last day: {day}").format(day=day(found.legal_last_day, locale)),
    ]
    if found.reminders:
        moments = ", ".join(moment(at, locale) for at in found.reminders)
        lines.append(_("Reminders: {moments}").format(moments=moments))
    return lines


def duty_buttons(number: int, locale: str) -> list[list[tuple[str, str]]]:
    """The office's buttons under a duty: (label, the command a tap sends)."""
    _ = gettext_for(locale)
    return [
        [(_("📅 Change deadline"), f"/nhiemvu {number} han"), (_("🏢 Change units"), f"/nhiemvu {number} donvi")],
        [(_("⛔ End"), f"/nhiemvu {number} ketthuc")],
    ]


def from_file_note(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "Note: this duty comes from a plan file; the next “nhacviec plan load” of that file sets it back as "
        "the file says. Change the file too."
    )


def duty_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Send /nhiemvu <number>, the duty's number in /kehoach.")


def change_usage(number: int, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "To change duty no. {n}, send one of:\n"
        "/nhiemvu {n} hạn <new deadline>\n"
        "/nhiemvu {n} đơn vị <units, groups>\n"
        "/nhiemvu {n} kết thúc"
    ).format(n=number)


def deadline_usage(number: int, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "Send the new deadline: /nhiemvu {n} hạn <new deadline>, for example /nhiemvu {n} hạn trước 04/12/2026, "
        "/nhiemvu {n} hạn ngày 20 hằng tháng or /nhiemvu {n} hạn 15/6 hằng năm."
    ).format(n=number)


def units_usage(number: int, group_names: Sequence[str], locale: str) -> str:
    _ = gettext_for(locale)
    text = _(
        "Send the units: /nhiemvu {n} đơn vị <units, groups>, for example /nhiemvu {n} đơn vị Nội vụ, Kinh tế."
    ).format(n=number)
    if group_names:
        text += "\n" + _("Groups: {groups}").format(groups=", ".join(group_names))
    return text


def no_such_duty(number: int, locale: str) -> str:
    _ = gettext_for(locale)
    return _("There is no duty no. {n} among your duties. The duties are listed by /kehoach.").format(n=number)


def office_changes_only(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Only the office changes a duty. Ask the office if its deadline or units should change.")


def deadline_problem(problem: str, words: str, locale: str) -> str:
    _ = gettext_for(locale)
    if problem == "date":
        return _("“{words}” names no real day. Please check the day and month.").format(words=words)
    if problem == "past":
        return _("“{words}” is already past: the new deadline must be still to come.").format(words=words)
    return _(
        "I could not read “{words}” as a deadline. Write, for example: trước 04/12/2026, chậm nhất 04/12/2026, "
        "ngày 20 hằng tháng, 15/6 hằng năm."
    ).format(words=words)


def units_problem(unknown: Sequence[str], ambiguous: Sequence[tuple[str, Sequence[str]]], locale: str) -> str:
    _ = gettext_for(locale)
    lines = []
    if unknown:
        names = ", ".join(f"“{name}”" for name in unknown)
        lines.append(_("No unit or group is named {names}.").format(names=names))
    for query, candidates in ambiguous:
        lines.append(
            _("“{query}” names several units: {units}. Please write more of the name.").format(
                query=query, units=", ".join(candidates)
            )
        )
    lines.append(_("Nothing was changed."))
    return "\n".join(lines)


def end_question(number: int, title: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "End duty no. {n}, “{title}”? Its units will not be reminded of it any more; what they reported is kept."
    ).format(n=number, title=title)


def end_buttons(number: int, locale: str) -> list[list[tuple[str, str]]]:
    _ = gettext_for(locale)
    return [[(_("✅ End it"), f"/nhiemvu {number} ketthuc xacnhan"), (_("❌ Keep it"), f"/nhiemvu {number}")]]


def already_ended(number: int, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Duty no. {n} has already ended.").format(n=number)


def changed(what: str, number: int, locale: str) -> str:
    """The first line of the answer to a change: `what` is deadline, units or end."""
    _ = gettext_for(locale)
    if what == "deadline":
        return _("The deadline of duty no. {n} was changed. The duty now:").format(n=number)
    if what == "units":
        return _("The units of duty no. {n} were changed. The duty now:").format(n=number)
    return _("Duty no. {n} was ended. The duty now:").format(n=number)
