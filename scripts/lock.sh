#!/usr/bin/env bash
# Write the lock files from pyproject.toml's ranges: every package, at one exact version, with the
# sha256 of each of its files on PyPI, for any platform and Python 3.11 or newer.
#   requirements.lock       what runs (scripts/run.sh, the Dockerfile)
#   requirements-test.lock  that, plus the test tools (scripts/test.sh, CI), at the same versions
# Without arguments the versions already locked are kept and only what pyproject.toml now asks for
# differently is resolved anew. `scripts/lock.sh --upgrade` takes the newest of everything;
# `scripts/lock.sh --upgrade-package holidays` one package (and what it needs). Run the tests after.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
UV_VERSION=0.13.10
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
"$PYTHON" -m venv "$tools"
"$tools/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
compile() {
    # uv's default index (PyPI) alone, whatever this machine's pip or uv is set to use: the lock must
    # install anywhere, and its hashes are those of PyPI's files.
    env -u UV_INDEX_URL -u UV_EXTRA_INDEX_URL -u UV_INDEX -u UV_DEFAULT_INDEX -u UV_FIND_LINKS \
        "$tools/bin/uv" pip compile pyproject.toml --no-config --quiet --universal --python-version 3.11 \
        --generate-hashes --no-emit-index-url --custom-compile-command "scripts/lock.sh" "$@"
}
compile --extra test -o requirements-test.lock "$@"
# The same versions, less the test tools.
compile -c requirements-test.lock -o requirements.lock
echo "wrote requirements.lock and requirements-test.lock: run scripts/test.sh, then commit them" >&2
