"""`nhacviec admin`: the office's administrators."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from bot.cli.support import get_settings, opened, run_async
from storage import db, people

app = typer.Typer(help="Office administrators.", no_args_is_help=True)


@app.command("add")
def admin_add(telegram_id: int) -> None:
    """Make a Telegram user an office administrator."""
    settings = get_settings()

    async def add() -> None:
        async with (
            opened(settings) as engine,
            db.session_factory(engine)() as session,
        ):
            added = await people.add_admin(session, channel="telegram", user_id=str(telegram_id), now=datetime.now(UTC))
        typer.echo(f"{telegram_id} is now an administrator" if added else f"{telegram_id} already was an administrator")

    run_async(add())
