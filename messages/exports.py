"""Exports for the office's PC: an Excel workbook of every occurrence, and a follow-up letter in Word.

Layout is words too, so it lives here; the numbers come from the same views as /tonghop.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from messages.formatting import moment, official_date, short_day
from messages.i18n import gettext_for
from messages.status import status_name
from messages.summary import GROUPS, OccurrenceView, UnitLine, contact_label, summary
from messages.text import fold, shorten


def text_report(views: Sequence[OccurrenceView], locale: str) -> str:
    return summary(views, locale)


SHEET_TITLE = 31  # Excel's longest sheet name


def _sheet_title(view: OccurrenceView, used: set[str]) -> str:
    """'Kế hoạch triển khai… 10-01-25': the duty shortened at a word, the deadline whole, '~2' for a twin."""
    duty = view.duty.replace("/", "-").replace(":", "")
    title, n = "", 1
    while not title or title in used:
        tail = f" {view.nominal:%d-%m-%y}" + (f"~{n}" if n > 1 else "")
        title, n = shorten(duty, SHEET_TITLE - len(tail)) + tail, n + 1
    used.add(title)
    return title


def workbook(views: Sequence[OccurrenceView], *, today: date, locale: str) -> bytes:
    """A summary sheet with compliance rates, then a sheet per occurrence with a row per unit.

    Written in openpyxl's write-only mode: rows stream out without a cell object each, which made
    a province's workbook (10,000 rows) take seconds. So every sheet's rows are worked out first,
    then its column widths are set and the rows written.
    """
    _ = gettext_for(locale)
    book = Workbook(write_only=True)
    title = shorten(_("Summary"), SHEET_TITLE)
    summary_sheet = book.create_sheet(title)
    used: set[str] = {title}
    rows: list[list[Any]] = []
    for view in views:
        done = sum(1 for line in view.lines if line.group == "done")
        total = len(view.lines)
        rows.append([view.duty, view.nominal, view.aim_day, view.legal_last_day, total, done, done / total])
    _write(
        summary_sheet,
        _("Report of {day}").format(day=short_day(today, locale)),
        [_("Duty"), _("Deadline"), _("Aim to send by"), _("Legal last day"), _("Units"), _("Submitted"), _("Rate")],
        rows,
        {2: DAY, 3: DAY, 4: DAY, 7: "0.0%"},
    )
    for view in views:
        _unit_sheet(book.create_sheet(_sheet_title(view, used)), view, locale)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


DAY = "DD/MM/YYYY"


def _unit_sheet(sheet: WriteOnlyWorksheet, view: OccurrenceView, locale: str) -> None:
    _ = gettext_for(locale)
    headers = [
        _("Unit"),
        _("Official"),
        _("Status"),
        _("Percent"),
        _("Expected date"),
        _("Last update"),
        _("Working days late"),
        _("Note"),
    ]
    statuses = {key: _(label).split(" ", 1)[-1] for key, label in GROUPS}
    for key in NAMED_ONLY:  # what a unit can be told that no group of /tonghop is named after
        name = status_name(key, locale)
        statuses[key] = name[:1].upper() + name[1:]
    rows = []
    for line in view.lines:
        update = line.report.latest
        rows.append(
            [
                line.unit,
                ", ".join(contact_label(contact, locale) for contact in line.report.contacts),
                statuses[_reported(line)],
                update.percent if update and update.percent is not None else None,
                update.expected_date if update else None,
                moment(update.at, locale) if update else None,
                line.late,
                update.note if update else "",
            ]
        )
    _write(sheet, view.duty, headers, rows, {5: DAY})


# Statuses a unit's last update can have that are no group of /tonghop: the row says them all the same
# (a refused extension was "Quá hạn", lateness that has its own column, and the refusal was lost).
NAMED_ONLY = ("extension_refused", "not_started")
_SAID = {key for key, _label in GROUPS} | set(NAMED_ONLY)


def _reported(line: UnitLine) -> str:
    """What a unit's row says of it: what it reported, or why nothing came; lateness has its own column."""
    status = line.report.status
    if status is not None and status != "done" and line.group != "done":
        return status if status in _SAID else line.group
    return "no_update" if line.group == "overdue" else line.group


def _write(
    sheet: WriteOnlyWorksheet, title: str, headers: list[str], rows: list[list[Any]], formats: dict[int, str]
) -> None:
    """A bold title, a bold header row, the rows (columns in `formats` get that number format),
    column widths from the longest value, and the two top rows frozen."""
    for index in range(1, len(headers) + 1):
        values = [title] if index == 1 else []
        values += [headers[index - 1]] + [row[index - 1] for row in rows]
        width = max((len(str(value)) for value in values if value is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)
    sheet.freeze_panes = "A3"
    heading = WriteOnlyCell(sheet, value=title)
    heading.font = Font(bold=True, size=12)
    sheet.append([heading])
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font, cell.alignment = bold, wrap
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        for column, number_format in formats.items():
            cell = WriteOnlyCell(sheet, value=row[column - 1])
            cell.number_format = number_format
            row[column - 1] = cell
        sheet.append(row)


def follow_up_letter(
    views: Sequence[OccurrenceView],
    *,
    today: date,
    issuer: str,
    place: str,
    now_called: Mapping[str, str | None] | None = None,
) -> bytes:
    """A draft công văn đôn đốc listing the late units, laid out as Decree 30/2020 asks (always Vietnamese).

    `now_called`: units that ended before today, with what they are part of now (None: nothing). The
    letter is addressed to units that exist; an ended unit's late report is listed under its old name
    with its successor's, and one that nothing took over is named as ended."""
    ended = now_called or {}
    _ = gettext_for("vi")
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = issuer.upper()
    header.cell(0, 1).text = _("SOCIALIST REPUBLIC OF VIETNAM")
    header.cell(1, 0).text = _("No.: ..../VP")
    header.cell(1, 1).text = _("Independence - Freedom - Happiness")
    for row in header.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    dated = document.add_paragraph(_("{place}, {date}").format(place=place, date=official_date(today)))
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(_("Re: urging the submission of overdue reports")).alignment = WD_ALIGN_PARAGRAPH.LEFT
    late = [(view, line) for view in views for line in view.lines if line.late > 0 and line.group != "done"]
    recipients = sorted(  # in Vietnamese order: "Đường Hào" with the D's, not after the Z's
        {name for _view, line in late for name in (ended.get(line.unit, line.unit) or "").split(", ") if name},
        key=fold,
    )
    document.add_paragraph(
        _("To: {units}").format(units="; ".join(recipients) or "...")
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        _(
            "Under the plan of {issuer}, the units below have not yet sent their reports by the deadline. "
            "The office asks the heads of these units to direct the sending of the reports without delay."
        ).format(issuer=issuer)
    )
    for view in views:
        lines = [line for line in view.lines if line.late > 0 and line.group != "done"]
        if not lines:
            continue
        document.add_paragraph(
            _("{duty} (legal last day {deadline}):").format(duty=view.duty, deadline=official_date(view.legal_last_day))
        )
        for line in lines:
            document.add_paragraph(
                _("{unit}: {days} working days late").format(unit=_letter_name(line.unit, ended), days=line.late),
                style="List Bullet",
            )
    document.add_paragraph(_("Recipients:\n- As above;\n- Filed: VT."))
    signature = document.add_paragraph(_("FOR THE CHIEF OF OFFICE"))
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _letter_name(unit: str, ended: Mapping[str, str | None]) -> str:
    _ = gettext_for("vi")
    if unit not in ended:
        return unit
    after = ended[unit]
    if after is None:
        return _("{unit} (ended)").format(unit=unit)
    return _("{unit} (now {successor})").format(unit=unit, successor=after)
