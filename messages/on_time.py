"""The words of the on-time record (issue 25): "đúng hạn", "đã nộp muộn N ngày làm việc", and /dunghan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from babel.numbers import format_percent

from messages.formatting import short_day
from messages.i18n import gettext_for, ngettext_for
from messages.period_words import Period, period_name


@dataclass(slots=True)
class UnitRecord:
    """A unit's reports due in a period: how many came on time, late, not at all (and were exempted)."""

    unit: str
    unit_id: int = 0
    on_time: int = 0
    late: int = 0
    not_sent: int = 0
    exempt: int = 0

    def count(self, kind: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.not_sent

    @property
    def sent(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float:
        return self.on_time / self.due if self.due else 0.0


@dataclass(frozen=True, slots=True)
class ReportRecord:
    unit: str
    duty: str
    nominal: date
    legal_last_day: date
    kind: str  # on_time | late | not_sent | exempt
    late: int


def percent(value: float, locale: str) -> str:
    """'100%', '33%': whole percents, as offices write a rate."""
    return format_percent(value, "#,##0%", locale=locale)


def rate_cell(tally: UnitRecord, locale: str) -> str:
    """The web overview's column: '1/2 (50%)'."""
    return f"{tally.on_time}/{tally.due} ({percent(tally.rate, locale)})"


def unit_line(tally: UnitRecord, locale: str) -> str:
    """'Phường Bần Yên Nhân: 1/1 đúng hạn (100%)', then what came late and what did not come."""
    _ = gettext_for(locale)
    ngettext = ngettext_for(locale)
    line = _("{unit}: {on_time}/{due} on time ({rate})").format(
        unit=tally.unit, on_time=tally.on_time, due=tally.due, rate=percent(tally.rate, locale)
    )
    more = []
    if tally.late:
        more.append(ngettext("{n} sent late", "{n} sent late", tally.late).format(n=tally.late))
    if tally.not_sent:
        more.append(ngettext("{n} not sent", "{n} not sent", tally.not_sent).format(n=tally.not_sent))
    return ", ".join([line, *more])


def rates(period: Period, rated: Sequence[UnitRecord], locale: str) -> str:
    """/dunghan: the period's rate, then each unit, best first, those that sent nothing last."""
    _ = gettext_for(locale)
    name = period_name(period, locale)
    if not rated:
        return _("No report was due in {period}.").format(period=name)
    on_time, due = sum(tally.on_time for tally in rated), sum(tally.due for tally in rated)
    head = _("📈 On time in {period}: {on_time}/{due} reports ({rate})").format(
        period=name, on_time=on_time, due=due, rate=percent(on_time / due, locale)
    )
    return "\n".join([head, *(unit_line(tally, locale) for tally in rated)])


def unit_record(
    unit: str, period: Period, rated: Sequence[UnitRecord], reports: Sequence[ReportRecord], locale: str
) -> str:
    """/dunghan <unit>: its line, then each of its reports and how it came."""
    _ = gettext_for(locale)
    name = period_name(period, locale)
    if not reports:
        return _("{unit} owed no report due in {period}.").format(unit=unit, period=name)
    head = unit_line(rated[0], locale) if rated else f"{unit}:"
    out = [_("{period}:").format(period=name[:1].upper() + name[1:]), head]
    for report in reports:
        out.append(f"• {report.duty} ({short_day(report.legal_last_day, locale)}): {report_words(report, locale)}")
    return "\n".join(out)


def report_words(report: ReportRecord, locale: str) -> str:
    _ = gettext_for(locale)
    ngettext = ngettext_for(locale)
    if report.kind == "exempt":
        return _("exempted (counts in neither)")
    if report.kind == "not_sent":
        if report.late:
            return ngettext("not sent, {n} working day late", "not sent, {n} working days late", report.late).format(
                n=report.late
            )
        return _("not sent (closed by the office)")
    return sent_words(report.late, locale)


def nothing_rated(locale: str) -> str:
    _ = gettext_for(locale)
    return _("You are not an official of any unit yet, so there is no on-time record to show.")


def no_such_unit(name: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("No unit is called “{name}”: /donvi lists them.").format(name=name[:100])


def sent_words(late: int, locale: str) -> str:
    """How a sent report came: on time, or late by working days (it stays said after it arrives)."""
    _ = gettext_for(locale)
    if late <= 0:
        return _("on time")
    ngettext = ngettext_for(locale)
    return ngettext("sent {n} working day late", "sent {n} working days late", late).format(n=late)


def sent_late_cell(late: int, locale: str) -> str:
    """The web cell's few words after its day: "muộn 2 ngày"."""
    ngettext = ngettext_for(locale)
    return ngettext("late by {n} day", "late by {n} days", late).format(n=late)


def sent_late_section(late: list[tuple[str, str, int]], locale: str) -> str:
    """/quahan's record of reports that came late: (unit, report, working days late), the latest first."""
    _ = gettext_for(locale)
    if not late:
        return ""
    out = [_("Sent after the legal last day (kept on the record):")]
    out += [f"• {unit}, {duty}: {sent_words(days, locale)}" for unit, duty, days in late[:LISTED]]
    if len(late) > LISTED:
        out.append(_("… and {n} more: /xuat has every unit").format(n=len(late) - LISTED))
    return "\n".join(out)


LISTED = 20


def digest_line(period: Period, rated: Sequence[UnitRecord], locale: str) -> str:
    """The monthly digest's line: the last month's rate and its three lowest units."""
    _ = gettext_for(locale)
    if not rated:
        return ""
    on_time, due = sum(tally.on_time for tally in rated), sum(tally.due for tally in rated)
    lowest = sorted(rated, key=lambda tally: (tally.rate, -tally.due, tally.unit))[:3]
    return _("📈 On time in {period}: {on_time}/{due} reports ({rate}); lowest: {lowest}").format(
        period=period_name(period, locale),
        on_time=on_time,
        due=due,
        rate=percent(on_time / due, locale),
        lowest=", ".join(f"{tally.unit} ({percent(tally.rate, locale)})" for tally in lowest),
    )
