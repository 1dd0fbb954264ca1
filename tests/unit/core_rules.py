"""Helpers of tests/unit/test_core_rules.py: a town of the shipped plan on a FakeStore, a clock, and
the core on them; people who say things to it, each message one unit of work."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from bot.core.core import Core
from bot.core.types import Attachment, Incoming, Outcome
from scheduler.clock import FakeClock
from tests.fakes.seed import TZ, core_on, seed
from tests.fakes.store import FakeStore

START = datetime(2025, 1, 2, 1, 0, tzinfo=UTC)  # 08:00 on Thursday 2/1/2025 in Hà Nội
MONDAY = datetime(2025, 1, 6, 2, 0, tzinfo=UTC)  # 09:00: the plan (ke-hoach-2025) is due on Friday
ADMIN, BYN, STRANGER = 1, 2002, 9999
PLAN = "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025"
INVALID = "Mã mời không hợp lệ. Vui lòng kiểm tra lại, hoặc đề nghị Văn phòng gửi lời mời mới."
USED = "Lời mời này đã được sử dụng. Vui lòng đề nghị Văn phòng gửi lời mời mới."
NOT_REGISTERED = "Anh/chị chưa đăng ký. Vui lòng đề nghị Văn phòng gửi lời mời, rồi gửi /dangky <mã>."
INTERNAL = "Xin lỗi, hệ thống gặp lỗi nên chưa ghi nhận tin nhắn của anh/chị. Vui lòng thử lại sau ít phút."


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ).astimezone(UTC)


class Town:
    """The seeded plan's units on a FakeStore, a clock, and the core on them."""

    def __init__(self) -> None:
        self.fake = FakeStore()
        self.units = seed(self.fake)
        self.clock = FakeClock(START)
        self.core: Core = core_on(self.fake, self.clock)

    async def say(
        self,
        user: int | str,
        text: str,
        *,
        name: str = "Cán bộ",
        commits: int = 1,
        channel: str = "telegram",
        attachment: Attachment | None = None,
    ) -> Outcome:
        """A private message; the message commits `commits` times (one unit of work: once, or never)."""
        before = self.fake.commits
        incoming = Incoming(
            channel=channel, user_id=str(user), chat_id=str(user), text=text, display_name=name, attachment=attachment
        )
        outcome = await self.core.handle(incoming)
        assert self.fake.commits - before == commits, (text, text_of(outcome))
        return outcome

    async def text(self, user: int | str, text: str, **kwargs: Any) -> str:
        return text_of(await self.say(user, text, **kwargs))

    async def register(self, user: int, unit: str, *, name: str = "Cán bộ") -> None:
        code = code_in(await self.say(ADMIN, f"/moi {unit}"))
        assert (await self.text(user, f"/dangky {code}", name=name)).startswith("Đăng ký thành công")

    def updates(self) -> list[tuple[str, int | None, int]]:
        return [(u.status, u.percent, u.seq) for u in self.fake.tables.updates.values()]


def text_of(outcome: Outcome) -> str:
    return "\n".join(reply.text for reply in outcome.replies)


def code_in(outcome: Outcome) -> str:
    found = re.search(r"/dangky ([A-Z2-9]{10})", text_of(outcome))
    assert found, text_of(outcome)
    return found.group(1)
