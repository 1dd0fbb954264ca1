"""No token in any log line or traceback, at DEBUG, through faults, in text and in JSON (issue 17).

The real `nhacviec run` runs as a process with NHACVIEC_LOG_LEVEL=DEBUG (httpx then prints every
request's URL, and Bot API URLs carry the token), on Telegram and Zalo at once, each behind a proxy
that fails calls with an error quoting the request's path, token and all (tests/fakes/echoing_proxy.py).
Telegram's long poll meets two such errors (python-telegram-bot raises them; the channel logs each
with its traceback), its answer meets a 500 and a dropped connection, and Zalo's answer meets the
quoting error. Every printed line is then searched for the tokens, whole, URL-quoted or their secret
part alone.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import ADMIN_ID
from tests.fakes.echoing_proxy import EchoingProxy
from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.zalo_api import FakeZaloServer

TELEGRAM_TOKEN = "123456789:AAHsecretSECRETsecretSECRETsecret00"
ZALO_TOKEN = "3141592653589793:zaloSECRETzaloSECRETzaloSECRET"


def printed(output: Path) -> str:
    return output.read_text(errors="replace")


async def until_printed(output: Path, *needles: str, timeout: float = 30) -> None:  # noqa: ASYNC109
    deadline = asyncio.get_running_loop().time() + timeout
    while not all(needle in printed(output) for needle in needles):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"never printed {needles}:\n{printed(output)[-3000:]}")
        await asyncio.sleep(0.1)


async def run_through_faults(tmp_path: Path, log_format: str) -> tuple[str, int]:
    """The service's whole output at DEBUG through the faults, and how many calls the proxies failed."""
    async with (
        FakeTelegramServer(token=TELEGRAM_TOKEN, bot_username="nhacviec_test_bot") as telegram,
        FakeZaloServer(token=ZALO_TOKEN) as zalo,
        EchoingProxy(telegram.root) as telegram_proxy,
        EchoingProxy(zalo.root) as zalo_proxy,
    ):
        env = {
            **os.environ,
            "NHACVIEC_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
            "NHACVIEC_TELEGRAM_API_URL": telegram_proxy.root,
            "NHACVIEC_ZALO_TOKEN": ZALO_TOKEN,
            "NHACVIEC_ZALO_API_URL": zalo_proxy.root,
            "NHACVIEC_ADMINS": str(ADMIN_ID),
            "NHACVIEC_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
            "NHACVIEC_LOG_LEVEL": "DEBUG",
            "NHACVIEC_LOG_FORMAT": log_format,
            "PTB_TIMEDELTA": "true",
        }
        output = tmp_path / f"service-{log_format}.log"
        with output.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                str(Path(sys.executable).with_name("nhacviec")), "run",
                env=env, cwd=tmp_path, stdout=log, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
        try:
            await until_printed(output, "Telegram bot @nhacviec_test_bot is running", "Zalo bot is running")
            telegram_proxy.fail_next("getUpdates", 2)
            telegram.fail_next(1, 500, method="sendMessage")
            telegram.drop_next(1, method="sendMessage")
            zalo_proxy.fail_next("sendMessage", 1)
            await telegram.user(ADMIN_ID, "Văn phòng").send("/toi")  # ends the long poll: the next two fail
            await telegram.next_message(ADMIN_ID, timeout=30)
            lan = zalo.user(display_name="Lan")
            await lan.send("/toi")
            await lan.next_message(timeout=30)
            await until_printed(output, "polling for updates failed")
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(process.wait(), timeout=30)
        return printed(output), telegram_proxy.echoed + zalo_proxy.echoed


@pytest.mark.parametrize("log_format", ["text", "json"])
async def test_no_token_in_any_line_at_debug_through_faults(tmp_path: Path, log_format: str) -> None:
    lines, echoed = await run_through_faults(tmp_path, log_format)
    assert echoed == 3  # the faults happened: two polls and Zalo's answer quoted the path
    for token in (TELEGRAM_TOKEN, ZALO_TOKEN):
        for form in (token, quote(token, safe=""), token.partition(":")[2]):
            assert form not in lines, f"{form} printed"
    # What carried the tokens was printed, without them: httpx's request lines, the faults' errors
    # (Telegram's with their tracebacks), and the answer retried on Zalo.
    assert "/bot***/getUpdates" in lines
    assert "Bad Gateway: the upstream closed the connection for POST /bot***/getUpdates" in lines
    assert "Bad Gateway: the upstream closed the connection for POST /bot***/sendMessage" in lines
    if log_format == "text":
        assert "Traceback (most recent call last)" in lines
        return
    entries = [json.loads(line) for line in lines.splitlines() if line.strip()]  # every line one object
    assert {"time", "level", "logger", "message"} <= set(entries[0])
    failures = [entry for entry in entries if entry["message"] == "polling for updates failed"]
    assert len(failures) == 2
    assert all("Traceback (most recent call last)" in entry["exception"] for entry in failures)
    assert all("/bot***/getUpdates" in entry["exception"] for entry in failures)
