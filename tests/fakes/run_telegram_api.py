"""The fake Telegram Bot API as a process of its own, for scripts/image_check.sh (no Docker engine here).

python -m tests.fakes.run_telegram_api TOKEN     prints its root URL, then serves until SIGTERM
"""

from __future__ import annotations

import asyncio
import signal
import sys

from tests.fakes.telegram_api import FakeTelegramServer


async def serve(token: str) -> None:
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    async with FakeTelegramServer(token=token, bot_username="nhacviec_image_check_bot") as server:
        print(server.root, flush=True)
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1]))
