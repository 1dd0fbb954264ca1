"""`nhacviec run` as a whole: channels, reminders and APScheduler against the fake Bot API server."""

from __future__ import annotations

import asyncio
import re

from bot.app import serve
from bot.settings import Settings, load_settings
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.e2e.conftest import TOKEN
from tests.fakes.telegram_api import FakeTelegramServer

LINK = re.compile(r"start=([A-Z2-9]{10})")


async def test_the_service_serves_and_catches_up_after_a_restart(
    server: FakeTelegramServer, database_url: str, clock: FakeClock
) -> None:
    settings: Settings = load_settings(
        database_url=database_url, admins=str(ADMIN_ID), telegram_token=TOKEN, telegram_api_url=server.root
    )
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop=stop, clock=clock))
    admin = server.user(ADMIN_ID, "Văn phòng")
    await admin.send("/moi Bần Yên Nhân")
    code = LINK.search((await server.next_message(ADMIN_ID, timeout=15))["text"]).group(1)  # type: ignore[union-attr]
    await server.user(2002, "Lan").send(f"/start {code}")
    assert (await server.next_message(2002))["text"].startswith("Đăng ký thành công")
    stop.set()
    await running

    # Started again: the reminder due since 08:00 goes out at once, and only once.
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop=stop, clock=clock))
    reminder = await server.next_message(2002, timeout=15)
    assert reminder["text"].startswith("🔔 Nhắc hạn báo cáo")
    await admin.send("/toi")
    assert (await server.next_message(ADMIN_ID))["text"].startswith("Anh/chị: Văn phòng")
    stop.set()
    await running
    assert sum(1 for m in server.messages_to(2002) if m["text"].startswith("🔔")) == 1
