"""`nhacviec report`: the office's report written to a file for its PC (workbook, letter or text)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import typer

from bot.app import running
from bot.cli.support import fail, get_settings, run_async
from bot.settings import Settings
from scheduler.clock import FakeClock


def report(
    output: Path = typer.Option(Path("report.txt"), "-o", "--output", help="Where to write the report."),
    fmt: str = typer.Option("text", "--format", help="xlsx, docx or text."),
    duty: str | None = typer.Option(None, "--duty", help="One duty, by its key in the plan file."),
    at: str | None = typer.Option(None, "--at", help="The report's day (YYYY-MM-DD); today by default."),
) -> None:
    """The office's report for its PC: an Excel workbook, a Word follow-up letter, or plain text."""
    if fmt not in ("xlsx", "docx", "text"):
        raise fail(f"--format wants xlsx, docx or text, not {fmt!r}")
    settings = get_settings()
    try:
        day = date.fromisoformat(at) if at else datetime.now(settings.tz).date()
    except ValueError:
        raise fail(f"--at wants a date such as 2025-01-13, not {at!r}") from None
    content: list[bytes] = []
    run_async(_report(settings, content, fmt, duty, day))
    output.write_bytes(content[0])
    typer.echo(f"wrote {output}")


async def _report(settings: Settings, content: list[bytes], fmt: str, duty: str | None, day: date) -> None:
    from bot.core.exports import letterhead, open_planned, reply_by
    from bot.core.summaries import occurrence_views
    from messages import exports

    noon = datetime.combine(day, time(12, 0), tzinfo=settings.tz)
    async with running(settings, clock=FakeClock(noon.astimezone(UTC))) as application:
        core = application.core
        async with core.stores() as store:
            cal, cache = core.calendar, core.cache
            planned = await open_planned(store, cal=cal, tz=core.config.tz, cache=cache, today=day, duty=duty)
            views = await occurrence_views(
                store,
                cal=cal,
                cache=cache,
                planned=planned,
                units=None,
                today=day,
                tz=core.config.tz,
                locale=settings.locale,
            )
            late = [item for view, item in zip(views, planned, strict=True) if exports.late_lines(view)]
            head = await letterhead(store, late if fmt == "docx" else ())
    if fmt == "xlsx":
        content.append(exports.workbook(views, at=noon, letterhead=head, locale=settings.locale))
    elif fmt == "docx":
        by = reply_by(core.calendar, day)
        content.append(exports.follow_up_letter(views, today=day, reply_by=by, letterhead=head))
    else:
        content.append((exports.text_report(views, settings.locale) + "\n").encode("utf-8"))
