"""Write the pictures of docs/huong-dan.md: a new office's week in the terminal demo (the same core as
Telegram and Zalo), each scene drawn as a chat, and the office's web page, as headless Chromium
(Debian's) shows them. Rerun after changing what the bot says or the page:

    .venv/bin/python scripts/chat_screenshots.py
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from playwright.async_api import Page, async_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import running  # noqa: E402
from bot.channels.console import ADMIN_ID, CHANNEL, ConsoleChat  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.web.site import start_page  # noqa: E402
from scheduler.clock import FakeClock  # noqa: E402
from scheduler.ratelimit import Limits  # noqa: E402

OUT = ROOT / "docs" / "huong-dan"
# Each scene: the picture's name, then what the office (or, after `/as <unit>`, that unit's official) types.
SCENES: list[tuple[str, list[str]]] = [
    (
        "1-thiet-lap",
        [
            "/start",
            "/vanphong cấp trên = UBND phường Mỹ Hào; cơ quan = Văn phòng HĐND và UBND; địa danh = Mỹ Hào",
            "/themdonvi Phòng Kinh tế, Hạ tầng và Đô thị; phòng",
            "/themdonvi Phòng Văn hóa - Xã hội; phòng",
        ],
    ),
    ("2-moi", ["/moi Văn hóa", "/as Văn hóa", "/dangky {code}", "/as"]),
    ("3-giao", ["/giao tất cả; trước ngày 10/12/2026; Báo cáo kết quả chuyển đổi số năm 2026", "1"]),
    ("4-nhac-va-tra-loi", ["/time 2026-12-08 08:00", "/as Văn hóa", "1", "/as"]),
    ("5-tong-hop-thu-hai", ["/time 2026-12-14 09:00", "/quahan"]),
]
STYLE = """
body { font: 15px/1.45 "DejaVu Sans", sans-serif; background: #e7ebf0; margin: 0; padding: 16px; width: 640px; }
.msg { max-width: 86%; padding: 8px 12px; border-radius: 12px; margin: 6px 0; white-space: pre-wrap; }
.me { background: #d9f7c8; margin-left: auto; }
.bot { background: #fff; }
.who { font-size: 12px; color: #667; margin: 10px 0 0; }
.me + .who, .who.me-side { text-align: right; }
"""


async def play(chat: ConsoleChat, out: list[str], line: str) -> str:
    del out[:]
    await chat.say(line)
    return "\n".join(out).strip()


def bubbles(exchanges: list[tuple[str, str, str]]) -> str:
    parts = []
    for who, said, answer in exchanges:
        if not said.startswith("/time") and not said.startswith("/as"):
            parts.append(f'<p class="who me-side">{html.escape(who)}</p><div class="msg me">{html.escape(said)}</div>')
        elif said.startswith("/time"):
            parts.append(f'<p class="who">⏩ {html.escape(said.removeprefix("/time").strip())}</p>')
        if answer and not said.startswith("/as"):
            parts.append(f'<div class="msg bot">{html.escape(answer)}</div>')
    return f"<!doctype html><meta charset=utf-8><style>{STYLE}</style>{''.join(parts)}"


async def shoot(page: Page, document: str, name: str) -> None:
    await page.set_content(document)
    await page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(database_url=f"sqlite:///{folder}/shot.db", plan="", web_port=0)
        clock = FakeClock(datetime(2026, 12, 7, 1, 0, tzinfo=UTC))  # 08:00, Monday 07/12/2026
        out: list[str] = []
        async with running(settings, clock=clock, extra_admins=frozenset({f"{CHANNEL}:{ADMIN_ID}"})) as app:
            chat = ConsoleChat(app.core, clock=clock, write=out.append)
            chat.reminders = app.reminders(chat, limits=Limits.off())
            server = await start_page(settings, app.core)
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                page = await browser.new_page(viewport={"width": 672, "height": 400})
                code, who = "", "Văn phòng"
                for name, lines in SCENES:
                    exchanges = []
                    for line in lines:
                        said = line.format(code=code)
                        answer = await play(chat, out, said)
                        if found := re.search(r"Mã: (\S+)", answer):
                            code = found.group(1)
                        if said.startswith("/as"):
                            who = said.removeprefix("/as").strip() or "Văn phòng"
                        exchanges.append((who, said, answer))
                    await shoot(page, bubbles(exchanges), name)
                await _web(browser, chat, out)
                await browser.close()
            await server.stop()
    print(f"wrote {OUT.relative_to(ROOT)}/*.png")


async def _web(browser: object, chat: ConsoleChat, out: list[str]) -> None:
    """The overview and the office's details, as the office sees them after /web."""
    link = re.search(r"http\S+/vao/\S+", await play(chat, out, "/web"))
    assert link, "no link"
    page = await browser.new_page(viewport={"width": 1100, "height": 700})  # type: ignore[attr-defined]
    await page.goto(link.group(0))
    await page.wait_for_selector("table.overview")
    await page.screenshot(path=str(OUT / "6-trang-web-tong-quan.png"), full_page=True)
    await page.goto(link.group(0).split("/vao/")[0] + "/office")
    await page.screenshot(path=str(OUT / "7-trang-web-thong-tin-van-phong.png"), full_page=True)


if __name__ == "__main__":
    asyncio.run(main())
