#!/usr/bin/env bash
# The probe of issue 27 (bench/chaos.py): real `nhacviec run` processes crashed (kill -9), faulted (API
# errors and hangs), cut off from PostgreSQL and stopped (SIGTERM in five states), on SQLite and
# PostgreSQL (127.0.0.1:5432, database NHACVIEC_BENCH_DATABASE, default nhacviec_bench_instances);
# prints one table: reminders, lost, doubled per kill, seconds to exit. Extra arguments go to the bench
# (--n 60 for a quick run, --database sqlite without PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m bench.chaos "$@"
