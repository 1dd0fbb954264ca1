"""`nhacviec run` at a chosen moment, for a test to fault and stop: the same entry, with a clock that runs.

    python tests/e2e/serve_process.py START_ISO     (settings from the NHACVIEC_ variables, as `run`)

The clock starts at START and runs at the real pace, so what the plan has due at START is due at once.
It prints "stopped" when the service has stopped (SIGTERM or SIGINT) and its exit code is `run`'s: 2
and one sentence for a start that cannot work (a second `run` on a SQLite file). SERVE_VERBOSE=1 logs
at DEBUG, as `nhacviec run --verbose`.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime

import typer

from bot.cli.running import serve_until_signalled
from bot.cli.support import get_settings, run_async
from bot.logs import configure_service_logging
from scheduler.clock import RunningClock


def main() -> None:
    os.environ.setdefault("PTB_TIMEDELTA", "true")  # as `nhacviec` does at start
    start = datetime.fromisoformat(sys.argv[1])
    settings = get_settings()
    # NHACVIEC_LOG_FORMAT and NHACVIEC_LOG_LEVEL as `run` reads them
    configure_service_logging(settings, verbose=os.environ.get("SERVE_VERBOSE") == "1")
    try:
        run_async(serve_until_signalled(settings, clock=RunningClock(start)))
    except typer.Exit as exc:  # the sentence is printed; `nhacviec run` ends so
        sys.exit(exc.exit_code)
    print("stopped", flush=True)


if __name__ == "__main__":
    main()
