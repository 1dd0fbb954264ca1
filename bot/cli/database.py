"""`nhacviec db`: the database."""

from __future__ import annotations

import typer

from bot.cli.support import get_settings, opened, run_async

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
