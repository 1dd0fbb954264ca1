"""How a sheet of the workbook is laid out: a title block, a bordered table in Times New Roman, and the
print set-up (A4 landscape, one page wide, the header row on every page). Words are the caller's."""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties

FONT = "Times New Roman"
TITLE_ROWS = 5  # issuer's parent, issuer, title, "as of", a line the sheet's own (or empty)
HEADER_ROW = TITLE_ROWS + 1
WIDEST = 45  # characters; longer text wraps
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_PLAIN, _BOLD = Font(name=FONT, size=12), Font(name=FONT, size=12, bold=True)
_TITLE_FONTS = (
    Font(name=FONT, size=12),
    Font(name=FONT, size=12, bold=True),
    Font(name=FONT, size=14, bold=True),
    Font(name=FONT, size=12, italic=True),
    Font(name=FONT, size=12, italic=True),
)
SENT_LATE_FILL = PatternFill("solid", start_color="FDE9C8", end_color="FDE9C8")  # sent, but late: amber
_ACROSS = Alignment(horizontal="centerContinuous")  # centred over the table without merging cells


@dataclass(frozen=True)
class Column:
    header: str
    number_format: str | None = None
    wrap: bool = False  # long text: wraps at WIDEST
    center: bool = False


def write_sheet(
    sheet: WriteOnlyWorksheet,
    *,
    heading: Sequence[str],
    columns: Sequence[Column],
    rows: Sequence[list[Any]],
    marked: Sequence[bool] = (),
) -> None:
    """The title block, the header row, then `rows` numbered from 1 (the first column is the number);
    a row `marked` True is filled (a report sent late)."""
    numbered = [[index, *row] for index, row in enumerate(rows, start=1)]
    widths = _set_widths(sheet, columns, numbered)
    _set_heights(sheet, widths, columns, numbered)
    _set_up_printing(sheet)
    for index, text in enumerate(heading[:TITLE_ROWS]):
        cell = WriteOnlyCell(sheet, value=text or None)
        cell.font = _TITLE_FONTS[index]
        across = index >= 2  # the title and what follows it; the issuer's names stay on the left
        if across:
            cell.alignment = _ACROSS
        sheet.append([cell] + ([_blank(sheet)] * (len(columns) - 1) if across else []))
    sheet.append([_cell(sheet, column.header, _BOLD, _header_alignment) for column in columns])
    # A body cell's style is copied from its column's first cell: giving each of a province's 90,000 cells
    # its font, border and alignment made openpyxl hash them all again, and the workbook took 6 times longer.
    looks = [_cell(sheet, None, _PLAIN, _look(column), column.number_format)._style for column in columns]
    for index, row in enumerate(numbered):
        cells = []
        fill = index < len(marked) and marked[index]
        for value, look in zip(row, looks, strict=True):
            cell = WriteOnlyCell(sheet, value=value)
            cell._style = copy(look)
            if fill:
                cell.fill = SENT_LATE_FILL
            cells.append(cell)
        sheet.append(cells)


_header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _look(column: Column) -> Alignment:
    horizontal = "center" if column.center else "left"
    return Alignment(horizontal=horizontal, vertical="top", wrap_text=column.wrap)


def _blank(sheet: WriteOnlyWorksheet) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=None)
    cell.alignment = _ACROSS
    return cell


def _cell(
    sheet: WriteOnlyWorksheet, value: Any, font: Font, alignment: Alignment, number_format: str | None = None
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font, cell.border, cell.alignment = font, _BOX, alignment
    if number_format:
        cell.number_format = number_format
    return cell


def _set_widths(sheet: WriteOnlyWorksheet, columns: Sequence[Column], rows: Sequence[list[Any]]) -> list[int]:
    """Each column as wide as its longest value (a date as 10 characters) and its header on at most two
    lines, at most WIDEST: a longer header wraps, and so does long text."""
    widths = []
    for index, column in enumerate(columns):
        values = [_shown_length(row[index]) for row in rows if row[index] is not None]
        header = max(max(len(word) for word in column.header.split()), (len(column.header) + 1) // 2)
        widths.append(min(max([header, *values, 6]) + 2, WIDEST))
        sheet.column_dimensions[get_column_letter(index + 1)].width = widths[-1]
    return widths


LINE = 16  # points a line of 12-point text takes


def _set_heights(
    sheet: WriteOnlyWorksheet, widths: Sequence[int], columns: Sequence[Column], rows: Sequence[list[Any]]
) -> None:
    """Rows tall enough for their wrapped text: a spreadsheet sizes a row to its text when it is typed,
    not when the file is opened."""
    header_lines = max(_lines(column.header, width) for column, width in zip(columns, widths, strict=True))
    sheet.row_dimensions[HEADER_ROW].height = LINE * header_lines
    wrapped = [index for index, column in enumerate(columns) if column.wrap]
    for number, row in enumerate(rows, start=HEADER_ROW + 1):
        lines = max((_lines(str(row[index] or ""), widths[index]) for index in wrapped), default=1)
        if lines > 1:
            sheet.row_dimensions[number].height = LINE * lines


def _lines(text: str, width: int) -> int:
    """Lines `text` wraps to in a column `width` characters wide, breaking between words."""
    room, lines, used = max(width - 1, 1), 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > room:
            lines, used = lines + 1, 0
        used += len(word) + (1 if used else 0)
    return lines


def _shown_length(value: Any) -> int:
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return 6
    return len(str(value))


def _set_up_printing(sheet: WriteOnlyWorksheet) -> None:
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # one page wide, as long as it takes
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5  # inches
