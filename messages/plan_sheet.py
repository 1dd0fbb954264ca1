"""The plan sheet (an Excel workbook the office fills): written for `/maukehoach` and `nhacviec plan
export`, read back when the office sends it. Only cells here: what they mean is bot/core/plan_import.py.

Sheet "Kế hoạch": the plan's header (a label in column A, its value in B), then the task table, one row a
task (Mã, Nhiệm vụ, Đơn vị, Hạn, Lặp lại, Ghi chú). Sheet "Đơn vị": the units and groups to name.
Headers are found by their words (in any language of the catalogs, with or without diacritics), so
columns may be moved; a missing one is named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from messages.i18n import LOCALES, N_, gettext_for
from messages.sheet_limits import MAX_COLUMNS, MAX_ROWS, SheetError, check_workbook
from messages.text import fold

PLAN_FIELDS = (
    ("key", N_("Plan code")),
    ("title", N_("Plan title")),
    ("number", N_("Plan number")),
    ("issued_on", N_("Date of issue")),
    ("issuer", N_("Issuing body")),
    ("report_to", N_("Reports go to")),
    ("valid_from", N_("Valid from")),
    ("valid_to", N_("Valid until")),
)
COLUMNS = (
    ("key", N_("Task code")),
    ("title", N_("Task title")),
    ("units", N_("Units named")),
    ("deadline", N_("Deadline words")),
    ("repeat", N_("Repeats")),
    ("note", N_("Task notes")),
)
REQUIRED = ("title", "units", "deadline")
REPEATS = ("không", "hằng tháng", "hằng quý", "hằng năm")
FONT = "Times New Roman"
_WIDTHS = {"key": 16, "title": 60, "units": 36, "deadline": 30, "repeat": 14, "note": 30}
_TABLE_ROW = len(PLAN_FIELDS) + 2  # the task table's header row, below the plan's header and a blank row


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row's number in Excel
    cells: dict[str, str]  # column key -> the text written in it


@dataclass
class Sheet:
    plan: dict[str, str] = field(default_factory=dict)  # plan field -> the text written
    plan_cells: dict[str, str] = field(default_factory=dict)  # plan field -> its cell ("B4")
    rows: list[SheetRow] = field(default_factory=list)


@dataclass(frozen=True)
class UnitLine:
    key: str
    name: str
    kind: str


def label(key: str, locale: str, names: Sequence[tuple[str, str]] = COLUMNS) -> str:
    """A column's (or a plan field's) header in the reader's language."""
    return gettext_for(locale)(dict(names)[key])


def write_sheet(
    plan: dict[str, str],
    rows: Sequence[dict[str, str]],
    units: Sequence[UnitLine],
    groups: dict[str, list[str]],
    *,
    locale: str,
    blank_rows: int = 0,
) -> bytes:
    """The workbook: the plan's header and tasks (`rows`, then `blank_rows` empty ones to fill), and the
    units and groups one may name."""
    _ = gettext_for(locale)
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = _("Plan and tasks")[:31]
    for number, (key, name) in enumerate(PLAN_FIELDS, start=1):
        _cell(sheet, number, 1, _(name), bold=True)
        _cell(sheet, number, 2, plan.get(key, ""))
    for column, (_key, name) in enumerate(COLUMNS, start=1):
        _cell(sheet, _TABLE_ROW, column, _(name), bold=True)
    for number, row in enumerate(rows, start=_TABLE_ROW + 1):
        for column, (key, _name) in enumerate(COLUMNS, start=1):
            _cell(sheet, number, column, row.get(key, ""))
    last = _TABLE_ROW + len(rows) + blank_rows
    for column, (key, _name) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = _WIDTHS[key]
    sheet.freeze_panes = f"A{_TABLE_ROW + 1}"
    repeat = get_column_letter(1 + [key for key, _n in COLUMNS].index("repeat"))
    choices = DataValidation(type="list", formula1='"' + ",".join(REPEATS) + '"', allow_blank=True)
    choices.add(f"{repeat}{_TABLE_ROW + 1}:{repeat}{max(last, _TABLE_ROW + 1)}")
    sheet.add_data_validation(choices)
    _units_sheet(book.create_sheet(_("Units and groups")[:31]), units, groups, locale)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _units_sheet(sheet: Worksheet, units: Sequence[UnitLine], groups: dict[str, list[str]], locale: str) -> None:
    _ = gettext_for(locale)
    for column, name in enumerate((_("Unit code"), _("Unit name"), _("Unit kind")), start=1):
        _cell(sheet, 1, column, name, bold=True)
    for number, unit in enumerate(units, start=2):
        for column, value in enumerate((unit.key, unit.name, unit.kind), start=1):
            _cell(sheet, number, column, value)
    start = len(units) + 3
    _cell(sheet, start, 1, _("Group code"), bold=True)
    _cell(sheet, start, 2, _("Units in the group"), bold=True)
    for number, (group, members) in enumerate(sorted(groups.items()), start=start + 1):
        _cell(sheet, number, 1, group)
        _cell(sheet, number, 2, ", ".join(members))
    for letter, width in (("A", 24), ("B", 60), ("C", 14)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def _cell(sheet: Worksheet, row: int, column: int, value: str, *, bold: bool = False) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.font = Font(name=FONT, size=12, bold=bold)
    cell.number_format = "@"  # text: a deadline typed "04/12/2026" stays the words typed
    cell.alignment = Alignment(vertical="top", wrap_text=not bold)


def read_sheet(content: bytes) -> Sheet:
    """The plan's header and the task rows as written (empty rows left out); raises SheetError, for a
    workbook past a limit (`sheet_limits`) before any of it is parsed. Slow for a big sheet: the core
    calls it off the event loop."""
    check_workbook(content, header_rows=_TABLE_ROW)
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a zip that is no workbook, a PDF, a text renamed .xlsx: openpyxl raises many kinds
        raise SheetError("excel") from exc
    try:
        for sheet in book.worksheets:
            grid = _grid(sheet)
            if (found := _table_header(grid)) is not None:
                return _read_table(grid, *found)
        raise SheetError("columns", REQUIRED)
    finally:
        book.close()


def _grid(sheet: Any) -> list[list[str]]:
    grid: list[list[str]] = []
    for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):  # a cell past them is no plan's
        if len(grid) >= MAX_ROWS + _TABLE_ROW:
            raise SheetError("rows", limit=MAX_ROWS)
        grid.append([_text(value) for value in values])
    return grid


def _headers(names: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Each header's folded words, in every language of the catalogs -> its key."""
    return {fold(gettext_for(locale)(name)): key for locale in LOCALES for key, name in names}


def _table_header(grid: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """The task table's header row (its index) and each known column's index; None: no such row."""
    headers = _headers(COLUMNS)
    for index, row in enumerate(grid[:40]):
        columns = {headers[fold(cell)]: at for at, cell in enumerate(row) if fold(cell) in headers}
        if "title" in columns:
            missing = [key for key in REQUIRED if key not in columns]
            if missing:
                raise SheetError("columns", missing)
            return index, columns
    return None


def _read_table(grid: list[list[str]], header: int, columns: dict[str, int]) -> Sheet:
    sheet = Sheet()
    fields = _headers(PLAN_FIELDS)
    for index, row in enumerate(grid[:header]):
        if row and (key := fields.get(fold(row[0]))) is not None:
            sheet.plan[key] = row[1] if len(row) > 1 else ""
            sheet.plan_cells[key] = f"B{index + 1}"
    for index, row in enumerate(grid[header + 1 :], start=header + 2):
        cells = {key: row[at] if at < len(row) else "" for key, at in columns.items()}
        if any(cells.values()):
            sheet.rows.append(SheetRow(index, cells))
    return sheet


def _text(value: object) -> str:
    """A cell as the words it shows: a date typed as a date is "dd/mm/yyyy", 12.0 is "12"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())
