"""Forged ids in commands and button data get a clear answer, never an internal error (issue 13).

`str.isdigit()` accepts "²" and "①", which `int()` refuses; ids past 2^31 overflow PostgreSQL's
integer columns and past 2^63 SQLite's. An id is parsed once, as ASCII digits within the columns'
range; anything else is "not found" or the command's usage.
"""

from __future__ import annotations

import pytest

from bot.app import App
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers import say, text_of
from tests.integration.test_reminders import OFFICIAL, register

INTERNAL = "Xin lỗi, hệ thống gặp lỗi"
FORGED = ["²", "①", "2²", "9223372036854775808", "2147483648", "-1", "0x10", "１２"]


@pytest.mark.parametrize("number", FORGED)
async def test_forged_ids_are_answered(app: App, clock: FakeClock, number: str) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, OFFICIAL, "Bần Yên Nhân")
    for user, command in [
        (OFFICIAL, f"/baocao {number} done"),
        (OFFICIAL, f"/ghi {number} 1 1"),
        (OFFICIAL, f"/ghi 1 {number} 1"),
        (ADMIN_ID, f"/giahan {number} yes"),
        (ADMIN_ID, f"/danhan {number}"),
        (ADMIN_ID, f"/huymoi {number}"),
        (ADMIN_ID, f"/thuhoi #{number}"),
        (ADMIN_ID, f"/moi Bần Yên Nhân {number} ngày"),  # found by the fuzz test
        (ADMIN_ID, f"/moi Bần Yên Nhân head {number}"),
    ]:
        answer = text_of(await say(app, user, command))
        assert answer, command
        assert not answer.startswith(INTERNAL), (command, answer)
