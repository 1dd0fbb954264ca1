"""`nhacviec plan`: loading a plan file into the database, and saying what the load changed."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.exc import SQLAlchemyError

from bot.cli.support import fail, get_settings, run_async
from bot.settings import Settings
from storage import db
from storage.plan import PlanChanges, load_plan, plan_revision
from storage.plan_file import PlanError, PlanSpec, read_plan

app = typer.Typer(help="The plan file.", no_args_is_help=True)


@app.command("load")
def plan_load(path: Path = typer.Argument(..., help="The plan file (TOML).", show_default=False)) -> None:
    """Load a plan file into the database; a running bot follows it within a minute."""
    settings = get_settings()
    try:
        spec = read_plan(path)  # a bad file is refused before the database is touched
    except PlanError as exc:
        raise fail(str(exc)) from None
    loaded: list[tuple[PlanChanges, int]] = []
    run_async(_plan_load(settings, spec, loaded))
    changes, revision = loaded[0]
    typer.echo(describe_changes(spec.plan.key, path, changes, revision))
    if settings.plan is not None and path.resolve() != settings.plan.resolve():
        typer.echo(f"note: a restart loads NHACVIEC_PLAN ({settings.plan}); point it at {path} to keep this plan.")


async def _plan_load(settings: Settings, spec: PlanSpec, loaded: list[tuple[PlanChanges, int]]) -> None:
    async with (
        db.engine_for(settings.database_url, sqlite_fast_path=settings.sqlite_fast_path) as engine,
        db.starting(engine),  # one load at a time, and none while an instance starts
        db.session_factory(engine)() as session,
    ):
        try:
            changes = await load_plan(session, spec)
        except SQLAlchemyError as exc:  # nothing was written
            raise db.DatabaseError(f"cannot load the plan, nothing was changed: {exc.__class__.__name__}") from exc
        loaded.append((changes, await plan_revision(session)))


def describe_changes(key: str, path: Path, changes: PlanChanges, revision: int) -> str:
    """What a load changed, one line per kind of change, for the operator."""
    if not changes.changed:
        return f"plan {key} from {path}: nothing changed (revision {revision})"
    lines = [f"plan {key} from {path} loaded (revision {revision}); the running bot follows it within a minute:"]
    for label, items in (
        ("units added", changes.added_units),
        ("units updated", changes.updated_units),
        ("units no longer in the plan", changes.retired_units),
        ("duties added", changes.added_duties),
        ("duties updated", changes.updated_duties),
        ("duties no longer in the plan", changes.retired_duties),
        ("groups changed", changes.changed_groups),
        ("calendar days added", changes.added_days),
        ("calendar days changed", changes.updated_days),
        ("calendar days removed", changes.removed_days),
    ):
        if items:
            lines.append(f"  {label}: {', '.join(str(item) for item in items)}")
    return "\n".join(lines)
