"""SQLite serves one `nhacviec run`: a second on the same file is refused at start with one sentence
(`db.sole_run`; tests/e2e/test_two_instances.py starts the two processes)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from storage import db


async def test_a_second_run_on_one_sqlite_file_is_refused_with_one_sentence(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    with db.sole_run(url):
        with pytest.raises(db.DatabaseError) as refused, db.sole_run(url):
            pass
        with db.sole_run(f"sqlite:///{tmp_path / 'other.db'}"), db.sole_run("sqlite://"):
            pass  # another file, or memory, is another database
    assert str(refused.value) == (
        f"another `nhacviec run` is already using the SQLite database {tmp_path / 'bot.db'}: SQLite serves one "
        "instance, so stop that one first, or move to PostgreSQL (NHACVIEC_DATABASE_URL) to run several"
    )
    with db.sole_run(url):  # released on exit
        await asyncio.sleep(0)
