"""What every command shares: its settings, the database, and failures told in one sentence."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Any

import typer
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels import ChannelStartError
from bot.logs import redact
from bot.settings import Settings, SettingsError, load_settings
from storage import db
from storage.plan_file import PlanError


def fail(message: str) -> typer.Exit:
    typer.echo(f"nhacviec: {redact(message)}", err=True)
    return typer.Exit(code=2)


def run_async(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine, ending known failures with one sentence instead of a traceback."""
    try:
        asyncio.run(coroutine)
    except (SettingsError, db.DatabaseError, PlanError) as exc:
        raise fail(str(exc)) from None
    except ChannelStartError as exc:
        raise fail(str(exc)) from None


def opened(settings: Settings) -> AbstractAsyncContextManager[AsyncEngine]:
    return db.opened(settings.database_url, sqlite_fast_path=settings.sqlite_fast_path)


def get_settings(**overrides: Any) -> Settings:
    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        raise fail(str(exc)) from None
