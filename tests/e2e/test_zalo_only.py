"""An office with no Telegram at all (issue 23): `nhacviec run` with a Zalo token only, a real process
against the fake Zalo Bot API server, played as the office and an official would."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.settings import SHIPPED_PLAN
from tests.e2e.instances import Instance
from tests.e2e.test_two_instances import free_ports
from tests.fakes.zalo_api import FakeZaloServer, FakeZaloUser

TOKEN = "zalo-token-123"
START = datetime(2025, 1, 13, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Monday, the first deadline past
NHACVIEC = Path(sys.executable).with_name("nhacviec")
LINK = re.compile(r"http://127\.0\.0\.1:\d+/tep/[\w-]{20,}")


@pytest.fixture
async def zalo_server() -> AsyncIterator[FakeZaloServer]:
    async with FakeZaloServer(token=TOKEN) as server:
        yield server


async def admin_invite(env: dict[str, str], folder: Path) -> str:
    """`nhacviec admin invite`, as whoever runs the bot types it: the code on its line `Mã: <CODE>`."""
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("NHACVIEC_")}
    process = await asyncio.create_subprocess_exec(
        str(NHACVIEC), "admin", "invite", env={**inherited, **env}, cwd=folder,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output = (await asyncio.wait_for(process.communicate(), timeout=60))[0].decode()
    assert process.returncode == 0, output
    found = re.search(r"^Mã: ([A-Z2-9]{10})$", output, re.MULTILINE)
    assert found, output
    return found.group(1)


async def ask(user: FakeZaloUser, text: str) -> str:
    await user.send(text)
    return str((await user.next_message(timeout=20))["text"])


async def until(user: FakeZaloUser, wanted: Callable[[str], bool]) -> str:
    """The next message to `user` that `wanted` says is the one (an answer may come in several)."""
    while not wanted(text := str((await user.next_message(timeout=20))["text"])):
        pass
    return text


async def download(url: str) -> tuple[int, bytes, str]:
    """The link opened as a browser would: its page, then its button (a POST)."""
    async with aiohttp.ClientSession() as client:
        async with client.get(url) as page:
            assert page.status == 200, await page.text()
        async with client.post(url) as response:
            return response.status, await response.read(), response.headers.get("Content-Disposition", "")


@pytest.mark.timeout(180)
async def test_an_office_runs_everything_on_zalo_alone(zalo_server: FakeZaloServer, tmp_path: Path) -> None:
    (port,) = free_ports(1)
    # a Zalo-only .env, as the README's quickstart writes it; the rest is the test's own
    (tmp_path / ".env").write_text(f"NHACVIEC_ZALO_TOKEN={TOKEN}\nNHACVIEC_ZALO_API_URL={zalo_server.root}\n")
    env = {
        "NHACVIEC_DATABASE_URL": f"sqlite:///{tmp_path / 'nhacviec.db'}",
        "NHACVIEC_PLAN": str(SHIPPED_PLAN),  # January 2025: the plan's first deadline is late, /congvan has a letter
        "NHACVIEC_WEB_HOST": "127.0.0.1",
        "NHACVIEC_WEB_PORT": str(port),
    }
    instance = await Instance.start("zalo", "127.0.0.1", env, START, tmp_path)
    try:
        await instance.until_printed("this instance polls zalo now", timeout=60)
        # the first admin, without looking up an id
        chanh = zalo_server.user(display_name="Trần Thị Chánh")
        welcome = await ask(chanh, f"/dangky {await admin_invite(env, tmp_path)}")
        assert welcome.startswith("Từ nay anh/chị là quản trị của Văn phòng HĐND và UBND"), welcome
        # an official, invited from Zalo
        invitation = await ask(chanh, "/moi Bần Yên Nhân")
        code = re.search(r"/dangky ([A-Z2-9]{10})", invitation)
        assert code, invitation
        lan = zalo_server.user(display_name="Lan")
        assert (await ask(lan, f"/dangky {code.group(1)}")).startswith("Đăng ký thành công")
        # a task, given by number
        preview = await ask(chanh, "/giao Bần Yên Nhân; trước 20/01/2025; Báo cáo rà soát biên chế năm 2025")
        assert preview.startswith("📝 Nhiệm vụ mới, đề nghị kiểm tra trước khi giao:")
        assert "Trả lời 1 = ✅ Giao, 2 = ❌ Hủy" in preview
        assert (await ask(chanh, "1")).startswith("✅ Đã giao nhiệm vụ cho 1 đơn vị")
        told = str((await lan.next_message(timeout=30))["text"])
        assert told.startswith("📌 Nhiệm vụ mới do Văn phòng giao"), told
        # the files, as links to the web page that download once
        for command, name, magic in (
            ("/xuat", ".xlsx", b"PK"),
            ("/congvan", ".docx", b"PK"),
            ("/bieudo", ".png", b"\x89PNG"),
        ):
            answer = await ask(chanh, command)
            link = LINK.search(answer)
            assert link, answer
            status, body, disposition = await download(link.group(0))
            assert status == 200, body[:300]
            assert body.startswith(magic)
            assert disposition.endswith(name)
            async with aiohttp.ClientSession() as client, client.post(link.group(0)) as again:
                assert again.status == 410
                assert "Liên kết này đã được dùng hoặc đã hết hạn" in await again.text()
        # the official answers with a photo: the report it answers is the task it was told of
        await lan.send_image("https://zalo-photo.example/ban-yen-nhan.jpg", caption="Đã gửi ạ")
        recorded = str((await lan.next_message(timeout=20))["text"])
        said = r"Đã ghi nhận \([^)]*\): Phường Bần Yên Nhân, Báo cáo rà soát biên chế năm 2025"
        assert re.match(said, recorded), recorded
        office_copy = await until(chanh, lambda text: "đã gửi Báo cáo rà soát biên chế năm 2025" in text)
        assert "Trả lời 1 = " in office_copy  # its "received" button, as a number
    finally:
        if instance.process.returncode is None:
            await instance.terminate()
    assert instance.process.returncode == 0, instance.printed
    assert TOKEN not in instance.printed
