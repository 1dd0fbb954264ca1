"""Test databases that start migrated, without running the migrations for every test.

- SQLite: the migrations run once per test process into a template file; each test gets a copy.
- PostgreSQL: each test process (pytest-xdist worker) has a database of its own, derived from
  NHACVIEC_TEST_DATABASE_URL (`<db>_gw0`, `<db>_gw1`...) and created when missing. It is migrated
  once; before each test its rows go back to what the migrations left (the same DELETEs and sequence
  values, in one transaction, a few milliseconds where the migrations took over a second). A test that
  changed the schema itself (a downgrade, `reset_postgres`) is seen by a fingerprint of the catalog, and
  the next test gets the schema dropped and migrated anew.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from sqlalchemy.engine import make_url

from storage import db

T = TypeVar("T")


def worker_url(url: str, worker: str | None) -> str:
    """The database of one pytest-xdist worker: `<db>_gw0`; the URL itself outside xdist."""
    if not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def ensure_database(url: str) -> None:
    """Create the database of this URL when it does not exist (connecting to `postgres` to do so)."""
    parsed = make_url(_plain(url))
    admin = await asyncpg.connect(_plain(parsed.set(database="postgres").render_as_string(hide_password=False)))
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", parsed.database):
            with suppress(asyncpg.DuplicateDatabaseError):  # another worker or run made it meanwhile
                await admin.execute(f'CREATE DATABASE "{parsed.database}"')
    finally:
        await admin.close()


def run_apart(work: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end on a loop of its own in another thread: callable from any fixture,
    whether or not the test's event loop is running."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


def sqlite_template(folder: Path) -> Path:
    """A SQLite file migrated to head, whole in one file (no -wal beside it), to copy for each test."""
    path = folder / "template.db"

    async def migrate() -> None:
        async with db.opened(f"sqlite:///{path}"):
            pass

    run_apart(migrate())
    with sqlite3.connect(path) as connection:  # whatever is still in the WAL goes into the file
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return path


def sqlite_copy(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


# Everything of the public schema a migration makes: tables, columns with types and defaults,
# constraints, indexes, triggers and functions. Equal fingerprints: the rows alone need resetting.
_FINGERPRINT = """
SELECT md5(coalesce(string_agg(x, ',' ORDER BY x), '')) FROM (
  SELECT 'c:' || c.relname || ':' || c.relkind::text AS x
    FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'a:' || c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':'
         || a.attnotnull::text || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'k:' || conname || ':' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'i:' || pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'public'::regnamespace
  UNION ALL
  SELECT 't:' || pg_get_triggerdef(t.oid)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
   WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
  UNION ALL
  SELECT 'p:' || p.proname || ':' || md5(p.prosrc) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
) found
"""


def _next(last: int | None, start: int) -> tuple[int, str]:
    """setval's arguments that put a sequence back where it was: used up to `last`, or never used."""
    return (last, "true") if last is not None else (start, "false")


@dataclass
class PostgresTemplate:
    """One worker's PostgreSQL database and what the migrations leave in it."""

    url: str
    fingerprint: str = ""
    rows: dict[str, list[Any]] = field(default_factory=dict)
    emptying: list[str] = field(default_factory=list)
    sequences_sql: str = ""

    async def migrate(self, connection: asyncpg.Connection) -> None:
        """Drop the schema, run every migration and remember the result."""
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        async with db.opened(self.url):
            pass
        self.fingerprint = await connection.fetchval(_FINGERPRINT)
        tables = [
            row["tablename"]
            for row in await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        self.rows = {name: await connection.fetch(f'SELECT * FROM "{name}"') for name in tables}
        sequences = await connection.fetch(
            "SELECT sequencename, start_value, last_value FROM pg_sequences WHERE schemaname = 'public'"
        )
        # Triggers and foreign keys are not fired by these DELETEs (replica role): the rows of every
        # table go, whatever refers to what, and the trigger-kept tables go with the rest. A role that
        # may not take the replica role (not a superuser) TRUNCATEs instead: slower, as sure.
        quoted = ", ".join(f'"{name}"' for name in tables)
        self.emptying = [
            "SET LOCAL session_replication_role = replica;\n" + "".join(f'DELETE FROM "{name}";\n' for name in tables),
            f"TRUNCATE {quoted} CASCADE",
        ]
        self.sequences_sql = "".join(
            f"SELECT setval('\"{sequence['sequencename']}\"', {value}, {called});\n"
            for sequence in sequences
            for value, called in [_next(sequence["last_value"], sequence["start_value"])]
        )

    async def fresh(self) -> str:
        """The database as the migrations left it, for the next test."""
        connection = await asyncpg.connect(_plain(self.url))
        try:
            if not self.fingerprint or await connection.fetchval(_FINGERPRINT) != self.fingerprint:
                await self.migrate(connection)
                return self.url
            try:
                await self._empty(connection, self.emptying[0])
            except asyncpg.InsufficientPrivilegeError:
                self.emptying = self.emptying[1:]
                await self._empty(connection, self.emptying[0])
        finally:
            await connection.close()
        return self.url

    async def _empty(self, connection: asyncpg.Connection, emptying: str) -> None:
        async with connection.transaction():
            await connection.execute(emptying + ";\n" + self.sequences_sql)
            for name, rows in self.rows.items():
                if rows:
                    await connection.copy_records_to_table(name, records=rows, columns=list(rows[0].keys()))
