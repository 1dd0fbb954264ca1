"""Reminders under a fake clock, from the outbox to a recording sender."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.app import App
from scheduler.clock import FakeClock
from scheduler.ratelimit import Limits, RateLimiter
from scheduler.runner import ReminderService
from scheduler.sending import RetryLater, Transient, Unreachable
from storage.models import ChannelAccount, Reminder
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import code_in, recorded, say, text_of

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICIAL, HEAD, NOI_VU = 2002, 2003, 2004


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ).astimezone(UTC)  # type: ignore[misc]


async def register(app: App, user: int, unit: str, role: str = "official", name: str = "Cán bộ") -> None:
    code = code_in(await say(app, ADMIN_ID, f"/moi {unit} {role}"))
    assert "Đăng ký thành công" in text_of(await say(app, user, f"/dangky {code}", name=name))


def fake_time_limiter(clock: FakeClock) -> RateLimiter:
    """Telegram's limits, counted on the fake clock: a retry_after pause costs no real time."""

    async def no_wait(_seconds: float) -> None:
        return None

    return RateLimiter(Limits(), monotonic=lambda: clock.now().timestamp(), sleep=no_wait)


async def run_until(service: ReminderService, clock: FakeClock, end: datetime, step: timedelta = timedelta(hours=1)):  # type: ignore[no-untyped-def]
    """Wake up every `step` as the service would, until `end`."""
    while clock.now() < end:
        clock.advance(step)
        await service.tick()


def local_times(sender: FakeSender, chat: int) -> list[tuple[str, datetime]]:
    return [(d.message.step, d.at.astimezone(TZ)) for d in sender.delivered if d.message.chat_id == str(chat)]


async def test_the_ladder_reaches_the_official_the_head_and_the_office(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await say(app, ADMIN_ID, "/toi")  # the admin's account, to receive the office's copy
    await register(app, OFFICIAL, "Bần Yên Nhân")
    await register(app, HEAD, "Bần Yên Nhân", "head")
    await service.tick()
    await run_until(service, clock, local(2025, 1, 22, 0, 0))
    assert local_times(sender, OFFICIAL) == [
        ("-7d", datetime(2025, 1, 2, 8, 0, tzinfo=TZ)),
        ("-3w", datetime(2025, 1, 6, 8, 0, tzinfo=TZ)),
        ("-1w", datetime(2025, 1, 8, 8, 0, tzinfo=TZ)),
        ("0", datetime(2025, 1, 9, 8, 0, tzinfo=TZ)),
        ("+1w", datetime(2025, 1, 10, 8, 0, tzinfo=TZ)),
        ("+3w", datetime(2025, 1, 14, 8, 0, tzinfo=TZ)),
        ("+7w", datetime(2025, 1, 20, 8, 0, tzinfo=TZ)),
    ]
    assert local_times(sender, HEAD) == [("+1w", datetime(2025, 1, 10, 8, 0, tzinfo=TZ))]
    office = [m for m in sender.to(ADMIN_ID) if m.audience == "office"]  # digests aside
    assert [m.step for m in office] == ["+3w"]  # one message for every late unit, not one each
    assert len(office[0].late_units) == 24  # 13 xã/phường, 11 phòng
    assert "Phường Bần Yên Nhân" in office[0].late_units
    first = sender.to(OFFICIAL)[0]
    assert (first.duty_title, first.working_days_left) == ("Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025", 5)
    assert [m.working_days_left for m in sender.to(OFFICIAL)] == [5, 3, 1, 0, -1, -3, -7]


async def test_no_message_on_days_off_or_at_night(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, NOI_VU, "Nội vụ")
    await run_until(service, clock, local(2025, 2, 6, 0, 0))  # January and Tết
    assert len(sender.delivered) > 10
    for delivery in sender.delivered:
        moment = delivery.at.astimezone(TZ)
        assert app.core.calendar.is_working_day(moment.date()), moment
        assert (7, 30) <= (moment.hour, moment.minute) < (20, 0), moment


async def test_the_monthly_report_recurs_on_the_20th(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, NOI_VU, "Nội vụ")
    await run_until(service, clock, local(2025, 3, 1, 0, 0), step=timedelta(hours=4))
    monthly = [m for m in sender.to(NOI_VU) if m.duty_title.startswith("Báo cáo tháng")]
    last_days = [(m.aim_day, m.legal_last_day) for m in monthly if m.step == "0"]
    # 20/1 is a Monday: aim for Friday 17, but X−1 is a Sunday, so legally the Monday itself
    assert last_days == [(date(2025, 1, 17), date(2025, 1, 20)), (date(2025, 2, 19), date(2025, 2, 19))]
    assert {(m.period_start.isoformat(), m.period_end.isoformat()) for m in monthly if m.aim_day.month == 2} == {
        ("2025-01-15", "2025-02-14")
    }


async def test_reporting_done_ends_the_reminders(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân")
    await register(app, 2005, "Bần Yên Nhân", name="Đồng nghiệp")
    await service.tick()
    await run_until(service, clock, local(2025, 1, 6, 9, 0))
    reminder = sender.to(OFFICIAL)[-1]
    confirmation = text_of(await say(app, OFFICIAL, f"/baocao {reminder.reminder_id} done"))
    assert recorded(confirmation).startswith("Đã ghi nhận: Phường Bần Yên Nhân, Kế hoạch triển khai")
    assert confirmation.startswith("Đã ghi nhận (09:00 ngày 06/01/2025)")
    await run_until(service, clock, local(2025, 1, 22, 0, 0))
    assert sender.steps_to(OFFICIAL) == ["-7d", "-3w"]
    assert sender.steps_to(2005) == ["-7d", "-3w"]  # the whole unit is done, not one person


async def test_after_downtime_only_the_latest_step_is_sent_once(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân")
    clock.set(local(2025, 1, 8, 9, 30))  # the service was down from 2/1 08:00
    await service.tick()
    await service.tick()
    assert sender.steps_to(OFFICIAL) == ["-1w"]
    await run_until(service, clock, local(2025, 1, 9, 12, 0))
    assert sender.steps_to(OFFICIAL) == ["-1w", "0"]


async def test_a_restart_in_the_middle_of_a_fan_out_loses_nothing_and_sends_nothing_twice(
    app: App, clock: FakeClock
) -> None:
    users = list(range(7000, 7040))
    for user in users:
        await register(app, user, "Bần Yên Nhân", name=f"CB {user}")
    gate = asyncio.Event()
    first = FakeSender(clock=clock.now, gate=gate)
    service = app.reminders(first, limits=Limits.off())
    await service.planner.plan(clock.now())
    run = asyncio.create_task(service.dispatcher.dispatch_due())
    await first.until_attempts(1)
    service.dispatcher.stop()  # Ctrl+C while a send is in flight
    gate.set()
    await run
    assert len(first.delivered) == 1

    second = FakeSender(clock=clock.now)
    restarted = app.reminders(second, limits=Limits.off())
    await restarted.tick()
    chats = Counter(d.message.chat_id for d in first.delivered + second.delivered)
    assert set(chats) == {str(user) for user in users}
    assert set(chats.values()) == {1}


async def test_a_crash_mid_send_is_recovered_when_the_lease_expires(app: App, clock: FakeClock) -> None:
    users = list(range(7100, 7110))
    for user in users:
        await register(app, user, "Dị Sử", name=f"CB {user}")
    gate = asyncio.Event()
    crashed = FakeSender(clock=clock.now, gate=gate)
    service = app.reminders(crashed, limits=Limits.off())
    await service.planner.plan(clock.now())
    run = asyncio.create_task(service.dispatcher.dispatch_due())
    await crashed.until_attempts(1)  # all ten were claimed before the first send
    run.cancel()  # cancelled mid-send (a stop that could not wait): the nine not begun are handed back
    with pytest.raises(asyncio.CancelledError):
        await run
    assert crashed.delivered == []
    in_flight = int(crashed.attempts[0].chat_id)

    survivor = FakeSender(clock=clock.now)
    restarted = app.reminders(survivor, limits=Limits.off())
    await restarted.tick()
    # The one in flight, of unknown fate, stays claimed while its claimer lives (SQLite: this process);
    # on PostgreSQL the cancelled pass let go of its claimer's lock, so it goes at once too.
    assert set(users) - {in_flight} <= {int(d.message.chat_id) for d in survivor.delivered}
    clock.advance(timedelta(minutes=3))  # ...or when its lease runs out
    await restarted.tick()
    assert sorted(int(m.chat_id) for m in (d.message for d in survivor.delivered)) == users  # ...and once


async def test_a_blocked_official_is_marked_unreachable_with_the_reason(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân")
    sender.failures[str(OFFICIAL)] = [Unreachable("Forbidden: bot was blocked by the user", code="blocked")]
    await service.tick()
    assert sender.delivered == []
    async with app.sessions() as session:
        account = (await session.exec(select(ChannelAccount).where(ChannelAccount.user_id == str(OFFICIAL)))).one()
        reminder = (await session.exec(select(Reminder))).one()
    assert account.unreachable_reason == "blocked"  # a code: the office reads it in its own words
    assert (reminder.status, reminder.last_error) == ("undeliverable", "Forbidden: bot was blocked by the user")
    unit = text_of(await say(app, ADMIN_ID, "/donvi Bần Yên Nhân"))
    assert "không liên lạc được: đã chặn bot" in unit
    assert "Forbidden" not in unit


async def test_network_errors_are_retried_with_backoff_and_sent_once(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân")
    sender.failures[str(OFFICIAL)] = [Transient("Bad Gateway"), Transient("timed out"), RetryLater(5)]
    await service.tick()
    for _ in range(10):
        clock.advance(timedelta(seconds=10))
        await service.tick()
    assert sender.steps_to(OFFICIAL) == ["-7d"]
    assert len(sender.attempts) == 4
    async with app.sessions() as session:
        reminder = (await session.exec(select(Reminder))).one()
    assert (reminder.status, reminder.attempts) == ("sent", 3)  # a 429 does not count as a failed attempt


async def test_planning_twice_or_on_two_instances_writes_each_reminder_once(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân")
    other = app.reminders(FakeSender(clock=clock.now), limits=Limits.off())
    counts = await asyncio.gather(service.planner.plan(clock.now()), other.planner.plan(clock.now()))
    assert sum(counts) == 1
    assert await service.planner.plan(clock.now()) == 0
    await asyncio.gather(service.dispatcher.dispatch_due(), other.dispatcher.dispatch_due())
    assert len(sender.delivered) + len(other.dispatcher.sender.delivered) == 1  # type: ignore[attr-defined]


async def test_snooze_brings_the_reminder_back_later(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân")
    await service.tick()
    reminder = sender.to(OFFICIAL)[0]
    question = await say(app, OFFICIAL, f"/baocao {reminder.reminder_id} later")
    assert text_of(question) == "Anh/chị muốn được nhắc lại khi nào?"
    assert [b.data for b in question.replies[0].buttons[0]] == [
        f"/baocao {reminder.reminder_id} 2h",
        f"/baocao {reminder.reminder_id} tomorrow",
    ]
    answer = text_of(await say(app, OFFICIAL, f"/baocao {reminder.reminder_id} 2h"))
    assert answer == "Hệ thống sẽ nhắc lại lúc 10:00 02/01/2025."
    await run_until(service, clock, local(2025, 1, 2, 11, 0), step=timedelta(minutes=15))
    assert [(d.message.step, d.at.astimezone(TZ).hour) for d in sender.delivered] == [
        ("-7d", 8),
        ("later-202501020300", 10),
    ]


async def test_someone_else_cannot_report_for_a_unit(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân")
    await register(app, NOI_VU, "Nội vụ")
    await service.tick()
    reminder = sender.to(OFFICIAL)[0]
    assert text_of(await say(app, NOI_VU, f"/baocao {reminder.reminder_id} done")) == (
        "Chỉ cán bộ của phường Bần Yên Nhân và Văn phòng được báo cáo cho đơn vị này."
    )
    assert text_of(await say(app, 9999, f"/baocao {reminder.reminder_id} done")).startswith("Anh/chị chưa đăng ký")
    assert text_of(await say(app, OFFICIAL, "/baocao 999999 done")).startswith("Không tìm thấy lời nhắc này")
    assert text_of(await say(app, OFFICIAL, "/baocao nonsense")).startswith("Hãy bấm nút dưới lời nhắc")
    assert text_of(await say(app, OFFICIAL, f"/baocao {reminder.reminder_id} 🙂")).startswith("Hãy bấm nút")
    mine, told = (await say(app, ADMIN_ID, f"/baocao {reminder.reminder_id} in_progress")).replies
    assert mine.text.endswith("(Văn phòng ghi nhận)")
    assert told.chat_id == str(OFFICIAL)  # the unit's official learns what the office recorded
    assert told.text.startswith("Văn phòng đã ghi nhận cho phường Bần Yên Nhân")


async def test_the_calendar_view(app: App, clock: FakeClock) -> None:
    await register(app, NOI_VU, "Nội vụ")
    mine = text_of(await say(app, NOI_VU, "/lich"))
    assert mine.startswith("Các hạn của Phòng Nội vụ đến 03/03/2025:")
    assert "trước ngày 10/01/2025 (thứ Sáu)\nHạn chót theo quy định: hết ngày 09/01/2025 (thứ Năm)" in mine
    assert "Lịch nhắc: 08:00 02/01/2025, 08:00 06/01/2025" in mine
    assert "trước ngày 20/01/2025 (thứ Hai)" in mine
    everyone = text_of(await say(app, ADMIN_ID, "/lich"))
    assert everyone.startswith("Các hạn đến 03/03/2025, mọi đơn vị:")
    assert "24 đơn vị" in everyone
    assert "5 đơn vị" in everyone
    one = text_of(await say(app, ADMIN_ID, "/lich ban yen"))
    assert one.startswith("Các hạn của phường Bần Yên Nhân")
    assert "Báo cáo tháng" not in one
    assert text_of(await say(app, 9999, "/lich")).startswith("Anh/chị chưa đăng ký")


async def test_the_real_apscheduler_wakes_the_service(app: App, clock: FakeClock, sender: FakeSender) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân")
    service = app.reminders(sender, limits=Limits.off())
    service.plan_every = service.dispatch_every = 0.05
    service.start()
    try:
        await asyncio.wait_for(sender.arrived.wait(), timeout=10)
    finally:
        await service.stop()
    assert sender.steps_to(OFFICIAL) == ["-7d"]


async def test_a_duty_can_set_its_own_ladder_and_hour(database_url: str, tmp_path, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    from bot.app import running
    from bot.settings import SHIPPED_PLAN, load_settings

    plan = tmp_path / "plan.toml"
    text = SHIPPED_PLAN.read_text(encoding="utf-8").replace(
        'deadline = { kind = "once", date = 2025-01-10, inclusive = false }',
        'deadline = { kind = "once", date = 2025-01-10, inclusive = false }\nladder = ["-1w", "0>head"]\n'
        'remind_at = "14:30"',
    )
    plan.write_text(text, encoding="utf-8")
    settings = load_settings(database_url=database_url, admins=str(ADMIN_ID), plan=str(plan))
    async with running(settings, clock=clock) as app:
        await register(app, OFFICIAL, "Bần Yên Nhân")
        await register(app, HEAD, "Bần Yên Nhân", "head")
        sender = FakeSender(clock=clock.now)
        service = app.reminders(sender, limiter=fake_time_limiter(clock))
        await run_until(service, clock, local(2025, 1, 12, 0, 0), step=timedelta(minutes=30))
    assert local_times(sender, OFFICIAL) == [
        ("-1w", datetime(2025, 1, 8, 14, 30, tzinfo=TZ)),
        ("0", datetime(2025, 1, 9, 14, 30, tzinfo=TZ)),
    ]
    assert local_times(sender, HEAD) == [("0", datetime(2025, 1, 9, 14, 30, tzinfo=TZ))]


async def test_a_bad_ladder_in_the_plan_file_is_explained(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.settings import SHIPPED_PLAN
    from storage.plan_file import PlanError, read_plan

    plan = tmp_path / "plan.toml"
    text = SHIPPED_PLAN.read_text(encoding="utf-8").replace(
        'deadline = { kind = "once", date = 2025-01-10, inclusive = false }',
        'deadline = { kind = "once", date = 2025-01-10, inclusive = false }\nladder = ["a week before"]',
    )
    plan.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError, match=r"duties\.0\.ladder\.0: String should match pattern"):
        read_plan(plan)


async def test_a_ladder_step_given_twice_is_explained(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.settings import SHIPPED_PLAN
    from storage.plan_file import PlanError, read_plan

    plan = tmp_path / "plan.toml"
    text = SHIPPED_PLAN.read_text(encoding="utf-8").replace(
        'deadline = { kind = "once", date = 2025-01-10, inclusive = false }',
        'deadline = { kind = "once", date = 2025-01-10, inclusive = false }\nladder = ["+1w", "+1w>head"]',
    )
    plan.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError, match="a ladder step is given twice"):
        read_plan(plan)


async def test_one_person_on_two_channels_chooses_where_reminders_go(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân", name="Lan")
    code = text_of(await say(app, OFFICIAL, "/lienket")).split("/dangky ")[1].split()[0]
    linked = text_of(await say(app, "6ede9afa", f"/dangky {code}", channel="zalo", name="Lan Zalo"))
    assert linked.startswith("Đã liên kết. Anh/chị nhận tin của bot qua: Telegram, Zalo.")
    assert text_of(await say(app, "ffff0000", f"/dangky {code}", channel="zalo")).startswith("Lời mời này đã được")
    assert "Kênh đã liên kết: Telegram, Zalo" in text_of(await say(app, OFFICIAL, "/toi"))
    await service.tick()
    assert sorted(d.message.channel for d in sender.delivered if d.message.audience == "official") == [
        "telegram",
        "zalo",
    ]  # both, by default
    answer = text_of(await say(app, "6ede9afa", "/kenh zalo", channel="zalo"))
    assert answer == "Kênh của anh/chị: Telegram, Zalo. Lời nhắc gửi tới: Zalo."
    assert text_of(await say(app, OFFICIAL, "/kenh fax")).startswith("Gửi /kenh kèm một trong: telegram, zalo")
    clock.set(local(2025, 1, 6, 9, 0))
    await service.tick()
    mine = [d.message for d in sender.delivered if d.message.audience == "official"]
    assert [(m.step, m.channel) for m in mine[2:]] == [("-3w", "zalo")]
    assert text_of(await say(app, OFFICIAL, "/kenh all")).endswith("Lời nhắc gửi tới: mọi kênh đã liên kết.")
    assert text_of(await say(app, OFFICIAL, "/kenh zalo")).endswith("Lời nhắc gửi tới: Zalo.")
    assert text_of(await say(app, OFFICIAL, "/kenh tất cả")).endswith("Lời nhắc gửi tới: mọi kênh đã liên kết.")


async def test_a_pass_that_failed_does_not_break_the_passes_after_it(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The planner works a day's deadlines out in the session of the day's first pass; a write that
    failed later in that pass (the database away a moment) rolled the session back and expired them,
    and every pass of that day failed (issue 13, as the fuzz test found in the core's cache)."""
    from storage import outbox
    from storage.models import Unit

    async def refused(session, _rows):  # type: ignore[no-untyped-def]
        session.add(Unit(key="ban-yen-nhan", name="Bần Yên Nhân", short_name="Bần Yên Nhân", kind="phuong"))
        await session.flush()

    await register(app, OFFICIAL, "Bần Yên Nhân")
    with monkeypatch.context() as patched:
        patched.setattr(outbox, "add_reminders", refused)
        with pytest.raises(Exception, match=r"(?i)unique"):
            await service.tick()
    await service.tick()
    assert sender.steps_to(OFFICIAL) == ["-7d"]
