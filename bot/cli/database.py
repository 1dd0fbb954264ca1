"""`nhacviec db`: the database."""

from __future__ import annotations

from pathlib import Path

import typer

from bot.cli.support import get_settings, opened, run_async
from storage import backup

app = typer.Typer(help="The database.", no_args_is_help=True)


@app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations."""
    settings = get_settings()

    async def upgrade() -> None:
        async with opened(settings):
            pass

    run_async(upgrade())
    typer.echo("database is up to date")


@app.command("backup")
def db_backup(
    output: Path = typer.Option(..., "--output", "-o", help="The file to write, once the backup is whole."),
) -> None:
    """Copy the database into a file while the bot runs (SQLite's online backup; pg_dump on PostgreSQL)."""
    settings = get_settings()

    async def copy() -> None:
        typer.echo(await backup.backup(settings.database_url, output))

    run_async(copy())


@app.command("restore")
def db_restore(source: Path = typer.Argument(..., help="A file written by `nhacviec db backup`.")) -> None:
    """Restore a backup into the empty database NHACVIEC_DATABASE_URL names (a database with tables is refused)."""
    settings = get_settings()

    async def restore() -> None:
        typer.echo(await backup.restore(settings.database_url, source))

    run_async(restore())
