#!/usr/bin/env bash
# Every benchmark of bench/README.md in its smallest form, so a broken one fails CI (issue 27, item 12).
# A bench passes when it runs to its end (its "result:" line, or for the four that print none an exit
# of 0 or 1 with no traceback: parser, updates, summary, web) with nothing lost, doubled or left behind; a missed speed target is
# printed as a warning only (CI shares its machine). PostgreSQL benches need
# 127.0.0.1:5432 (database NHACVIEC_BENCH_DATABASE, default nhacviec_bench_instances) and are skipped
# without it (their exit code 2).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
failed=()
run() {
    local name=$1; shift
    local began=$SECONDS out code
    out=$("$PY" -m "$@" 2>&1); code=$?
    if [ "$code" -eq 2 ] && grep -q "does not answer" <<<"$out"; then
        echo "bench smoke: $name skipped (PostgreSQL does not answer)"; return
    fi
    local ended=yes
    if grep -q "^result: " <<<"$out"; then :
    elif [[ $name =~ ^(parser|updates|summary|web)$ ]] && [ "$code" -le 1 ] && ! grep -q "^Traceback" <<<"$out"; then :
    else ended=no
    fi
    if [ "$ended" = no ] || grep -E "(lost|duplicates|doubled|left|ended before).*MISSED" <<<"$out" >/dev/null; then
        echo "bench smoke: $name FAILED (exit $code):"; echo "$out" | tail -n 40; failed+=("$name"); return
    fi
    grep "MISSED" <<<"$out" | sed "s/^/bench smoke: $name: warning: /"
    echo "bench smoke: $name ok ($((SECONDS - began)) s)"
}
run fanout bench.fanout --n 100
run throughput bench.throughput --n 200
run instances bench.instances --n 100
run parser bench.parser --n 1000
run updates bench.updates --n 100 --runs 1
run summary bench.summary --backend sqlite --units 60 --officials 300 --updates 3000 --runs 2 --export-runs 1
run web bench.web --units 40 --updates 1000 --runs 2
run chaos bench.chaos --n 30 --database sqlite
if [ ${#failed[@]} -gt 0 ]; then
    echo "bench smoke: broken: ${failed[*]}"; exit 1
fi
