#!/usr/bin/env bash
# Set up (the first time) and run Nhắc việc: every channel whose token is set (NHACVIEC_ZALO_TOKEN,
# NHACVIEC_TELEGRAM_TOKEN, in the environment or in .env), otherwise the terminal demo, offline.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/nhacviec ] || [ pyproject.toml -nt .venv/.installed ]; then
    echo "Setting up .venv (first run only)..." >&2
    "$PYTHON" -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -e .
    touch .venv/.installed
fi
exec .venv/bin/nhacviec start "$@"
