"""`nhacviec units`: the plan file's units."""

from __future__ import annotations

import typer

from bot.cli.support import fail, get_settings
from storage.plan_file import PlanError, read_plan

app = typer.Typer(help="Units of the plan.", no_args_is_help=True)


@app.command("list")
def units_list() -> None:
    """The plan's units, with validity and successors."""
    settings = get_settings()
    if settings.plan is None:
        raise fail("no plan file is named: set NHACVIEC_PLAN (the office's units are listed by /donvi in chat)")
    try:
        spec = read_plan(settings.plan)
    except PlanError as exc:
        raise fail(str(exc)) from None
    for unit in spec.units:
        period = f"{unit.valid_from or ''}..{unit.valid_to or ''}" if unit.valid_from or unit.valid_to else ""
        successors = f"-> {', '.join(unit.successors)}" if unit.successors else ""
        typer.echo(f"{unit.key:24} {unit.code or '':6} {unit.name:36} {period:24} {successors}".rstrip())
