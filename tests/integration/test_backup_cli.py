"""`nhacviec db backup` and `nhacviec db restore` when they cannot work: one sentence each, exit code 2.

A backup taken mid fan-out and restored is tests/e2e/test_backup_during_fan_out.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()
PG = "postgresql://nobody@127.0.0.1:1/none"  # no server is asked: the tool is looked for first


@pytest.mark.parametrize(
    ("args", "url", "sentence"),
    [
        (
            ["backup", "-o", "x.dump"],
            PG,
            "pg_dump is not installed: install PostgreSQL's client tools (the package postgresql-client, "
            "of the server's major version or newer) to back up or restore a PostgreSQL database",
        ),
        (["restore", "x.dump"], PG, "pg_restore is not installed: install PostgreSQL's client tools"),
        (["backup", "-o", "x.db"], "sqlite:///./none.db", "no SQLite database at none.db; check NHACVIEC_DATABASE_URL"),
        (["backup", "-o", "no/such/folder/x.db"], "sqlite:///./none.db", "no folder no/such/folder for the backup"),
        (["restore", "missing.db"], "sqlite:///./new.db", "no backup at missing.db"),
        (["restore", "x.dump"], "sqlite:///./new.db", "x.dump is not a backup of Nhắc việc's SQLite database"),
    ],
)
def test_a_backup_or_restore_that_cannot_work_says_why_in_one_sentence(
    tmp_path: Path, args: list[str], url: str, sentence: str
) -> None:
    (tmp_path / "x.dump").write_text("not a database")
    result = runner.invoke(app, ["db", *args], env={"NHACVIEC_DATABASE_URL": url, "PATH": str(tmp_path)})
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"nhacviec: {sentence}"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.glob("*.partial"))


def test_a_sqlite_backup_restores_into_a_new_file_and_never_over_one(tmp_path: Path) -> None:
    env = {"NHACVIEC_DATABASE_URL": "sqlite:///./bot.db"}
    assert runner.invoke(app, ["db", "upgrade"], env=env).exit_code == 0
    made = runner.invoke(app, ["db", "backup", "-o", "copy.db"], env=env)
    assert made.stdout.startswith("backup written to copy.db (")
    assert [p.name for p in tmp_path.glob("copy.db*")] == ["copy.db"]  # one file: no -wal, no .partial
    refused = runner.invoke(app, ["db", "restore", "copy.db"], env=env)
    assert refused.exit_code == 2
    assert refused.stderr.startswith("nhacviec: the database is not empty (")
    restored = runner.invoke(app, ["db", "restore", "copy.db"], env={"NHACVIEC_DATABASE_URL": "sqlite:///./new/bot.db"})
    assert restored.exit_code == 0, restored.output
    assert runner.invoke(app, ["db", "upgrade"], env={"NHACVIEC_DATABASE_URL": "sqlite:///./new/bot.db"}).exit_code == 0
