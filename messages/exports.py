"""Exports for the office's PC: an Excel workbook of every occurrence, and a follow-up letter in Word.

Layout is words too, so it lives here; the numbers come from the same views as /tonghop.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from messages.formatting import moment, official_date, short_day
from messages.i18n import gettext_for
from messages.summary import GROUPS, OccurrenceView, contact_label, summary

_GROUP_LABEL = dict(GROUPS)


def text_report(views: Sequence[OccurrenceView], locale: str) -> str:
    return summary(views, locale)


def _sheet_title(view: OccurrenceView, used: set[str]) -> str:
    base = f"{view.duty[:22]} {view.nominal:%d-%m-%y}".replace("/", "-").replace(":", "")
    title, n = base[:31], 2
    while title in used:
        title, n = f"{base[:28]}~{n}"[:31], n + 1
    used.add(title)
    return title


def workbook(views: Sequence[OccurrenceView], *, today: date, locale: str) -> bytes:
    """A summary sheet with compliance rates, then a sheet per occurrence with a row per unit."""
    _ = gettext_for(locale)
    book = Workbook()
    summary_sheet = book.active
    assert summary_sheet is not None
    summary_sheet.title = _("Summary")[:31]
    summary_sheet.append([_("Report of {day}").format(day=short_day(today, locale))])
    summary_sheet.append([_("Duty"), _("Deadline"), _("Last day to send"), _("Units"), _("Submitted"), _("Rate")])
    used: set[str] = {summary_sheet.title}
    for view in views:
        done = sum(1 for line in view.lines if line.group == "done")
        summary_sheet.append([view.duty, view.nominal, view.last_day, len(view.lines), done, done / len(view.lines)])
        summary_sheet.cell(summary_sheet.max_row, 6).number_format = "0.0%"
        for column in (2, 3):
            summary_sheet.cell(summary_sheet.max_row, column).number_format = "DD/MM/YYYY"
        _unit_sheet(book.create_sheet(_sheet_title(view, used)), view, locale)
    _tidy(summary_sheet)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _unit_sheet(sheet: object, view: OccurrenceView, locale: str) -> None:
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
    sheet.append([view.duty])  # type: ignore[attr-defined]
    sheet.append(headers)  # type: ignore[attr-defined]
    for row, line in enumerate(view.lines, start=3):  # counted: sheet.max_row scans every cell
        update = line.report.latest
        officials = ", ".join(contact_label(contact) for contact in line.report.contacts)
        status = _(_GROUP_LABEL[line.group]).split(" ", 1)[-1]
        sheet.append(  # type: ignore[attr-defined]
            [
                line.unit,
                officials,
                status,
                update.percent if update and update.percent is not None else None,
                update.expected_date if update else None,
                moment(update.at, locale) if update else None,
                line.late,
                update.note if update else "",
            ]
        )
        sheet.cell(row, 5).number_format = "DD/MM/YYYY"  # type: ignore[attr-defined]
    _tidy(sheet)


def _tidy(sheet: object) -> None:
    for cell in sheet[2]:  # type: ignore[index]
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=12)  # type: ignore[index]
    for index, column in enumerate(sheet.columns, start=1):  # type: ignore[attr-defined]
        width = max((len(str(cell.value)) for cell in column if cell.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)  # type: ignore[attr-defined]
    sheet.freeze_panes = "A3"  # type: ignore[attr-defined]


def follow_up_letter(views: Sequence[OccurrenceView], *, today: date, issuer: str, place: str) -> bytes:
    """A draft công văn đôn đốc listing the late units, laid out as Decree 30/2020 asks (always Vietnamese)."""
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
    recipients = sorted({line.unit for _view, line in late})
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
            _("{duty} (deadline {deadline}):").format(duty=view.duty, deadline=official_date(view.nominal))
        )
        for line in lines:
            document.add_paragraph(
                _("{unit}: {days} working days late").format(unit=line.unit, days=line.late), style="List Bullet"
            )
    document.add_paragraph(_("Recipients:\n- As above;\n- Filed: VT."))
    signature = document.add_paragraph(_("FOR THE CHIEF OF OFFICE"))
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
