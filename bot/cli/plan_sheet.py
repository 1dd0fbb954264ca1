"""`nhacviec plan template|export|import`: the plan as an Excel sheet, on the office's PC. The same
reading, preview and transaction as a sheet sent to the bot (bot/core/plan_import.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from bot.app import running
from bot.cli.support import fail, get_settings, run_async
from bot.core.plan_import import apply_import, sheet_preview, workbook
from bot.settings import Settings
from messages import plan_sheet_text as words
from messages.sheet_limits import SheetError

ACTOR = "cli"  # the audit's "who" for a sheet imported on the command line


def register(app: typer.Typer) -> None:
    app.command("template")(plan_template)
    app.command("export")(plan_export)
    app.command("import")(plan_import)


def plan_template(
    output: Path = typer.Option(Path("mau-ke-hoach.xlsx"), "-o", "--output", help="Where to write the sheet."),
) -> None:
    """An empty plan sheet to fill (the units and groups listed beside it), as /maukehoach gives it."""
    _write(output, None)


def plan_export(
    output: Path = typer.Option(Path("ke-hoach.xlsx"), "-o", "--output", help="Where to write the sheet."),
    plan: str | None = typer.Option(None, "--plan", help="The plan's key; the newest active plan by default."),
) -> None:
    """A plan and its tasks as a sheet: changed and imported again, it changes the plan."""
    _write(output, plan or "")


def _write(output: Path, plan_key: str | None) -> None:
    settings = get_settings()
    content: list[bytes] = []
    run_async(_workbook(settings, plan_key, content))
    output.write_bytes(content[0])
    typer.echo(f"wrote {output}")


async def _workbook(settings: Settings, plan_key: str | None, content: list[bytes]) -> None:
    async with running(settings) as application, application.core.stores() as store:
        plan = None
        if plan_key is not None:
            active = await store.plans()
            plan = await store.plan_by_key(plan_key) if plan_key else (active[0] if active else None)
            if plan is None:
                raise fail(f"no plan {plan_key!r}: `nhacviec plan export --plan <key>`" if plan_key else "no plan")
        today = application.core.clock.now().astimezone(settings.tz).date()
        content.append(await workbook(store, plan, today=today, locale=settings.locale))


def plan_import(
    path: Path = typer.Argument(..., help="The filled plan sheet (.xlsx).", show_default=False),
    yes: bool = typer.Option(False, "--yes", "-y", help="Apply without asking."),
) -> None:
    """Read a plan sheet, show what it will create, change and end, and apply it once confirmed."""
    settings = get_settings()
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}") from None
    run_async(_import(settings, content, yes))


async def _import(settings: Settings, content: bytes, yes: bool) -> None:
    locale = settings.locale
    async with running(settings) as application:
        core = application.core
        now: datetime = core.clock.now()
        async with core.stores() as store:
            try:
                preview = await sheet_preview(store, content, today=now.astimezone(settings.tz).date())
            except SheetError as exc:
                raise fail(words.sheet_error(exc.problem, exc.missing, locale, limit=exc.limit)) from None
            if preview.problems:
                raise fail(words.problems_text(preview.problems, locale))
            if preview.nothing:
                typer.echo(words.nothing_to_change(preview.plan_title, locale))
                return
            typer.echo(words.preview_text(preview, locale, tap=False))
            if not yes and not typer.confirm(words.confirm_apply(locale)):
                typer.echo(words.cancelled(locale))
                return
            await apply_import(store, preview.content(), actor=ACTOR, now=now)
            await store.commit()
        typer.echo(words.applied(preview.content(), locale))
