"""The terminal demo played line by line: each person's choices, the demo's clock, and Ctrl-C."""

from __future__ import annotations

import os
import pty
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import running
from bot.channels.console import ADMIN_ID, CHANNEL, ConsoleChat, LineReader
from bot.settings import Settings
from scheduler.clock import FakeClock
from scheduler.ratelimit import Limits
from tests.helpers import recorded

ROOT = Path(__file__).resolve().parents[2]


class Played:
    """A console chat whose output is kept, one `say` at a time."""

    def __init__(self, chat: ConsoleChat, out: list[str]) -> None:
        self.chat, self.out = chat, out

    async def say(self, text: str) -> str:
        del self.out[:]
        await self.chat.say(text)
        return "\n".join(self.out)


@pytest.fixture
async def console(settings: Settings, clock: FakeClock) -> AsyncIterator[Played]:
    out: list[str] = []
    async with running(settings, clock=clock, extra_admins=frozenset({f"{CHANNEL}:{ADMIN_ID}"})) as application:
        chat = ConsoleChat(application.core, clock=clock, write=out.append)
        chat.reminders = application.reminders(chat, limits=Limits.off())
        yield Played(chat, out)


async def _register(console: Played, unit: str) -> None:
    invited = await console.say(f"/moi {unit}")
    code = invited.split("Mã: ")[1].split()[0]
    await console.say(f"/as {unit}")
    assert "Đăng ký thành công" in await console.say(f"/dangky {code}")
    await console.say("/as")


async def test_each_person_keeps_their_choices_until_they_answer(console: Played) -> None:
    await _register(console, "Nội vụ")
    reminded = await console.say("/time 2025-01-03 08:00")  # the plan's "7 days before" comes to Nội vụ
    assert "[gửi Nội vụ] 🔔 Nhắc hạn báo cáo" in reminded
    assert "  [1] ✅ Đã nộp" in reminded  # numbered for Nội vụ, from 1
    # the admin speaks, and gets choices of their own: Nội vụ's are kept
    asked = await console.say("/moi Ph")
    assert "  [1] Phường Phan Đình Phùng" in asked
    assert "Lời mời đăng ký cho phường Phan Đình Phùng" in await console.say("1")  # the admin's own [1]
    await console.say("/donvi")
    await console.say("/as Nội vụ")
    done = await console.say("1")
    assert recorded(done).startswith(
        "Đã ghi nhận: Phòng Nội vụ, Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025: đã nộp"
    )
    # answered: Nội vụ's choices are spent, and a bare 1 is words again
    assert "[1]" not in done
    assert "Đã ghi nhận" not in await console.say("1")


async def test_time_alone_shows_the_clock_and_it_never_goes_back(console: Played, clock: FakeClock) -> None:
    assert await console.say("/time") == "Đồng hồ của bản chạy thử đang là 08:00 02/01/2025.\n"
    before = clock.now()
    backwards = await console.say("/time 2025-01-01 08:00")
    assert backwards == ("Đồng hồ của bản chạy thử chỉ chạy tới, không lùi lại được. Bây giờ là 08:00 02/01/2025.\n")
    assert clock.now() == before
    assert (await console.say("/time soon")).startswith("Đưa đồng hồ tới bằng /time +3d")
    assert await console.say("/time +2h") == "Đồng hồ của bản chạy thử đang là 10:00 02/01/2025.\n"


async def test_kenh_in_the_demo_speaks_vietnamese(console: Played) -> None:
    assert await console.say("/kenh fax") == "Gửi /kenh kèm một trong: dòng lệnh, hoặc tất cả.\n"
    chosen = await console.say("/kenh dòng lệnh")
    assert chosen == "Kênh của anh/chị: dòng lệnh. Lời nhắc gửi tới: dòng lệnh.\n"


async def test_lines_from_a_pipe_are_read_whole_and_decoded() -> None:
    """A pipe is read by the loop in chunks: a line or a letter split between chunks comes out whole."""
    reading, writing = os.pipe()
    with os.fdopen(reading, encoding="utf-8") as stream:
        lines = LineReader(stream)
        os.write(writing, "/as Nội".encode())
        os.write(writing, " vụ\nđ".encode()[:-1])  # "đ" is two bytes: its first one only
        first = await lines.readline()
        os.write(writing, "đ".encode()[-1:] + "ã nộp".encode())
        os.close(writing)
        assert (first, await lines.readline(), await lines.readline()) == ("/as Nội vụ\n", "đã nộp", "")


def test_ctrl_c_ends_the_demo_at_once_and_cleanly(tmp_path: Path) -> None:
    """A real process reading a terminal gets SIGINT, as Ctrl-C sends it: it ends without waiting for Enter."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-c", "from bot.cli import main; main()", "demo", "--at", "2025-01-02T07:00"]
    terminal, its_end = pty.openpty()  # a terminal for its input, as a person has: it shows a prompt
    with subprocess.Popen(
        command, cwd=tmp_path, env=env, stdin=its_end, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        os.close(its_end)
        try:
            assert "Admin> " in _read_until(process, "Admin> ", deadline=time.monotonic() + 30)
            os.write(terminal, "/as Nội vụ\n".encode())
            assert "Nội vụ> " in _read_until(process, "Nội vụ> ", deadline=time.monotonic() + 10)
            # The prompt is written just before it waits for the line; let it get there, as a person
            # pressing Ctrl-C at the prompt would.
            time.sleep(0.5)
            started = time.monotonic()
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=15)
            waited = time.monotonic() - started
            stderr = process.stderr.read().decode() if process.stderr else ""
        finally:
            os.close(terminal)
            if process.poll() is None:
                process.kill()
    assert waited < 5
    assert code == 130, stderr  # the shell's "ended by Ctrl-C", as typer gives it
    assert "Traceback" not in stderr
    assert "Aborted" not in stderr


def _read_until(process: subprocess.Popen[bytes], marker: str, *, deadline: float) -> str:
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    seen = b""
    while marker.encode() not in seen and time.monotonic() < deadline:
        if selector.select(timeout=0.2):
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            seen += chunk
    selector.close()
    return seen.decode("utf-8", "replace")
