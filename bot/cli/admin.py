"""`nhacviec admin`: the office's administrators: a code for the first one, a list, adding, removing."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from bot.app import running
from bot.cli.support import fail, get_settings, opened, run_async
from bot.core.admin_codes import new_admin_code
from messages import admins as words
from storage import admins, db
from storage.store import Store

app = typer.Typer(help="Office administrators.", no_args_is_help=True)


@app.command("invite")
def admin_invite() -> None:
    """Print a one-time code (valid 24 hours): whoever sends /dangky <code> to the bot becomes an admin."""
    settings = get_settings()

    async def invite() -> None:
        async with running(settings) as application, Store.opened(application.sessions) as store:
            made = await new_admin_code(store, now=datetime.now(UTC), created_by="cli")
            await store.commit()
        if made is None:
            raise fail(words.no_office(settings.locale))
        code, office, expires_at = made
        typer.echo(words.admin_code(office=office, code=code, expires_at=expires_at, locale=settings.locale))

    run_async(invite())


@app.command("add")
def admin_add(account: str) -> None:
    """Make an account an admin: a Telegram user id, or zalo:<Zalo user id>."""
    settings = get_settings()
    channel, colon, user_id = account.partition(":")
    if not colon:
        channel, user_id = "telegram", account
    if channel not in ("telegram", "zalo") or not user_id.strip() or (channel == "telegram" and not user_id.isdigit()):
        raise fail(f"{account!r} is neither a Telegram user id (digits) nor zalo:<Zalo user id>")

    async def add() -> None:
        async with opened(settings) as engine, db.session_factory(engine)() as session:
            added = await admins.add_account_admin(session, channel=channel, user_id=user_id, now=datetime.now(UTC))
            await session.commit()
        typer.echo(words.added(account, already=not added, locale=settings.locale))

    run_async(add())


@app.command("list")
def admin_list() -> None:
    """The admins: those stored (numbered, for `admin remove`) and those of NHACVIEC_ADMINS."""
    settings = get_settings()

    async def show() -> None:
        async with opened(settings) as engine, db.session_factory(engine)() as session:
            stored = await admins.stored_admins(session)
        lines = [
            words.admin_line(view.admin.id or 0, view.name, view.accounts, settings=False, locale=settings.locale)
            for view in stored
        ]
        lines += [
            words.admin_line(0, None, [ref], settings=True, locale=settings.locale)
            for ref in sorted(settings.admin_refs)
        ]
        typer.echo("\n".join(lines) if lines else words.no_admins(settings.locale))

    run_async(show())


@app.command("remove")
def admin_remove(number: int) -> None:
    """Remove a stored admin by its number in `admin list`; the last admin stays."""
    settings = get_settings()

    async def remove() -> None:
        async with opened(settings) as engine, db.session_factory(engine)() as session:
            stored = await admins.stored_admins(session)
            if not any(view.admin.id == number for view in stored):
                raise fail(words.no_such_admin(str(number), settings.locale))
            if len(stored) + len(settings.admin_refs) <= 1:
                raise fail(words.last_admin(settings.locale))
            await admins.remove_admin(session, admin_id=number)
            await session.commit()
        typer.echo(words.removed(number, settings.locale))

    run_async(remove())
