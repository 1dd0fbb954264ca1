"""Hostile spreadsheets (issue 27): a 6.5 KB workbook declaring `A1:XFD1048576` froze the event loop
4 s and grew memory 646 MB; a 704 KB one of 300 MB shared strings froze it 2.3 s. The limits are
checked on the zip's own listing before anything is parsed, the sheet is read off the event loop,
and a file past a limit is answered with one sentence naming it. The files are built here."""

from __future__ import annotations

import asyncio
import re
import time
import zipfile
from io import BytesIO

from bot.app import App
from tests.conftest import ADMIN_ID
from tests.helpers import text_of
from tests.integration.test_plan_sheet import sheet_sender, template
from tests.sheets import PLAN_2025, TASKS, filled


def rewritten(workbook: bytes, changes: dict[str, bytes | None], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The workbook's zip with some parts replaced (or added); None: the part as it was, edited below."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(workbook)) as source, zipfile.ZipFile(out, "w", compression, compresslevel=9) as made:
        for item in source.infolist():
            made.writestr(item.filename, changes.pop(item.filename, None) or source.read(item.filename))
        for name, data in changes.items():
            made.writestr(name, data or b"")
    return out.getvalue()


def with_dimension(workbook: bytes, ref: str) -> bytes:
    with zipfile.ZipFile(BytesIO(workbook)) as source:
        sheet = source.read("xl/worksheets/sheet1.xml")
    if b"<dimension" in sheet:
        sheet = re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), sheet)
    else:
        sheet = sheet.replace(b"<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>'.encode(), 1)
    return rewritten(workbook, {"xl/worksheets/sheet1.xml": sheet})


def with_strings(workbook: bytes, *, count: int, text_size: int) -> bytes:
    """Shared strings that say `count` and hold one text of `text_size` characters."""
    head = (
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" uniqueCount="{count}">'
    )
    body = "<si><t>" + "A" * text_size + "</t></si>"
    return rewritten(workbook, {"xl/sharedStrings.xml": (head + body + "</sst>").encode()})


async def answered_without_a_stall(app: App, content: bytes) -> str:
    """The answer to the office sending `content`, while a ticker checks that the loop never stalls."""
    send = sheet_sender(app)
    longest = 0.0
    running = True

    async def tick() -> None:
        nonlocal longest
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            longest, last = max(longest, now - last), now

    ticker = asyncio.create_task(tick())
    try:
        answer = text_of(await send(ADMIN_ID, content))
    finally:
        running = False
        await ticker
    assert longest < 0.5, f"the event loop stalled {longest:.2f} s"
    return answer


async def test_a_declared_million_rows_by_xfd_is_refused_before_parsing(app: App) -> None:
    book = filled(await template(app), plan=PLAN_2025, rows=TASKS)
    hostile = with_dimension(book, "A1:XFD1048576")
    assert len(hostile) < 20_000
    answer = await answered_without_a_stall(app, hostile)
    assert answer.startswith("Bảng có hơn 50 cột"), answer
    long = await answered_without_a_stall(app, with_dimension(book, "A1:F1048576"))
    assert long.startswith("Bảng có hơn 5.000 dòng"), long
    wide = await answered_without_a_stall(app, with_dimension(book, "A1:XFD20"))
    assert "50 cột" in wide, wide


async def test_huge_shared_strings_are_refused_before_parsing(app: App) -> None:
    book = filled(await template(app), plan=PLAN_2025, rows=TASKS)
    hostile = with_strings(book, count=1, text_size=40_000_000)
    assert len(hostile) < 200_000
    answer = await answered_without_a_stall(app, hostile)
    assert "MB" in answer, answer
    counted = await answered_without_a_stall(app, with_strings(book, count=50_000_000, text_size=10))
    assert "100.000" in counted, counted


async def test_a_sheet_within_the_limits_is_read_as_ever(app: App) -> None:
    book = filled(await template(app), plan=PLAN_2025, rows=TASKS)
    answer = await answered_without_a_stall(app, with_dimension(book, "A1:F30"))
    assert "✅" in answer or "Áp dụng" in answer or "nhiệm vụ" in answer, answer
