#!/usr/bin/env bash
# Set up (the first time) and run Nhắc việc: every channel whose token is set (NHACVIEC_ZALO_TOKEN,
# NHACVIEC_TELEGRAM_TOKEN, in the environment or in .env), otherwise the terminal demo, offline.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
# The exact versions of requirements.lock (scripts/lock.sh writes it), checked by their hashes.
if [ ! -x .venv/bin/nhacviec ] || [ pyproject.toml -nt .venv/.installed ] || [ requirements.lock -nt .venv/.installed ]; then
    echo "Setting up .venv with the locked versions of requirements.lock (first run only)..." >&2
    "$PYTHON" -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
    .venv/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
    touch .venv/.installed
fi
exec .venv/bin/nhacviec start "$@"
