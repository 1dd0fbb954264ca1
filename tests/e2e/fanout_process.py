"""A process that does the 08:00 fan-out and nothing else, for a test to kill with SIGKILL mid-way.

    python tests/e2e/fanout_process.py DATABASE_URL BOT_API_BASE_URL TOKEN START_ISO {telegram|off}

The real planner, Dispatcher and TelegramChannel, on the test's database and against its fake Bot
API server, at the fake moment START (Telegram's limits, or none). It prints "done" if it finishes:
the test meant to kill it before that.
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime

from bot.app import running
from bot.channels.telegram import TelegramChannel
from bot.settings import load_settings
from scheduler.clock import FakeClock
from scheduler.ratelimit import Limits


async def fan_out(database_url: str, base_url: str, token: str, start: datetime, limits: Limits) -> None:
    settings = load_settings(database_url=database_url)
    async with running(settings, clock=FakeClock(start)) as app:
        channel = TelegramChannel(app.core, token=token, base_url=base_url)
        await channel.application.initialize()  # getMe: all that sending needs
        try:
            await app.reminders(channel, limits=limits).tick()
        finally:
            await channel.application.shutdown()
    print("done", flush=True)


def main() -> None:
    database_url, base_url, token, start, pace = sys.argv[1:]
    os.environ["PTB_TIMEDELTA"] = "true"  # as `nhacviec` does at start
    limits = Limits() if pace == "telegram" else Limits.off()
    asyncio.run(fan_out(database_url, base_url, token, datetime.fromisoformat(start), limits))


if __name__ == "__main__":
    main()
