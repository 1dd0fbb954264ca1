"""The engine, sessions and migrations. Nothing connects at import time."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, ExitStack, asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import locks, sqlite_driver

MIGRATIONS = Path(__file__).parent / "migrations"
log = logging.getLogger(__name__)
# asyncpg waits 60 s for a server that accepts and never answers; a person starting the bot should
# hear what is wrong well within 10 s. Also the most a pooled connection waits to be made.
DISPOSE_WITHIN = 0.7  # seconds the pool's connections get to close at the end
CONNECT_TIMEOUT = 5


class DatabaseError(Exception):
    """A database that cannot be used, with a sentence a person can act on."""


def async_url(url: str) -> str:
    """Accept plain `sqlite:///` and `postgresql://` URLs and pick the async driver."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"NHACVIEC_DATABASE_URL is not a database URL: {url!r}") from exc
    driver = parsed.drivername
    if driver in ("sqlite", "sqlite+pysqlite"):
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif driver in ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif driver not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        raise DatabaseError(f"unsupported database {driver!r}: use sqlite:/// or postgresql://")
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file in the way, no permission, a read-only or virtual file system
            reason = exc.strerror or type(exc).__name__
            raise DatabaseError(
                f"cannot make the folder for the SQLite database {parsed.database}: {reason}; "
                "check NHACVIEC_DATABASE_URL"
            ) from exc
    return parsed.render_as_string(hide_password=False)


def create_engine(url: str, *, sqlite_fast_path: bool = True) -> AsyncEngine:
    """The engine for a URL. On SQLite, `sqlite_fast_path` (NHACVIEC_SQLITE_FAST_PATH) chooses
    storage/sqlite_driver.py's connections when the installed aiosqlite has what they need."""
    target = async_url(url)
    if target.startswith("sqlite"):
        # One file, one writer at a time: a few connections serve best, and there is no server to ping.
        # Its connections run each statement in one trip to their thread, and a ROLLBACK (the pool's,
        # when a connection comes back) only when a transaction is open (storage/sqlite_driver.py).
        options: dict[str, Any] = {"pool_size": 8, "max_overflow": 0, "pool_timeout": 60}
        if sqlite_fast_path and sqlite_driver.available():
            options["async_creator"] = sqlite_driver.creator(make_url(target))
        elif sqlite_fast_path:
            log.warning("this aiosqlite lacks what the SQLite fast path needs: using the stock driver")
        engine = create_async_engine(target, **options)
    else:
        engine = create_async_engine(
            target,
            pool_pre_ping=True,
            pool_size=10,
            max_overflow=20,
            connect_args={"timeout": CONNECT_TIMEOUT},
        )
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash of the app loses nothing committed
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


_WRITERS: WeakKeyDictionary[Engine, asyncio.Lock] = WeakKeyDictionary()


def writer_lock(engine: object) -> asyncio.Lock | None:
    """This process's writers of an SQLite database take turns on this lock, from their first write to
    their COMMIT (the core's store, `storage/store.py`; the dispatcher's outcomes). None on PostgreSQL,
    which locks rows, not the database.

    SQLite lets one connection write at a time and holds the lock until the COMMIT, which is another
    trip through the event loop. A connection asking meanwhile waits in SQLite's busy handler, which
    sleeps in its thread (1, 2, 5, 10... then 100 ms a time) and wakes long after the lock came free,
    holding one of the pool's connections all the while (bench/README.md has what 64 status updates
    at once waited). Waiting here, the next writer starts as soon as the last one committed. Other
    processes still meet SQLite's own lock and busy_timeout, and unique keys still decide between two
    writes of the same thing. A writer takes its connection before waiting, so it never waits for the
    pool while holding this lock."""
    if not isinstance(engine, Engine) or engine.dialect.name != "sqlite":
        return None
    lock = _WRITERS.get(engine)
    if lock is None:
        lock = _WRITERS[engine] = asyncio.Lock()
    return lock


def dialect(session: AsyncSession) -> str:
    """'sqlite' or 'postgresql': the database behind a session, for the few statements that differ."""
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def kept(session: AsyncSession, *rows: object) -> None:
    """Detach rows that are remembered beyond their session (the core's and the planner's memory of the
    day). A rollback later in the same session (a write the database refused, a connection lost)
    expires every row the session holds, and an expired row whose session is closed can never be read
    again: each later message or pass that read it failed until the memory was worked out anew."""
    for row in rows:
        if row in session:
            session.expunge(row)


def dialect_insert(session: AsyncSession, model: type[Any]) -> Any:
    """An INSERT that knows ON CONFLICT, on SQLite and PostgreSQL."""
    return (postgresql.insert if dialect(session) == "postgresql" else sqlite.insert)(model)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the schema to the latest migration (`starting` does it under the start lock)."""
    with _explained(engine):
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.upgrade(_alembic_config(sync), "head"))


@contextmanager
def _explained(engine: AsyncEngine) -> Iterator[None]:
    """The database's errors as one sentence a person can act on (`DatabaseError`)."""
    try:
        yield
    except OSError as exc:  # refused, no such host, no answer (TimeoutError: an empty message)
        url = engine.url
        where = url.database if url.drivername.startswith("sqlite") else f"{url.host or 'localhost'}:{url.port or 5432}"
        raise DatabaseError(
            f"cannot reach the database at {where}: {_reason(exc)}; check NHACVIEC_DATABASE_URL"
        ) from exc
    except Exception as exc:
        if type(exc).__module__.startswith(("sqlalchemy", "asyncpg", "sqlite3")):
            raise DatabaseError(f"cannot use the database: {_first_line(exc)}") from exc
        raise


def _reason(exc: OSError) -> str:
    if isinstance(exc, TimeoutError):
        return f"no answer within {CONNECT_TIMEOUT} s"
    # "Connection refused" rather than asyncio's "Connect call failed ('127.0.0.1', 1)"
    reason = os.strerror(exc.errno) if isinstance(exc, ConnectionError) and exc.errno else exc.strerror
    reason = reason or _first_line(exc)
    return reason[:1].lower() + reason[1:]


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


@asynccontextmanager
async def engine_for(url: str, *, sqlite_fast_path: bool = True) -> AsyncIterator[AsyncEngine]:
    """An engine for the URL, disposed on exit. Nothing is migrated: see `starting` and `opened`."""
    engine = create_engine(url, sqlite_fast_path=sqlite_fast_path)
    try:
        yield engine
    finally:
        # On PostgreSQL closing a connection waits for the server's goodbye, which a network that drops
        # packets never brings: a stop must end within 5 s. (SQLite's close may checkpoint: let it.)
        within = DISPOSE_WITHIN if engine.dialect.name == "postgresql" else None
        try:
            async with asyncio.timeout(within):
                await engine.dispose()
        except TimeoutError:
            log.warning(
                "the database's connections did not close within %g s; left to the process's end", DISPOSE_WITHIN
            )


@asynccontextmanager
async def starting(engine: AsyncEngine) -> AsyncIterator[None]:
    """The schema brought to the latest migration, and the start lock held until exit, for the plan load.

    Any number of instances can start together on one database: one at a time migrates and loads the
    plan, the others wait (PostgreSQL: an advisory lock; SQLite: a lock file beside the database, see
    storage/locks.py), then find nothing left to do.
    """
    async with AsyncExitStack() as stack:
        with _explained(engine):  # the lock's connection is the first one made: its errors are the start's
            await stack.enter_async_context(locks.held(engine))
        await upgrade(engine)
        yield


@contextmanager
def sole_run(url: str) -> Iterator[None]:
    """`nhacviec run`'s hold on its database until exit. On a SQLite file a second `run` is refused at
    once (`DatabaseError`): SQLite is the single-instance default, and several instances share
    PostgreSQL, whose row claims and advisory locks coordinate them (storage/locks.py)."""
    with ExitStack() as stack:
        try:
            stack.enter_context(locks.sole_run(make_url(async_url(url))))
        except locks.AlreadyRunning as exc:
            raise DatabaseError(
                f"another `nhacviec run` is already using the SQLite database {exc}: SQLite serves one "
                "instance, so stop that one first, or move to PostgreSQL (NHACVIEC_DATABASE_URL) to run several"
            ) from None
        yield


@asynccontextmanager
async def opened(url: str, *, sqlite_fast_path: bool = True) -> AsyncIterator[AsyncEngine]:
    """An engine migrated to head, disposed on exit."""
    async with engine_for(url, sqlite_fast_path=sqlite_fast_path) as engine:
        async with starting(engine):
            pass
        yield engine
