"""The words of the office's summaries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from messages.channels import channel_name, unreachable_reason
from messages.formatting import moment, short_day
from messages.i18n import gettext_for, ngettext_for
from messages.on_time import sent_words
from messages.people import deadline_phrase, two_dates_lines
from messages.status import describe
from messages.summary_groups import split_unreachable
from storage.summary import Contact, UnitReport

GROUP_LIMIT = 40  # units listed per group in the chat; the workbook (/xuat) has them all


class UnitLine(NamedTuple):  # a tuple: a province's summary makes 10,000 of them per call
    unit: str
    group: str
    report: UnitReport
    late: int  # working days past the unit's legal last day
    legal_last_day: date  # the occurrence's, or the unit's own after a granted extension


@dataclass(frozen=True)
class OccurrenceView:
    duty: str
    nominal: date
    inclusive: bool
    aim_day: date
    legal_last_day: date
    lines: Sequence[UnitLine]


def summary(views: Sequence[OccurrenceView], locale: str) -> str:
    return "\n\n".join(_occurrence(view, locale) for view in views)


def _occurrence(view: OccurrenceView, locale: str) -> str:
    _ = gettext_for(locale)
    done, _total = submitted(view)
    out = [
        _("📊 {duty}, {deadline}: {done}/{total} units submitted").format(
            duty=view.duty,
            deadline=deadline_phrase(view.nominal, inclusive=view.inclusive, locale=locale),
            done=done,
            total=len(view.lines),
        ),
        *two_dates_lines(
            view.nominal,
            aim_day=view.aim_day,
            legal_last_day=view.legal_last_day,
            locale=locale,
            inclusive=view.inclusive,
        ),
    ]
    grouped = _grouped(view)
    for key, label in split_unreachable(grouped):
        lines = grouped.get(key, [])
        if lines:
            out.append(f"{_(label)} ({len(lines)}):")
            out += [f"• {line.unit}{_detail(line, locale)}" for line in lines[:GROUP_LIMIT]]
            if len(lines) > GROUP_LIMIT:
                more = len(lines) - GROUP_LIMIT
                out.append(_("… and {n} more: /xuat has every unit").format(n=more))
    return "\n".join(out)


def submitted(view: OccurrenceView) -> tuple[int, int]:
    """(units that submitted, units asked): "X/Y" of /tonghop, and of the web page's columns."""
    return sum(1 for line in view.lines if line.group == "done"), len(view.lines)


def _grouped(view: OccurrenceView) -> dict[str, list[UnitLine]]:
    grouped: dict[str, list[UnitLine]] = {}
    for line in view.lines:
        grouped.setdefault(line.group, []).append(line)
    return grouped


def listed(view: OccurrenceView) -> list[UnitLine]:
    """The lines the chat's summary names (the first GROUP_LIMIT of each group): their details are loaded."""
    return [line for lines in _grouped(view).values() for line in lines[:GROUP_LIMIT]]


def _detail(line: UnitLine, locale: str) -> str:
    _ = gettext_for(locale)
    ngettext = ngettext_for(locale)
    update = line.report.latest
    parts = []
    if line.group == "done" and update is not None:
        parts.append(moment(update.at, locale))
        if line.report.received:
            parts.append(_("received"))
    elif line.group == "unreachable":  # nobody registered: the group's title says it
        reasons = [unreachable_reason(r, locale) for contact in line.report.contacts for r in contact.unreachable]
        parts += ["; ".join(reasons)] if reasons else []
    elif update is not None:  # what the unit said, whatever group it is in
        parts.append(describe(update, locale))
    if line.group == "done":
        parts.append(sent_words(line.late, locale))
    if line.late > 0 and line.group != "done":
        parts.append(ngettext("{n} working day late", "{n} working days late", line.late).format(n=line.late))
    if line.report.granted_until is not None and (update is None or update.status != "extension_granted"):
        parts.append(_("extended to {day}").format(day=short_day(line.report.granted_until, locale)))
    return f" — {', '.join(parts)}" if parts else ""


PER_REPORT = 10  # late units named under each report in the chat; GROUP_LIMIT in all


def _late_by_report(
    late: Sequence[tuple[OccurrenceView, UnitLine]],
) -> list[tuple[OccurrenceView, list[UnitLine]]]:
    groups: dict[int, tuple[OccurrenceView, list[UnitLine]]] = {}
    for view, line in late:
        groups.setdefault(id(view), (view, []))[1].append(line)
    return list(groups.values())


def _named(groups: list[tuple[OccurrenceView, list[UnitLine]]]) -> list[list[UnitLine]]:
    """The lines named under each report: up to PER_REPORT each, GROUP_LIMIT in all, oldest report first."""
    left, named = GROUP_LIMIT, []
    for _view, lines in groups:
        shown = lines[: min(PER_REPORT, left)]
        named.append(shown)
        left -= len(shown)
    return named


def overdue_listed(late: Sequence[tuple[OccurrenceView, UnitLine]]) -> Sequence[tuple[OccurrenceView, UnitLine]]:
    """The late units `overdue` names (their details are loaded); the workbook has the others."""
    groups = _late_by_report(late)
    return [(view, line) for (view, _lines), shown in zip(groups, _named(groups), strict=True) for line in shown]


def overdue(late: Sequence[tuple[OccurrenceView, UnitLine]], locale: str) -> str:
    """Late units grouped by report, the oldest report first; a long group is counted, /xuat has all."""
    _ = gettext_for(locale)
    ngettext = ngettext_for(locale)
    if not late:
        return _("No unit is late.")
    groups = _late_by_report(late)
    out = [_("Late units, by report, the oldest first:")]
    for (view, lines), shown in zip(groups, _named(groups), strict=True):
        most = max(line.late for line in lines)
        days = ngettext("{n} working day late", "{n} working days late", most).format(n=most)
        units = ngettext("{n} unit", "{n} units", len(lines)).format(n=len(lines))
        out.append(
            _("📋 {duty} (legal last day {day}): {units}, up to {days}").format(
                duty=view.duty, day=short_day(view.legal_last_day, locale), units=units, days=days
            )
        )
        for line in shown:  # a chat message, not a register
            names = ", ".join(contact_label(contact, locale) for contact in line.report.contacts) or _(
                "no official registered"
            )
            update = line.report.latest
            last = (
                _("last update: {what} ({moment})").format(
                    what=describe(update, locale), moment=moment(update.at, locale)
                )
                if update
                else _("no update yet")
            )
            own = ngettext("{n} working day late", "{n} working days late", line.late).format(n=line.late)
            out.append(f"• {line.unit}: {own}\n  {names} · {last}")
        if len(lines) > len(shown):
            out.append(_("… and {n} more: /xuat has every unit").format(n=len(lines) - len(shown)))
    return "\n".join(out)


def contact_label(contact: Contact, locale: str) -> str:
    """'Lan (Telegram, Zalo)': an official and the channels that reach them."""
    if not contact.channels:
        return contact.name
    if len(contact.channels) == 1:  # nearly everyone: a workbook labels 100,000 officials
        return f"{contact.name} ({channel_name(contact.channels[0], locale)})"
    channels = ", ".join(channel_name(channel, locale) for channel in sorted(set(contact.channels)))
    return f"{contact.name} ({channels})"


def nothing_open(locale: str) -> str:
    _ = gettext_for(locale)
    return _("No report is open right now. Send /lich to see the coming deadlines.")


def no_match(query: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("No open report or unit matches “{query}”.").format(query=query[:100])


def export_caption(day: date, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Reports as of {day}: a sheet per deadline and a summary with compliance rates.").format(
        day=short_day(day, locale)
    )


def letter_caption(locale: str) -> str:
    _ = gettext_for(locale)
    return _("A draft follow-up letter (công văn đôn đốc) to the late units, to edit and sign.")


def weekly_digest(
    monday: date,
    sunday: date,
    this_week: Sequence[OccurrenceView],
    late: Sequence[tuple[OccurrenceView, UnitLine]],
    locale: str,
    *,
    extended: Sequence[tuple[OccurrenceView, UnitLine]] = (),
) -> str:
    _ = gettext_for(locale)
    out = [_("🗓 The week of {start} to {end}").format(start=short_day(monday, locale), end=short_day(sunday, locale))]
    if this_week:
        out.append(_("Deadlines this week:"))
        for view in this_week:
            done = sum(1 for line in view.lines if line.group == "done")
            if view.aim_day == view.legal_last_day:
                line = _("{duty}: legal last day {day}, {done}/{total} units submitted").format(
                    duty=view.duty, day=short_day(view.legal_last_day, locale), done=done, total=len(view.lines)
                )
            else:
                line = _("{duty}: aim to send by {aim_day}, legal last day {day}, {done}/{total} units submitted")
                line = line.format(
                    duty=view.duty,
                    aim_day=short_day(view.aim_day, locale),
                    day=short_day(view.legal_last_day, locale),
                    done=done,
                    total=len(view.lines),
                )
            out.append("• " + line)
    else:
        out.append(_("No deadline this week."))
    if extended:
        out.append(_("Extensions ending this week:"))
        out += [
            "• "
            + _("{unit}, {duty}: extended to {day}").format(
                unit=line.unit, duty=view.duty, day=short_day(line.legal_last_day, locale)
            )
            for view, line in extended[:GROUP_LIMIT]
        ]
    out += ["", overdue(late, locale)]
    return "\n".join(out)


def last_day_digest(views: Sequence[OccurrenceView], locale: str, *, legal: bool = False) -> str:
    """At 16:00 on a deadline's day to aim for, and again on its legal last day when that is later."""
    _ = gettext_for(locale)
    if legal:
        head = _("⏳ Today is the legal last day to send (late from tomorrow):")
    elif views and views[0].aim_day != views[0].legal_last_day:
        head = _("⏳ Today is the day to aim for (not late until the legal last day):")
    else:
        head = _("⏳ Today is the last day to send:")
    return "\n".join([head, summary(views, locale)])


def chart_caption(view: OccurrenceView, submitted: int, locale: str) -> str:
    _ = gettext_for(locale)
    deadline = deadline_phrase(view.nominal, inclusive=view.inclusive, locale=locale)
    # not "(hạn ... (thứ Sáu))": a day with its weekday already ends in a bracket
    return _("{duty}, deadline {deadline}: {done}/{total} units submitted").format(
        duty=view.duty, deadline=deadline, done=submitted, total=len(view.lines)
    )


def chart_title(view: OccurrenceView, locale: str) -> str:
    """The report and its deadline, so that twelve monthly charts can be told apart."""
    _ = gettext_for(locale)
    return _("{duty} ({day})").format(duty=view.duty, day=short_day(view.nominal, locale))
