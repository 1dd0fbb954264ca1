"""No token on the terminal or in the logs, even from a server whose error page echoes the path (issue 13).

A Bot API server (or a proxy before it) that answers "Cannot POST /bot<token>/getMe" put the whole
token into the one-sentence start-up error. The real `nhacviec run` is started as a process against
such a server on loopback, for Telegram and for Zalo, and every printed line is searched.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from aiohttp import web

TELEGRAM_TOKEN = "123456789:AAHsecretSECRETsecretSECRETsecret00"
ZALO_TOKEN = "zalo0secret0SECRET0secret0SECRET0abc"


async def _echoing_server() -> tuple[web.AppRunner, int]:
    async def echo(request: web.Request) -> web.Response:
        return web.Response(status=404, text=f"Cannot {request.method} {request.path}")

    application = web.Application()
    application.router.add_route("*", "/{tail:.*}", echo)
    runner = web.AppRunner(application)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, port


@pytest.mark.parametrize(
    ("variables", "token"),
    [
        ({"NHACVIEC_TELEGRAM_TOKEN": TELEGRAM_TOKEN}, TELEGRAM_TOKEN),
        ({"NHACVIEC_ZALO_TOKEN": ZALO_TOKEN}, ZALO_TOKEN),
    ],
    ids=["telegram", "zalo"],
)
async def test_the_start_up_error_does_not_print_the_token(
    tmp_path: Path, variables: dict[str, str], token: str
) -> None:
    runner, port = await _echoing_server()
    try:
        env = {
            **os.environ,
            **variables,
            "NHACVIEC_TELEGRAM_API_URL": f"http://127.0.0.1:{port}",
            "NHACVIEC_ZALO_API_URL": f"http://127.0.0.1:{port}",
            "NHACVIEC_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        }
        process = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).with_name("nhacviec")), "run", "--verbose",
            env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        output, _ = await asyncio.wait_for(process.communicate(), timeout=45)
    finally:
        await runner.cleanup()
    printed = output.decode("utf-8", "replace")
    assert process.returncode != 0, printed
    assert "Cannot POST" in printed or "Cannot GET" in printed or "404" in printed, printed
    assert token not in printed
    assert token.split(":")[-1] not in printed  # nor its secret part alone
