"""Shared fixtures: no network, a fake clock, and a database per test (SQLite, or PostgreSQL when asked),
already migrated (tests/databases.py)."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, running
from bot.settings import SHIPPED_PLAN, Settings, load_settings
from scheduler.clock import FakeClock
from tests import databases

# Each pytest-xdist worker has a PostgreSQL database of its own (`<db>_gw0`...), and so do the processes
# its tests start, which read the variable.
PG_URL = os.environ.get("NHACVIEC_TEST_DATABASE_URL")
if PG_URL:
    PG_URL = os.environ["NHACVIEC_TEST_DATABASE_URL"] = databases.worker_url(
        PG_URL, os.environ.get("PYTEST_XDIST_WORKER")
    )
ADMIN_ID = 1001
# 08:00 on Thursday 2 January 2025 in Hà Nội: the plan's first deadline is a week away.
START = datetime(2025, 1, 2, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to leave this machine, as PTB's OfflineRequest does."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else None
        if host is not None:
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                raise OSError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in list(os.environ):
        if name.startswith("NHACVIEC_") and name != "NHACVIEC_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # keeps a stray .env or ./data out of the tests
    # Every service a test starts (in process, or as a process given this environment) listens for
    # /healthz on a port of its own choosing: never 8080, which two tests at once would share.
    monkeypatch.setenv("NHACVIEC_WEB_PORT", "0")
    # The suite plays the shipped 2025 plan unless a test says otherwise (a new office starts with none).
    monkeypatch.setenv("NHACVIEC_PLAN", str(SHIPPED_PLAN))


def _backends() -> list[Any]:
    backends: list[Any] = ["sqlite"]
    if PG_URL:
        backends.append(pytest.param("postgresql", marks=pytest.mark.postgresql))
    return backends


async def reset_postgres(url: str) -> None:
    """Empty the test database: drop and recreate the public schema."""
    import asyncpg  # only needed when a PostgreSQL URL is given

    plain = url.replace("postgresql+asyncpg://", "postgresql://")
    try:
        connection = await asyncpg.connect(plain)
    except asyncpg.InvalidCatalogNameError:  # this worker's database, on its first use
        await databases.ensure_database(plain)
        connection = await asyncpg.connect(plain)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_template() -> databases.PostgresTemplate | None:
    """This worker's PostgreSQL database, created when missing; migrated by the first test to use it."""
    if not PG_URL:
        return None
    databases.run_apart(databases.ensure_database(PG_URL))
    return databases.PostgresTemplate(PG_URL)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return databases.sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(params=_backends())
async def database_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    postgres_template: databases.PostgresTemplate | None,
) -> str:
    """A database migrated to head with nothing in it but what the migrations write."""
    if request.param == "postgresql":
        assert postgres_template is not None
        return await postgres_template.fresh()
    return databases.sqlite_copy(sqlite_template, tmp_path / "test.db")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return load_settings(database_url=database_url, admins=str(ADMIN_ID))


@pytest.fixture
async def app(settings: Settings, clock: FakeClock) -> AsyncIterator[App]:
    async with running(settings, clock=clock) as application:
        yield application
