#!/usr/bin/env bash
# Set up (the first time) and run the checks and the whole test suite. Extra arguments go to pytest.
# When a PostgreSQL server answers on 127.0.0.1:5432 (trust auth, database `test`), the storage tests
# run on it too; set NHACVIEC_TEST_DATABASE_URL to choose another.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/pytest ] || [ pyproject.toml -nt .venv/.installed-test ]; then
    echo "Setting up .venv with the test tools (first run only)..." >&2
    "$PYTHON" -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
    touch .venv/.installed-test
fi
if [ -z "${NHACVIEC_TEST_DATABASE_URL:-}" ]; then
    candidate="postgresql://postgres@127.0.0.1:5432/test"
    if .venv/bin/python - "$candidate" <<'PY' 2>/dev/null; then
import asyncio, sys
import asyncpg
async def main() -> None:
    connection = await asyncpg.connect(sys.argv[1], timeout=3)
    await connection.close()
asyncio.run(main())
PY
        export NHACVIEC_TEST_DATABASE_URL=$candidate
        echo "PostgreSQL answers on 127.0.0.1:5432: storage tests run on SQLite and PostgreSQL." >&2
    else
        echo "No PostgreSQL on 127.0.0.1:5432: storage tests run on SQLite only." >&2
    fi
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy storage scheduler messages bot
.venv/bin/pytest "$@"
