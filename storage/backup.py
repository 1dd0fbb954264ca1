"""A backup of the database while the bot runs, and a backup restored into an empty database.

SQLite: the online backup API (sqlite3 `Connection.backup`) copies every page in one step, inside one
read transaction: a consistent snapshot, while the bot's connections go on writing (WAL lets them).
PostgreSQL: `pg_dump` in its custom format (one snapshot of the whole database, taken while the bot
runs) and `pg_restore` in one transaction; both must be installed, of the server's major version or
newer. Either way the file is written beside its name and renamed when complete, so a backup cut
short never leaves a file that looks whole. A restore refuses a database that has any table: it
never mixes two databases' rows. The restored database is migrated at the next start.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from storage.db import DatabaseError, async_url, engine_for

CONNECT_TIMEOUT = "5"  # seconds pg_dump and pg_restore wait for the server, as the bot does


class BackupError(DatabaseError):
    """A backup or restore that cannot be made, in one sentence."""


async def backup(url: str, target: Path) -> str:
    """Copy the database at `url` into the file `target`; the sentence saying what was written."""
    parsed = make_url(async_url(url))
    partial = _partial(target)
    try:
        if parsed.drivername.startswith("sqlite"):
            await asyncio.to_thread(_sqlite_backup, _sqlite_file(parsed), partial)
        else:
            await _run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", url=parsed)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return f"backup written to {target} ({_finish(partial, target):,} bytes)"


async def restore(url: str, source: Path) -> str:
    """Restore the backup `source` into the empty database at `url`; the sentence saying what was done."""
    if not await asyncio.to_thread(source.is_file):
        raise BackupError(f"no backup at {source}")
    parsed = make_url(async_url(url))
    if not parsed.drivername.startswith("sqlite"):
        _tool("pg_restore")  # said before the database is asked anything
    tables = await _tables(url)
    if tables:
        raise BackupError(
            f"the database is not empty ({tables} tables): restore into a new, empty database "
            "(point NHACVIEC_DATABASE_URL at it), never over one in use"
        )
    if parsed.drivername.startswith("sqlite"):
        await asyncio.to_thread(_sqlite_restore, source, _sqlite_file(parsed))
    else:
        await _run("pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                   str(source), url=parsed)  # fmt: skip
    return f"restored {source} into the empty database; the next start brings it to the latest migration"


def _partial(target: Path) -> Path:
    """Where the backup is written until it is whole."""
    if not target.parent.is_dir():
        raise BackupError(f"no folder {target.parent} for the backup")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    return partial


def _finish(partial: Path, target: Path) -> int:
    """The whole backup under its name; its size."""
    partial.replace(target)
    return target.stat().st_size


def _sqlite_file(url: URL) -> Path:
    if url.database in (None, "", ":memory:"):
        raise BackupError("an in-memory SQLite database has nothing to back up or restore into")
    return Path(url.database)


def _sqlite_backup(source: Path, partial: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}; check NHACVIEC_DATABASE_URL")
    with closing(sqlite3.connect(source, timeout=30)) as origin, closing(sqlite3.connect(partial)) as copy:
        origin.backup(copy)  # every page in one step: one snapshot, however busy the bot is
        copy.execute("PRAGMA journal_mode=DELETE")  # one file, read without a -wal or -shm beside it


def _sqlite_restore(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as backup_file:
        try:
            backup_file.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not a backup of Nhắc việc's SQLite database ({exc})") from None
        with closing(sqlite3.connect(target)) as database:
            backup_file.backup(database)


async def _tables(url: str) -> int:
    """How many tables the database already has (0 for an SQLite file not made yet)."""
    parsed = make_url(async_url(url))
    if parsed.drivername.startswith("sqlite") and not _sqlite_file(parsed).exists():
        return 0
    query = (
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        if parsed.drivername.startswith("sqlite")
        else "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
    )
    async with engine_for(url) as engine, engine.connect() as connection:
        return int((await connection.execute(text(query))).scalar_one())


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client tools (the package postgresql-client, "
            "of the server's major version or newer) to back up or restore a PostgreSQL database"
        )
    return found


async def _run(tool: str, *arguments: str, url: URL) -> None:
    """Run pg_dump or pg_restore against the database, its password in the environment, not the command line."""
    found = _tool(tool)
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = {**os.environ, "PGCONNECT_TIMEOUT": CONNECT_TIMEOUT}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    process = await asyncio.create_subprocess_exec(
        found, *arguments, f"--dbname={dsn}", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, errors = await process.communicate()
    if process.returncode != 0:
        lines = errors.decode(errors="replace").strip().splitlines()
        reason = lines[0].removeprefix(f"{tool}: error: ") if lines else f"exit code {process.returncode}"
        raise BackupError(f"{tool} failed: {reason}")
