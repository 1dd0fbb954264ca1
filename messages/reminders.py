"""The words of reminders and of the calendar view (/lich)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from messages.bodies import head_of
from messages.formatting import moment, short_day
from messages.i18n import N_, gettext_for, ngettext_for
from messages.people import deadline_phrase, two_dates_lines

# Button labels, in the order they are shown; the key is the status a tap records.
BUTTONS = (
    ("done", N_("✅ Submitted")),
    ("in_progress", N_("⏳ In progress")),
    ("no_data", N_("📭 No data yet")),
    ("later", N_("⏰ Remind me later")),
)


@dataclass(frozen=True)
class ReminderFacts:
    """What a reminder says, in plain values (no channel, no storage)."""

    audience: str
    duty_title: str
    unit_name: str
    nominal: date
    inclusive: bool
    aim_day: date
    legal_last_day: date
    working_days_left: int  # to the day to aim for; after the legal last day, minus the days late
    period_start: date | None = None
    period_end: date | None = None
    late_units: Sequence[str] = ()
    new_task: bool = False  # the message that tells a unit of a task just given (/giao)
    documents: Sequence[str] = ()  # the names of the documents given with that task
    plan: str = ""  # the plan cited ("Kế hoạch số 12/KH-UBND ngày 06/01/2025 của UBND thị xã Mỹ Hào")


def button_labels(locale: str) -> list[tuple[str, str]]:
    _ = gettext_for(locale)
    return [(status, _(label)) for status, label in BUTTONS]


LATE_LISTED = 40  # late units named in the office's copy of a step (as many as a summary's group)


def reminder_text(facts: ReminderFacts, locale: str) -> str:
    _ = gettext_for(locale)
    lines = [_headline(facts, locale), f"📋 {facts.duty_title}"]
    if facts.plan:
        lines.append(_("Under {plan}").format(plan=facts.plan))
    if facts.audience == "office" and facts.late_units:
        lines += [f"🏢 {name}" for name in facts.late_units[:LATE_LISTED]]  # one message; /xuat has them all
        if len(facts.late_units) > LATE_LISTED:
            lines.append(_("… and {n} more: /xuat has every unit").format(n=len(facts.late_units) - LATE_LISTED))
    else:
        lines.append(f"🏢 {facts.unit_name}")
    if facts.documents:
        lines.append(_("📎 Incoming document: {names}").format(names=", ".join(facts.documents)))
    lines.append(
        _("Deadline: {deadline}").format(
            deadline=deadline_phrase(facts.nominal, inclusive=facts.inclusive, locale=locale)
        )
    )
    lines += two_dates_lines(
        facts.nominal,
        aim_day=facts.aim_day,
        legal_last_day=facts.legal_last_day,
        locale=locale,
        inclusive=facts.inclusive,
    )
    lines.append(_days_left(facts, locale))
    if facts.period_start and facts.period_end:
        lines.append(
            _("Data period: {start} to {end}").format(
                start=short_day(facts.period_start, locale), end=short_day(facts.period_end, locale)
            )
        )
    if facts.audience != "office":
        lines += ["", _("Tap a button below, or reply in a few words (e.g. “đã nộp”, “60%”).")]
    return "\n".join(lines)


def _headline(facts: ReminderFacts, locale: str) -> str:
    _ = gettext_for(locale)
    if facts.audience == "office":
        ngettext = ngettext_for(locale)
        count = max(len(facts.late_units), 1)
        return ngettext(
            "⚠️ For the office: {n} unit has not reported and is late:",
            "⚠️ For the office: {n} units have not reported and are late:",
            count,
        ).format(n=count)
    if facts.new_task:
        return _("📌 New task from the office")
    if facts.audience == "head":
        return _("⚠️ For {head}: your unit has not sent the report below yet; please see that it is sent.").format(
            head=head_of(facts.unit_name)
        )
    if facts.working_days_left < 0:
        return _("⚠️ Overdue report")
    if facts.working_days_left == 0 and facts.aim_day != facts.legal_last_day:
        return _("🔔 Today is the day to aim for with this report")
    if facts.working_days_left == 0:
        return _("🔔 Today is the last day to send this report")
    return _("🔔 Reporting reminder")


def _days_left(facts: ReminderFacts, locale: str) -> str:
    ngettext = ngettext_for(locale)
    _ = gettext_for(locale)
    left = facts.working_days_left
    if left > 0 and facts.aim_day == facts.legal_last_day:
        return ngettext("{n} working day left.", "{n} working days left.", left).format(n=left)
    if left > 0:
        return ngettext(
            "{n} working day left to the day to aim for.", "{n} working days left to the day to aim for.", left
        ).format(n=left)
    if left == 0 and facts.aim_day != facts.legal_last_day:
        return _("Not late until the end of the legal last day.")
    if left == 0:
        return _("Today is the last day.")
    late = -left
    return ngettext("Late by {n} working day.", "Late by {n} working days.", late).format(n=late)


@dataclass(frozen=True)
class CalendarLine:
    """One coming deadline for /lich, with its reminder moments."""

    duty_title: str
    nominal: date
    inclusive: bool
    aim_day: date
    legal_last_day: date
    units: int
    reminders: Sequence[datetime]


def calendar_view(title: str, lines: Sequence[CalendarLine], locale: str, *, show_units: bool) -> str:
    _ = gettext_for(locale)
    ngettext = ngettext_for(locale)
    if not lines:
        return "\n".join([title, _("No deadline in the coming weeks.")])
    out = [title]
    for line in lines:
        out.append("")
        out.append(f"📋 {line.duty_title}")
        out.append(deadline_phrase(line.nominal, inclusive=line.inclusive, locale=locale))
        out += two_dates_lines(
            line.nominal,
            aim_day=line.aim_day,
            legal_last_day=line.legal_last_day,
            locale=locale,
            inclusive=line.inclusive,
        )
        if show_units:
            out.append(ngettext("{n} unit", "{n} units", line.units).format(n=line.units))
        if line.reminders:
            moments = ", ".join(moment(at, locale) for at in line.reminders)
            out.append(_("Reminders: {moments}").format(moments=moments))
    return "\n".join(out)


def numbered_choices(labels: Sequence[str], locale: str, *, start: int = 1) -> str:
    """Buttons for a channel without buttons: 'Trả lời 1 = ✅ Đã nộp, 2 = ...'."""
    _ = gettext_for(locale)
    choices = ", ".join(f"{number} = {label}" for number, label in enumerate(labels, start=start))
    return _("Reply {choices}").format(choices=choices)
