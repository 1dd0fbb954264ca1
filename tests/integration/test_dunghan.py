"""`/dunghan`: the on-time record an office rates its units by (issue 25).

On the shipped plan: Phường Phan Đình Phùng sends the 2025 plan on its legal last day (09/01), Phường
Bần Yên Nhân on 13/01 (2 working days late), Phường Nhân Hòa is exempted by the office (/dong … miễn),
Phường Dị Sử's report is closed by the office, and the other units send nothing.
"""

from __future__ import annotations

import pytest

from bot.app import App
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers import say, text_of
from tests.integration.test_reminders import local, register

LAN, MINH = 2201, 2202
PLAN = "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025"


async def _january(app: App, clock: FakeClock) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, LAN, "Bần Yên Nhân", name="Lan")
    await register(app, MINH, "Phan Đình Phùng", name="Minh")
    clock.set(local(2025, 1, 9, 9, 0))
    await say(app, MINH, "đã nộp kế hoạch năm 2025", name="Minh")
    assert "Đã miễn" in text_of(await say(app, ADMIN_ID, "/dong Nhân Hòa: kế hoạch miễn"))
    await say(app, ADMIN_ID, "/dong Dị Sử: kế hoạch")
    clock.set(local(2025, 1, 13, 9, 0))
    await say(app, LAN, "đã nộp kế hoạch năm 2025 rồi ạ", name="Lan")
    clock.set(local(2025, 1, 20, 9, 0))


async def test_the_units_best_first_and_those_that_sent_nothing_last(app: App, clock: FakeClock) -> None:
    await _january(app, clock)
    lines = text_of(await say(app, ADMIN_ID, "/dunghan tháng 1/2025")).splitlines()
    assert lines[0] == "📈 Nộp đúng hạn tháng 1/2025: 1/23 báo cáo (4%)"  # 24 units, Nhân Hòa exempted
    assert lines[1] == "Phường Phan Đình Phùng: 1/1 đúng hạn (100%)"
    assert lines[2] == "Phường Bần Yên Nhân: 0/1 đúng hạn (0%), 1 nộp muộn"
    assert "Phường Dị Sử: 0/1 đúng hạn (0%), 1 chưa nộp" in lines[3:]  # closed by the office: not sent
    assert all(line.endswith("1 chưa nộp") for line in lines[3:])
    assert not any("Nhân Hòa" in line for line in lines)  # exempted: counts in neither


@pytest.mark.parametrize(
    ("words", "head"),
    [
        ("", "📈 Nộp đúng hạn năm 2025 (đến 20/01): 1/23 báo cáo (4%)"),
        ("quý 1/2025", "📈 Nộp đúng hạn quý 1/2025: 1/23 báo cáo (4%)"),
        ("6 tháng đầu năm 2025", "📈 Nộp đúng hạn 6 tháng đầu năm 2025: 1/23 báo cáo (4%)"),
        ("9 tháng 2025", "📈 Nộp đúng hạn 9 tháng đầu năm 2025: 1/23 báo cáo (4%)"),
        ("năm 2025", "📈 Nộp đúng hạn năm 2025: 1/23 báo cáo (4%)"),
    ],
)
async def test_each_period_word(app: App, clock: FakeClock, words: str, head: str) -> None:
    await _january(app, clock)
    assert text_of(await say(app, ADMIN_ID, f"/dunghan {words}")).splitlines()[0] == head


async def test_a_month_without_reports(app: App, clock: FakeClock) -> None:
    await _january(app, clock)
    assert (
        text_of(await say(app, ADMIN_ID, "/dunghan tháng 12/2024"))
        == "Không có báo cáo nào đến hạn trong tháng 12/2024."
    )


async def test_one_units_reports(app: App, clock: FakeClock) -> None:
    await _january(app, clock)
    lines = text_of(await say(app, ADMIN_ID, "/dunghan Bần Yên Nhân")).splitlines()
    assert lines[1] == "Phường Bần Yên Nhân: 0/1 đúng hạn (0%), 1 nộp muộn"
    assert lines[2] == f"• {PLAN} (09/01/2025): đã nộp muộn 2 ngày làm việc"
    assert text_of(await say(app, ADMIN_ID, "/dunghan Nhân Hòa tháng 1/2025")).endswith(
        f"• {PLAN} (09/01/2025): được miễn (không tính)"
    )


async def test_an_official_sees_their_own_unit(app: App, clock: FakeClock) -> None:
    await _january(app, clock)
    mine = text_of(await say(app, MINH, "/dunghan", name="Minh"))
    assert "Phường Phan Đình Phùng: 1/1 đúng hạn (100%)" in mine
    assert "Bần Yên Nhân" not in mine
    other = text_of(await say(app, MINH, "/dunghan Bần Yên Nhân", name="Minh"))
    assert "Phường Phan Đình Phùng: 1/1 đúng hạn (100%)" in other
    assert "Phường Bần Yên Nhân:" not in other


@pytest.mark.parametrize(
    ("words", "sentence"),
    [
        ("quý 5", "Một năm có bốn quý: viết quý 1 đến quý 4, ví dụ /dunghan quý 4/2026."),
        ("tháng 13/2026", "“tháng 13/2026” không phải kỳ nào"),
        ("quý 1/2026", "Quý 1/2026 chưa bắt đầu: chưa có báo cáo nào đến hạn. Hãy hỏi một kỳ đã bắt đầu."),
        ("Phường Không Có", "Không có đơn vị nào tên “Phường Không Có”: /donvi liệt kê các đơn vị."),
        ("Bần Yên Nhân quý 5", "Một năm có bốn quý"),
    ],
)
async def test_bad_input_gets_one_clear_sentence(app: App, clock: FakeClock, words: str, sentence: str) -> None:
    await _january(app, clock)
    assert text_of(await say(app, ADMIN_ID, f"/dunghan {words}")).startswith(sentence)


async def test_the_months_first_digest_says_the_month_before(app: App, clock: FakeClock) -> None:
    from datetime import timedelta

    from tests.fakes.sender import FakeSender
    from tests.integration.test_reminders import fake_time_limiter, run_until

    await _january(app, clock)
    clock.set(local(2025, 2, 2, 20, 0))
    sender = FakeSender(clock=clock.now)
    service = app.reminders(sender, limiter=fake_time_limiter(clock))
    await run_until(service, clock, local(2025, 2, 3, 9, 0), step=timedelta(minutes=30))
    monday = next(d for d in sender.delivered if d.message.step == "week-20250203")
    text = (await app.core.render_reminder(monday.message)).text
    line = text.splitlines()[-1]
    assert line.startswith(
        "📈 Nộp đúng hạn tháng 1/2025: 1/28 báo cáo (4%); thấp nhất: "
    )  # and the monthly report of 5 phòng
    assert "Phường Phan Đình Phùng" not in line
    assert line.count("(0%)") == 3
