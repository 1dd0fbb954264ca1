"""What a workbook may hold, checked on the zip's own listing before anything of it is parsed: a few
kilobytes of zip can declare a million rows by 16,384 columns, or unpack to hundreds of megabytes of
shared strings, and openpyxl would build all of it. A plan is a few hundred rows of a few columns."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from io import BytesIO

from openpyxl.utils.cell import range_boundaries

MAX_ROWS = 5000  # a sheet longer than this is not a plan (Excel's formatting can reach a million rows)
MAX_COLUMNS = 50
MAX_UNPACKED_MB = 30  # every part of the workbook, unpacked
MAX_STRINGS_MB = 10  # the shared strings, unpacked
MAX_STRINGS = 100_000  # texts in the shared strings, as they count themselves
MAX_PARTS = 1000
_HEAD = 4096  # the bytes of a part read for its declared size: the dimension and counts come first
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]+)"')
_COUNT = re.compile(rb'\b(?:uniqueCount|count)="(\d+)"')
_MB = 2**20


class SheetError(Exception):
    """A workbook that cannot be read as a plan: not Excel at all ("excel"), too long ("rows"), too wide
    ("wide"), too big unpacked ("size"), too many texts ("strings"), or without the named columns
    ("columns": `missing` holds their keys). `limit` is the limit it went past."""

    def __init__(self, problem: str, missing: Sequence[str] = (), *, limit: int = 0) -> None:
        super().__init__(problem)
        self.problem = problem
        self.missing = list(missing)
        self.limit = limit


def check_workbook(content: bytes, *, header_rows: int = 0) -> None:
    """Raise SheetError when the workbook is past a limit, from its listing and its parts' first bytes."""
    try:
        archive = zipfile.ZipFile(BytesIO(content))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise SheetError("excel") from exc
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_MB * _MB:
            raise SheetError("size", limit=MAX_UNPACKED_MB)
        for part in parts:
            name = part.filename.lower()
            if name.endswith("sharedstrings.xml"):
                _check_strings(archive, part)
            elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _check_dimension(archive, part, header_rows)


def _head(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(part) as opened:
            return opened.read(_HEAD)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise SheetError("excel") from exc


def _check_strings(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    if part.file_size > MAX_STRINGS_MB * _MB:
        raise SheetError("size", limit=MAX_STRINGS_MB)
    if any(int(count) > MAX_STRINGS for count in _COUNT.findall(_head(archive, part))):
        raise SheetError("strings", limit=MAX_STRINGS)


def _check_dimension(archive: zipfile.ZipFile, part: zipfile.ZipInfo, header_rows: int) -> None:
    found = _DIMENSION.search(_head(archive, part))
    if found is None:
        return
    try:
        _min_col, _min_row, max_col, max_row = range_boundaries(found[1].decode("ascii", "replace"))
    except (ValueError, TypeError):
        raise SheetError("excel") from None
    if (max_col or 0) > MAX_COLUMNS:
        raise SheetError("wide", limit=MAX_COLUMNS)
    if (max_row or 0) > MAX_ROWS + header_rows:
        raise SheetError("rows", limit=MAX_ROWS)
