#!/usr/bin/env bash
# Set up (the first time) and run the checks and the whole test suite, in parallel. Extra arguments go to pytest.
# When a PostgreSQL server answers on 127.0.0.1:5432 (trust auth, database `test`), the storage tests
# run on it too; set NHACVIEC_TEST_DATABASE_URL to choose another.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
# The exact versions of requirements-test.lock (scripts/lock.sh writes it), checked by their hashes.
if [ ! -x .venv/bin/pytest ] || [ pyproject.toml -nt .venv/.installed-test ] \
    || [ requirements-test.lock -nt .venv/.installed-test ]; then
    echo "Setting up .venv with the locked versions of requirements-test.lock..." >&2
    "$PYTHON" -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-test.lock
    .venv/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
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
# Tests run in parallel, one pytest-xdist worker a core (NHACVIEC_TEST_WORKERS=3 to choose, =0 for one
# process), each on its own databases (tests/databases.py), unless the arguments choose with -n or -p no:xdist.
workers=(-n "${NHACVIEC_TEST_WORKERS:-auto}" --dist worksteal)
for argument in "$@"; do
    case $argument in
        -n | -n* | --numprocesses* | no:xdist | -pno:xdist) workers=() ;;
    esac
done
.venv/bin/pytest "${workers[@]}" "$@"
