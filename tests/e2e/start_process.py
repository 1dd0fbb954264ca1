"""A process that starts as `nhacviec run` does (`bot.app.running`: migrate, load the plan), for a test
to start several at the same moment.

    python tests/e2e/start_process.py

It prints "ready" once its imports are done. Then for each line read (a database URL) it starts on that
database, stops, and prints "started" or "failed: " and the error: the imports are paid once, and the
test's go reaches every process within a millisecond, as when a supervisor starts several at once.
"""

from __future__ import annotations

import asyncio
import sys

from bot.app import running
from bot.settings import SHIPPED_PLAN, load_settings


async def start(database_url: str) -> str:
    try:
        async with running(load_settings(database_url=database_url, plan=str(SHIPPED_PLAN))):
            return "started"
    except Exception as exc:  # the test reads what failed
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return f"failed: {type(exc).__name__}: {first}"


def main() -> None:
    print("ready", flush=True)
    for line in sys.stdin:
        print(asyncio.run(start(line.strip())), flush=True)


if __name__ == "__main__":
    main()
