"""The office's summary and the late list on a dataset with every status and every way to be unreachable."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import update

from bot.app import App
from bot.core.types import Attachment
from scheduler.clock import FakeClock
from storage.models import ChannelAccount
from tests.conftest import ADMIN_ID
from tests.helpers import say, text_of
from tests.integration.test_reminders import register

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ).astimezone(UTC)  # type: ignore[misc]


async def seed(app: App, clock: FakeClock) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    people = {
        3001: ("Bần Yên Nhân", "Lan"),
        3002: ("Phan Đình Phùng", "Minh"),
        3003: ("Nhân Hòa", "Hoa"),
        3004: ("Dị Sử", "Tùng"),
        3005: ("Bạch Sam", "Hải"),
        3006: ("Minh Đức", "Đức"),
        3007: ("Phùng Chí Kiên", "Kiên"),
    }
    for user, (unit, name) in people.items():
        await register(app, user, unit, name=name)
    clock.set(local(2025, 1, 8, 9, 0))
    outcome = await say(app, 3001, "Kế hoạch", attachment=Attachment("document", "F1", "KH.pdf"), name="Lan")
    await say(app, ADMIN_ID, outcome.replies[1].buttons[0][0].data, name="Văn phòng")  # received
    await say(app, 3002, "60%, dự kiến 15/1", name="Minh")
    await say(app, 3003, "đang trình ký lãnh đạo", name="Hoa")
    await say(app, 3004, "ko co sl", name="Tùng")
    await say(app, 3005, "xin lùi 3 ngày", name="Hải")
    async with app.sessions() as session:  # Kiên blocked the bot: a reminder found out
        statement = update(ChannelAccount).where(ChannelAccount.user_id == "3007")
        await session.exec(statement.values(unreachable_reason="Forbidden: bot was blocked by the user"))
        await session.commit()


async def test_the_summary_groups_every_unit(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    clock.set(local(2025, 1, 8, 15, 0))
    text = text_of(await say(app, ADMIN_ID, "/tonghop"))
    plan = text.split("\n\n")[0].splitlines()
    assert plan[0] == (
        "📊 Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025, hạn trước ngày 10/01/2025 (thứ Sáu): "
        "1/24 đơn vị đã nộp"  # 13 xã/phường, 11 phòng
    )
    assert plan[1] == "Hạn chót theo quy định: hết ngày 09/01/2025 (thứ Năm)"
    assert plan[2:10] == [
        "✅ Đã nộp (1):",
        "• Phường Bần Yên Nhân — 09:00 08/01/2025, đã nhận, đúng hạn",
        "⏳ Đang thực hiện (1):",
        "• Phường Phan Đình Phùng — đang thực hiện 60%, dự kiến xong 15/01/2025",
        "✍️ Chờ ký (1):",
        "• Phường Nhân Hòa — chờ ký",
        "📭 Chưa có số liệu (1):",
        "• Phường Dị Sử — chưa có số liệu",
    ]
    assert plan[10:14] == [
        "📅 Xin gia hạn (1):",
        "• Phường Bạch Sam — xin gia hạn, đến hết ngày 14/01/2025",
        "❔ Chưa cập nhật (1):",
        "• Phường Minh Đức",
    ]
    assert plan[14] == "🚫 Chưa có cán bộ đăng ký nhận nhắc (17):"  # apart from the one that cannot be reached
    assert "🚫 Không liên lạc được (1):" in plan
    assert "• Phường Phùng Chí Kiên — Forbidden: bot was blocked by the user" in plan
    assert "• Xã Cẩm Xá" in plan
    assert "• Phòng Nội vụ" in plan


async def test_who_can_be_reached_is_worked_out_again_when_the_audience_changes(app: App, clock: FakeClock) -> None:
    """The summary keeps the units nobody can reach between calls; a block, a new official or a
    revoked one moves the database's audience revision, and the next summary sees it."""
    await seed(app, clock)
    clock.set(local(2025, 1, 8, 15, 0))

    def unreachable(text: str) -> str:  # nobody registered, and cannot be reached: the two groups together
        first = text.split("\n\n📊")[0].splitlines()  # the first report's groups
        counts = [int(line.rsplit("(", 1)[1].rstrip("):")) for line in first if line.startswith("🚫")]
        return f"🚫 Không liên lạc được ({sum(counts)}):"

    assert unreachable(text_of(await say(app, ADMIN_ID, "/tonghop"))) == "🚫 Không liên lạc được (18):"
    async with app.sessions() as session:  # Đức blocks the bot: Minh Đức can no longer be reached
        statement = update(ChannelAccount).where(ChannelAccount.user_id == "3006")
        await session.exec(statement.values(unreachable_reason="Forbidden: bot was blocked by the user"))
        await session.commit()
    text = text_of(await say(app, ADMIN_ID, "/tonghop"))
    assert unreachable(text) == "🚫 Không liên lạc được (19):"
    assert "• Phường Minh Đức — Forbidden: bot was blocked by the user" in text
    await register(app, 3008, "Minh Đức", name="Đức 2")  # a colleague registers for Minh Đức
    text = text_of(await say(app, ADMIN_ID, "/tonghop"))
    assert unreachable(text) == "🚫 Không liên lạc được (18):"
    assert "• Phường Minh Đức — Forbidden" not in text


async def test_narrowed_by_unit_or_duty_and_an_official_sees_only_their_unit(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    one = text_of(await say(app, ADMIN_ID, "/tonghop Dị Sử"))
    assert one.splitlines()[0].endswith(": 0/1 đơn vị đã nộp")
    assert "• Phường Dị Sử — chưa có số liệu" in one
    duty = text_of(await say(app, ADMIN_ID, "/tonghop ke-hoach-2025"))
    assert duty.startswith("📊 Kế hoạch triển khai")
    assert "\n\n" not in duty  # that duty only
    assert (
        text_of(await say(app, ADMIN_ID, "/tonghop xyz")) == "Không có báo cáo đang mở hay đơn vị nào khớp với “xyz”."
    )
    mine = text_of(await say(app, 3002, "/tonghop"))
    assert "Phan Đình Phùng" in mine
    assert "Bần Yên Nhân" not in mine
    assert text_of(await say(app, 9999, "/tonghop")).startswith("Anh/chị chưa đăng ký")
    assert text_of(await say(app, 3002, "/quahan")) == "Chỉ Văn phòng HĐND và UBND được dùng lệnh /quahan."


async def test_an_official_asking_for_another_unit_is_told_they_see_their_own(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    mine = text_of(await say(app, 3002, "/tonghop"))
    other = text_of(await say(app, 3002, "/tonghop Kinh tế"))
    assert other == (
        "Cán bộ đơn vị chỉ xem được tổng hợp của đơn vị mình. Dưới đây là tình hình của phường Phan Đình Phùng.\n"
        + mine
    )
    assert text_of(await say(app, 3002, "/tonghop Phan Đình Phùng")) == mine  # their own: nothing to say


async def test_the_late_list_puts_the_latest_first(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    clock.set(local(2025, 1, 8, 16, 0))
    assert text_of(await say(app, ADMIN_ID, "/quahan")) == "Không có đơn vị nào quá hạn."
    clock.set(local(2025, 1, 13, 9, 0))  # two working days after the last day, 9/1
    late = text_of(await say(app, ADMIN_ID, "/quahan")).splitlines()
    assert late[0] == "Các đơn vị quá hạn, theo từng báo cáo (báo cáo có hạn sớm nhất lên trước):"
    assert late[1].startswith(
        "📋 Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025 (hạn chót theo quy định 09/01/2025): "
    )
    assert late[1].endswith(" đơn vị, quá hạn 2 ngày làm việc")
    index = late.index("• Phường Phan Đình Phùng: quá hạn 2 ngày làm việc")
    assert (
        late[index + 1]
        == "  Minh (Telegram) · cập nhật cuối: đang thực hiện 60%, dự kiến xong 15/01/2025 (09:00 08/01/2025)"
    )
    assert not any("Bần Yên Nhân" in line for line in late)  # submitted
    assert "• Phường Bạch Sam: quá hạn 2 ngày làm việc" in late


async def test_one_unit_across_duties_keeps_the_history_of_the_units_merged_into_it(app: App, clock: FakeClock) -> None:
    await seed(app, clock)
    before = text_of(await say(app, ADMIN_ID, "/donvi Phan Đình Phùng"))
    assert "Cập nhật của phường Phan Đình Phùng (mới nhất lên trước):" in before
    assert "đang thực hiện 60%, dự kiến xong 15/01/2025 · Minh" in before
    clock.set(local(2025, 8, 4, 9, 0))  # after the merge of 1/7/2025
    after = text_of(await say(app, ADMIN_ID, "/donvi Mỹ Hào"))
    assert after.startswith("Phường Mỹ Hào")
    assert "Phường Mỹ Hào: chưa có cập nhật nào." in after
    assert "Cập nhật của phường Bần Yên Nhân (mới nhất lên trước):" in after  # merged into Mỹ Hào
    assert "Cập nhật của phường Phan Đình Phùng (mới nhất lên trước):" in after
    assert "Phường Dị Sử" not in after  # merged into Đường Hào, not Mỹ Hào


async def test_the_office_gets_a_monday_digest_and_one_at_16_on_a_last_day(app: App, clock: FakeClock) -> None:
    from datetime import timedelta

    from tests.fakes.sender import FakeSender
    from tests.integration.test_reminders import fake_time_limiter, run_until

    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, 3001, "Bần Yên Nhân", name="Lan")
    sender = FakeSender(clock=clock.now)
    service = app.reminders(sender, limiter=fake_time_limiter(clock))
    await run_until(service, clock, local(2025, 1, 13, 12, 0), step=timedelta(minutes=30))
    digests = [d for d in sender.delivered if d.message.audience == "digest"]
    assert [(d.message.step, d.at.astimezone(TZ).strftime("%d/%m %H:%M")) for d in digests] == [
        ("week-20250106", "06/01 08:00"),
        ("lastday", "09/01 16:00"),
        ("week-20250113", "13/01 08:00"),
    ]
    monday = await app.core.render_reminder(digests[0].message)
    assert monday.text.startswith("🗓 Tuần từ 06/01/2025 đến 12/01/2025\nCác hạn trong tuần:")
    assert (
        "• Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025: hạn chót theo quy định 09/01/2025, "
        "0/24 đơn vị đã nộp"
    ) in monday.text
    assert (
        "Các đơn vị quá hạn, theo từng báo cáo (báo cáo có hạn sớm nhất lên trước):" in monday.text
    )  # worded now (13/01): the plan is late
    last_day = await app.core.render_reminder(digests[1].message)
    assert last_day.text.startswith("⏳ Hôm nay là hạn gửi chậm nhất:\n📊 Kế hoạch triển khai")
    later = await app.core.render_reminder(digests[2].message)
    assert "Các đơn vị quá hạn, theo từng báo cáo (báo cáo có hạn sớm nhất lên trước):" in later.text
    assert not any(d.message.audience == "digest" for d in sender.delivered if d.message.chat_id == "3001")
