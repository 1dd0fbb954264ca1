#!/usr/bin/env bash
# What the Docker image does, without Docker (no engine runs here), so CI tests the image's path:
# copy what the Dockerfile copies, install requirements.lock and then the project into a fresh venv,
# run the image's command (scripts/serve.sh: `nhacviec db upgrade`, then `nhacviec run`) from an empty
# folder against a fake Telegram Bot API on loopback, and run the Dockerfile's own HEALTHCHECK command
# until /readyz answers 200. Then /healthz and /metrics are read, and SIGTERM must end the service
# within 10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
PYTHON=${PYTHON:-python3}
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

say() { echo "image check: $*" >&2; }

say "installing into a fresh venv, as the image does"
mkdir "$work/app" "$work/run"
cp -r requirements.lock pyproject.toml README.md bot scheduler storage messages "$work/app/"
"$PYTHON" -m venv "$work/venv"
if ! { "$work/venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes -r "$work/app/requirements.lock" \
    && "$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-deps "$work/app"; } >"$work/pip.log" 2>&1; then
    cat "$work/pip.log" >&2; exit 1
fi
"$work/venv/bin/nhacviec" --help >/dev/null

token="123456789:AAHimageCHECKimageCHECKimageCHECK00"
"$work/venv/bin/python" -m tests.fakes.run_telegram_api "$token" >"$work/api.url" &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/api.url" ] && break; sleep 0.1; done
port=$("$work/venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

export PATH="$work/venv/bin:$PATH"
export NHACVIEC_TELEGRAM_TOKEN=$token
export NHACVIEC_TELEGRAM_API_URL=$(cat "$work/api.url")
export NHACVIEC_ADMINS=1001
export NHACVIEC_DATABASE_URL="sqlite:///$work/run/data/nhacviec.db"
export NHACVIEC_WEB_HOST=127.0.0.1
export NHACVIEC_WEB_PORT=$port
export NHACVIEC_LOG_FORMAT=json

say "starting scripts/serve.sh (the image's CMD) from an empty folder"
(cd "$work/run" && exec sh "$repo/scripts/serve.sh") >"$work/service.log" 2>&1 &
service=$!
pids+=("$service")

# The Dockerfile's HEALTHCHECK command, read from the Dockerfile itself: this is the one Docker runs.
mapfile -t healthcheck < <("$work/venv/bin/python" - <<'PY'
import json, re
text = open("Dockerfile", encoding="utf-8").read().replace("\\\n", " ")
command = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", text, re.MULTILINE).group(1)
print("\n".join(json.loads(command)))
PY
)
ready=""
for _ in $(seq 1 120); do
    if ! kill -0 "$service" 2>/dev/null; then
        say "the service ended before it was ready:"; cat "$work/service.log" >&2; exit 1
    fi
    if (cd "$work/run" && "${healthcheck[@]}") 2>/dev/null; then ready=yes; break; fi
    sleep 0.5
done
if [ -z "$ready" ]; then
    say "/readyz never answered 200 within 60 s:"; cat "$work/service.log" >&2
    python -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:$port/readyz').read())" >&2 || true
    exit 1
fi
say "the HEALTHCHECK passes"
"$work/venv/bin/python" - "$port" <<'PY'
import json, sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
for path in ("/healthz", "/readyz"):
    with urllib.request.urlopen(base + path, timeout=5) as answer:
        print(f"image check: {path} {answer.status} {answer.read().decode()}", file=sys.stderr)
with urllib.request.urlopen(base + "/metrics", timeout=5) as answer:
    metrics = answer.read().decode()
assert "nhacviec_ready 1.0" in metrics, metrics
assert 'nhacviec_reminders_pending{channel="telegram"}' in metrics, metrics
print("image check: /metrics 200, nhacviec_ready 1.0", file=sys.stderr)
PY
# `nhacviec db upgrade` says one sentence; every line of `nhacviec run` after it is one JSON object.
"$work/venv/bin/python" - "$work/service.log" <<'PY' || { say "a log line is not JSON:"; cat "$work/service.log" >&2; exit 1; }
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert lines[0] == "database is up to date", lines[0]
entries = [json.loads(line) for line in lines[1:]]
assert any(entry["message"].startswith("Telegram bot @") for entry in entries), entries
PY

kill -TERM "$service"
for _ in $(seq 1 100); do kill -0 "$service" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$service" 2>/dev/null; then say "SIGTERM did not end the service within 10 s"; exit 1; fi
wait "$service" || { say "the service exited with $?:"; cat "$work/service.log" >&2; exit 1; }
say "SIGTERM ended the service; all good"
