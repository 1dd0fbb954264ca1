"""A SIGTERM ends `nhacviec run` within 5 s even while an answer waits out a 429 (issue 17).

An answer is retried within its own 30 s budget (bot/channels/answers.py); at a stop it gets 2 s,
beside the reminders' stop, then is given up: the message it answers was recorded before.
"""

from __future__ import annotations

from pathlib import Path

from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.e2e.conftest import TOKEN
from tests.e2e.instances import HOSTS, Instance
from tests.fakes.telegram_api import FakeTelegramServer

STOP_WITHIN = 5.0


async def test_a_sigterm_while_an_answer_waits_out_a_429_ends_the_process_within_5_s(
    clock: FakeClock, server: FakeTelegramServer, tmp_path: Path
) -> None:
    env = {
        "NHACVIEC_DATABASE_URL": f"sqlite:///{tmp_path / 'stop.db'}",
        "NHACVIEC_TELEGRAM_TOKEN": TOKEN,
        "NHACVIEC_TELEGRAM_API_URL": server.root,
        "NHACVIEC_ADMINS": str(ADMIN_ID),
    }
    instance = await Instance.start("bot", HOSTS[0], env, clock.now(), tmp_path)
    try:
        await instance.until_printed("this instance polls telegram now", 30)
        server.fail_next(1, 429, method="sendMessage", retry_after=20)  # the answer waits 20 s, within its budget
        await server.user(ADMIN_ID, "Văn phòng").send("/toi")
        await instance.until_printed("trying again in 20s", 15)
        took = await instance.terminate()
    finally:
        await instance.kill()
    assert took < STOP_WITHIN, f"{took:.1f} s to stop:\n{instance.printed}"
    assert instance.process.returncode == 0, instance.printed
    assert "answers still being sent were given up" in instance.printed
