"""`nhacviec parse-status`: how the bot reads a reply, for checking a wording by hand."""

from __future__ import annotations

import json
from datetime import date, datetime

import typer

from bot.cli.support import fail, get_settings


def parse_status_command(
    text: str,
    today: str | None = typer.Option(None, "--today", help="Read dates as of this day (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """How the bot reads a reply: status, percent, expected date, note."""
    from messages.parser import parse_status

    try:
        day = date.fromisoformat(today) if today else datetime.now(get_settings().tz).date()
    except ValueError:
        raise fail(f"--today wants a date such as 2025-01-06, not {today!r}") from None
    reading = parse_status(text, today=day)
    data = reading.as_json()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    for key, value in data.items():
        typer.echo(f"{key}: {'' if value is None else value}")
