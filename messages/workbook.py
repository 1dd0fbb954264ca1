"""The Excel workbook of every open report (`/xuat`, `nhacviec report --format xlsx`), ready to print.

A summary sheet with each report's compliance rate, then a sheet per report with a row per unit in
the plan's order. Each sheet opens with a title block (issuer, title, "Tính đến 08:00 ngày ..."),
its header row stays in view, and it prints on A4 landscape with the header row on every page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook

from messages.formatting import moment, short_day, zone
from messages.i18n import gettext_for
from messages.letter import Letterhead
from messages.on_time import UnitRecord, sent_words
from messages.people import dates_phrase
from messages.period_words import Period, period_name
from messages.sheet_layout import HEADER_ROW, Column, write_sheet
from messages.status import describe, status_name
from messages.summary import OccurrenceView, UnitLine, contact_label
from messages.summary_groups import GROUPS, UNREGISTERED
from messages.text import shorten

__all__ = ["HEADER_ROW", "workbook"]

SHEET_TITLE = 31  # Excel's longest sheet name
DAY = "DD/MM/YYYY"


def workbook(
    views: Sequence[OccurrenceView],
    *,
    at: datetime,
    letterhead: Letterhead,
    locale: str,
    rates: tuple[Period, Sequence[UnitRecord]] | None = None,
) -> bytes:
    """Written in openpyxl's write-only mode: rows stream out without a cell object each, which made
    a province's workbook (10,000 rows) take seconds. With `rates`, a last sheet has each unit's
    on-time record for that period."""
    _ = gettext_for(locale)
    book = Workbook(write_only=True)
    local = at.astimezone(zone())
    as_of = _("As of {time} on {day}").format(time=f"{local:%H:%M}", day=short_day(local.date(), locale))
    heading = [letterhead.parent.upper(), letterhead.issuer.upper()]
    title = shorten(_("Summary"), SHEET_TITLE)
    used: set[str] = {title}
    write_sheet(
        book.create_sheet(title),
        heading=[*heading, _("Reports sent to the office").upper(), as_of, ""],
        columns=_summary_columns(locale),
        rows=[_summary_row(view) for view in views],
    )
    for view in views:
        deadline = dates_phrase(
            view.nominal,
            inclusive=view.inclusive,
            aim_day=view.aim_day,
            legal_last_day=view.legal_last_day,
            locale=locale,
        )
        write_sheet(
            book.create_sheet(_sheet_title(view, used)),
            heading=[*heading, view.duty, as_of, _("Deadline: {deadline}").format(deadline=deadline)],
            columns=_unit_columns(locale),
            rows=[_unit_row(line, locale) for line in view.lines],
            marked=[line.group == "done" and line.late > 0 for line in view.lines],
        )
    if rates is not None:
        period, rated = rates
        write_sheet(
            book.create_sheet(_("On-time rate")),
            heading=[*heading, _("Reports sent on time").upper(), as_of, period_name(period, locale)],
            columns=_rate_columns(locale),
            rows=[[t.unit, t.due, t.on_time, t.late, t.not_sent, t.rate] for t in rated],
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary_columns(locale: str) -> list[Column]:
    _ = gettext_for(locale)
    return [
        Column(_("No."), center=True),
        Column(_("Duty"), wrap=True),
        Column(_("Deadline"), DAY, center=True),
        Column(_("Aim to send by"), DAY, center=True),
        Column(_("Legal last day"), DAY, center=True),
        Column(_("Units"), center=True),
        Column(_("Submitted"), center=True),
        Column(_("Late"), center=True),
        Column(_("Rate"), "0.0%", center=True),
    ]


def _summary_row(view: OccurrenceView) -> list[Any]:
    done = sum(1 for line in view.lines if line.group == "done")
    late = sum(1 for line in view.lines if line.late > 0 and line.group != "done")
    total = len(view.lines)
    return [view.duty, view.nominal, view.aim_day, view.legal_last_day, total, done, late, done / total]


def _rate_columns(locale: str) -> list[Column]:
    _ = gettext_for(locale)
    return [
        Column(_("No."), center=True),
        Column(_("Unit"), wrap=True),
        Column(_("Reports due"), center=True),
        Column(_("On time"), center=True),
        Column(_("Sent late"), center=True),
        Column(_("Not sent"), center=True),
        Column(_("Rate"), "0%", center=True),
    ]


def _unit_columns(locale: str) -> list[Column]:
    _ = gettext_for(locale)
    return [
        Column(_("No."), center=True),
        Column(_("Unit"), wrap=True),
        Column(_("Official"), wrap=True),
        Column(_("Status")),
        Column(_("Percent"), center=True),
        Column(_("Expected date"), DAY, center=True),
        Column(_("Last update"), center=True),
        Column(_("Working days late"), center=True),
        Column(_("On time"), wrap=True),
        Column(_("Note"), wrap=True),
    ]


def _unit_row(line: UnitLine, locale: str) -> list[Any]:
    update = line.report.latest
    ended = update is not None and update.status == "closed" and bool(update.reason)
    label = _status_label(_reported(line), locale)
    if ended and update is not None:  # "Không nộp (đã sắp xếp vào Phường Mỹ Hào)"
        label = describe(update, locale)[:1].upper() + describe(update, locale)[1:]
    return [
        line.unit,
        ", ".join(contact_label(contact, locale) for contact in line.report.contacts),
        label,
        update.percent if update and update.percent is not None else None,
        update.expected_date if update and update.status != "extension_refused" else None,  # a day asked, refused
        moment(update.at, locale) if update else None,
        line.late,
        sent_words(line.late, locale) if line.group == "done" else "",
        update.note if update and not ended else "",
    ]


def _sheet_title(view: OccurrenceView, used: set[str]) -> str:
    """'Kế hoạch triển khai… 10-01-25': the duty shortened at a word, the deadline whole, '~2' for a twin."""
    duty = view.duty.replace("/", "-").replace(":", "")
    title, n = "", 1
    while not title or title in used:
        tail = f" {view.nominal:%d-%m-%y}" + (f"~{n}" if n > 1 else "")
        title, n = shorten(duty, SHEET_TITLE - len(tail)) + tail, n + 1
    used.add(title)
    return title


# Statuses a unit's last update can have that are no group of /tonghop: the row says them all the same
# (a refused extension was "Quá hạn", lateness that has its own column, and the refusal was lost).
NAMED_ONLY = ("extension_refused", "not_started")
_SAID = {key for key, _label in GROUPS} | set(NAMED_ONLY)


def _status_label(key: str, locale: str) -> str:
    _ = gettext_for(locale)
    labels = dict(GROUPS) | {"unregistered": UNREGISTERED}
    if key in labels:
        return _(labels[key]).split(" ", 1)[-1]  # without the emoji
    name = status_name(key, locale)
    return name[:1].upper() + name[1:]


def _reported(line: UnitLine) -> str:
    """What a unit's row says of it: what it reported, or why nothing came; lateness has its own column."""
    status = line.report.status
    if status is not None and status != "done" and line.group != "done":
        return status if status in _SAID else line.group
    if line.group == "unreachable" and not line.report.contacts:
        return "unregistered"
    return "no_update" if line.group == "overdue" else line.group
