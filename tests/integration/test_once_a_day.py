"""A reminder reaches a person once a day at most, whatever the ladder, the extensions and the audiences.

The first duty of the shipped plan is due "trước ngày 10/01/2025": its last day is Thursday 9/1, so its
ladder is 2/1 (-7d), 6/1 (-3w), 8/1 (-1w), 9/1 (0), 10/1 (+1w>head), 14/1 (+3w>office), 20/1 (+7w), at 08:00.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from sqlmodel import col, select

from bot.app import App, running
from bot.settings import SHIPPED_PLAN, load_settings
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from storage import outbox
from storage.models import Reminder
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import say, text_of
from tests.integration.test_reminders import TZ, fake_time_limiter, local, register, run_until

OFFICIAL, OTHER = 2002, 2005


def per_day(sender: FakeSender, chat: int | str) -> Counter[date]:
    """Messages about the units' reports (digests aside) that reached a chat, per local day."""
    return Counter(
        d.at.astimezone(TZ).date()
        for d in sender.delivered
        if d.message.chat_id == str(chat) and d.message.audience != "digest"
    )


def moments(sender: FakeSender, chat: int | str) -> list[tuple[str, datetime]]:
    return [
        (d.message.step, d.at.astimezone(TZ))
        for d in sender.delivered
        if d.message.chat_id == str(chat) and d.message.audience != "digest"
    ]


async def test_registering_a_minute_before_the_last_day_reminder_brings_that_one_only(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    clock.set(local(2025, 1, 9, 7, 59))  # the -1w step was yesterday at 08:00
    await register(app, OFFICIAL, "Bần Yên Nhân")
    await service.tick()
    assert moments(sender, OFFICIAL) == []  # the welcome already listed the deadline
    await run_until(service, clock, local(2025, 1, 9, 12, 0), step=timedelta(minutes=1))
    assert moments(sender, OFFICIAL) == [("0", datetime(2025, 1, 9, 8, 0, tzinfo=TZ))]


async def test_someone_who_joins_after_a_step_gets_the_next_step_not_that_one(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, OTHER, "Bần Yên Nhân", name="Đã có từ trước")
    clock.set(local(2025, 1, 6, 7, 0))
    await run_until(service, clock, local(2025, 1, 6, 10, 0))  # the -3w step went out at 08:00
    await register(app, OFFICIAL, "Bần Yên Nhân")  # 10:00
    await run_until(service, clock, local(2025, 1, 9, 12, 0))
    assert moments(sender, OFFICIAL) == [
        ("-1w", datetime(2025, 1, 8, 8, 0, tzinfo=TZ)),
        ("0", datetime(2025, 1, 9, 8, 0, tzinfo=TZ)),
    ]
    assert moments(sender, OTHER)[:1] == [("-3w", datetime(2025, 1, 6, 8, 0, tzinfo=TZ))]


async def test_a_channel_linked_after_a_step_does_not_bring_that_step_again(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân", name="Lan")
    clock.set(local(2025, 1, 6, 7, 0))
    await run_until(service, clock, local(2025, 1, 6, 10, 0))
    code = text_of(await say(app, OFFICIAL, "/lienket")).split("/dangky ")[1].split()[0]
    await say(app, "6ede9afa", f"/dangky {code}", channel="zalo", name="Lan Zalo")  # 10:00, -3w was at 08:00
    await run_until(service, clock, local(2025, 1, 8, 12, 0))
    assert moments(sender, OFFICIAL) == [
        ("-3w", datetime(2025, 1, 6, 8, 0, tzinfo=TZ)),
        ("-1w", datetime(2025, 1, 8, 8, 0, tzinfo=TZ)),
    ]
    assert moments(sender, "6ede9afa") == [("-1w", datetime(2025, 1, 8, 8, 0, tzinfo=TZ))]  # both channels: /kenh


async def test_an_extension_granted_after_the_days_reminder_brings_no_second_one_that_day(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, OFFICIAL, "Bần Yên Nhân")
    clock.set(local(2025, 1, 8, 7, 0))
    await run_until(service, clock, local(2025, 1, 8, 9, 0))  # -1w at 08:00
    request = (await say(app, OFFICIAL, "xin lùi 3 ngày")).replies[1]  # to 14/01: its -7d step is past
    await say(app, ADMIN_ID, request.buttons[0][0].data)
    await run_until(service, clock, local(2025, 1, 16, 0, 0))
    days = per_day(sender, OFFICIAL)
    assert days[date(2025, 1, 8)] == 1
    assert max(days.values()) == 1
    steps = [step for step, _at in moments(sender, OFFICIAL)]
    assert steps[0] == "-1w"
    assert "x01140" in steps  # the new last day still has its own reminder


async def test_the_official_who_is_also_the_head_gets_one_message_a_day(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân")
    await register(app, OFFICIAL, "Bần Yên Nhân", "head")
    await service.tick()
    await run_until(service, clock, local(2025, 1, 22, 0, 0))
    days = per_day(sender, OFFICIAL)
    assert max(days.values()) == 1
    assert sorted(days) == [date(2025, 1, d) for d in (2, 6, 8, 9, 10, 14, 20)]
    on_the_10th = [m for m in sender.to(OFFICIAL) if m.step == "+1w"]
    assert [m.audience for m in on_the_10th] == ["official"]  # the one with the buttons


async def test_two_steps_on_the_same_day_make_one_message(database_url: str, tmp_path, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    # "+2d" after the legal last day Thursday 9/1 is Saturday 11/1: a nudge moves later, to Monday 13/1
    # 07:30; "+2w" is Monday 13/1 08:00. (A reminder before the deadline moves earlier: issue 26.)
    plan = tmp_path / "plan.toml"
    text = SHIPPED_PLAN.read_text(encoding="utf-8").replace(
        'deadline = { kind = "once", date = 2025-01-10, inclusive = false }',
        'deadline = { kind = "once", date = 2025-01-10, inclusive = false }\nladder = ["-3w", "0", "+2d", "+2w"]',
    )
    plan.write_text(text, encoding="utf-8")
    settings = load_settings(database_url=database_url, admins=str(ADMIN_ID), plan=str(plan))
    async with running(settings, clock=clock) as app:
        await register(app, OFFICIAL, "Bần Yên Nhân")
        sender = FakeSender(clock=clock.now)
        service = app.reminders(sender, limiter=fake_time_limiter(clock))
        await run_until(service, clock, local(2025, 1, 14, 0, 0), step=timedelta(minutes=30))
    # the first written wins: it went out at 07:30, and a message sent cannot be taken back
    assert moments(sender, OFFICIAL) == [
        ("-3w", datetime(2025, 1, 6, 8, 0, tzinfo=TZ)),
        ("0", datetime(2025, 1, 9, 8, 0, tzinfo=TZ)),
        ("+2d", datetime(2025, 1, 13, 7, 30, tzinfo=TZ)),
    ]


async def test_the_office_gets_one_message_a_day_even_when_a_unit_reopens(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, OFFICIAL, "Bần Yên Nhân")
    clock.set(local(2025, 1, 13, 9, 0))
    await say(app, ADMIN_ID, "/capnhat Dị Sử: đã nộp")
    await run_until(service, clock, local(2025, 1, 14, 10, 0))  # +3w>office at 08:00, without Dị Sử
    await say(app, ADMIN_ID, "/capnhat Dị Sử: chưa có số liệu")  # the office corrects: not done after all
    await run_until(service, clock, local(2025, 1, 15, 0, 0))
    office = [m for m in sender.to(ADMIN_ID) if m.audience == "office"]
    assert len(office) == 1
    assert len(office[0].late_units) == 23  # the 24 of IV.1 (13 xã/phường, 11 phòng) but Dị Sử


async def test_a_snooze_until_tomorrow_is_the_reminder_of_tomorrow(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân")
    clock.set(local(2025, 1, 8, 7, 0))
    await run_until(service, clock, local(2025, 1, 8, 9, 0))
    reminder = sender.to(OFFICIAL)[-1]
    await say(app, OFFICIAL, f"/baocao {reminder.reminder_id} tomorrow")  # 08:00 on 9/1, with the step "0"
    await run_until(service, clock, local(2025, 1, 9, 12, 0), step=timedelta(minutes=15))
    assert per_day(sender, OFFICIAL)[date(2025, 1, 9)] == 1


async def test_the_person_who_chose_one_channel_and_then_all_is_not_reminded_twice_that_day(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân", name="Lan")
    code = text_of(await say(app, OFFICIAL, "/lienket")).split("/dangky ")[1].split()[0]
    await say(app, "6ede9afa", f"/dangky {code}", channel="zalo", name="Lan Zalo")
    await say(app, OFFICIAL, "/kenh zalo")
    clock.set(local(2025, 1, 6, 7, 0))
    await run_until(service, clock, local(2025, 1, 6, 9, 0))  # -3w on Zalo only
    await say(app, OFFICIAL, "/kenh all")
    await register(app, OTHER, "Dị Sử")  # anything that makes the planner look again
    await run_until(service, clock, local(2025, 1, 6, 18, 0))
    assert moments(sender, "6ede9afa") == [("-3w", datetime(2025, 1, 6, 8, 0, tzinfo=TZ))]
    assert moments(sender, OFFICIAL) == []


async def test_the_database_keeps_one_row_per_recipient_occurrence_unit_and_day(
    app: App, clock: FakeClock, service: ReminderService
) -> None:
    await register(app, OFFICIAL, "Bần Yên Nhân")
    assert await service.planner.plan(clock.now()) == 1  # the -7d step, for 2/1
    async with app.sessions() as session:
        planned = (await session.exec(select(Reminder))).one()
        assert planned.local_day == date(2025, 1, 2)
        base = {
            "occurrence_id": planned.occurrence_id,
            "unit_id": planned.unit_id,
            "account_id": planned.account_id,
            "audience": "official",
            "local_day": date(2025, 1, 9),
            "created_at": clock.now(),
        }
        yesterday, today = local(2025, 1, 8, 8, 0), local(2025, 1, 9, 8, 0)
        first = {**base, "step": "-1w", "due_at": yesterday, "next_attempt_at": yesterday}
        second = {**base, "step": "0", "due_at": today, "next_attempt_at": today}
        # two planners racing: one at 07:59 writing the step it missed, one at 08:00
        assert await outbox.add_reminders(session, [first]) == 1
        assert await outbox.add_reminders(session, [second]) == 0
        assert await outbox.add_reminders(session, [first, second]) == 0
        rows = (await session.exec(select(Reminder).order_by(col(Reminder.id)))).all()
        assert [(row.step, row.local_day) for row in rows] == [("-7d", date(2025, 1, 2)), ("-1w", date(2025, 1, 9))]
        # rows without a day (a snooze the person asked for, a digest) are not held to it
        for step in ("later-202501090800", "later-202501091000"):
            snooze = {**base, "step": step, "local_day": None, "due_at": today, "next_attempt_at": today}
            assert await outbox.add_reminders(session, [snooze]) == 1


async def test_the_offices_copies_of_two_ladders_on_one_day_are_one_message(
    database_url: str, tmp_path, clock: FakeClock
) -> None:  # type: ignore[no-untyped-def]
    # Bần Yên Nhân's extension to Monday 13/1 puts its "+1w>office" on Tuesday 14/1, the day of the
    # other units' "+3w>office": the office hears of every late unit in one message that day.
    plan = tmp_path / "plan.toml"
    text = SHIPPED_PLAN.read_text(encoding="utf-8").replace(
        'deadline = { kind = "once", date = 2025-01-10, inclusive = false }',
        'deadline = { kind = "once", date = 2025-01-10, inclusive = false }\n'
        'ladder = ["0", "+1w>office", "+3w>office"]',
    )
    plan.write_text(text, encoding="utf-8")
    settings = load_settings(database_url=database_url, admins=str(ADMIN_ID), plan=str(plan))
    async with running(settings, clock=clock) as app:
        await say(app, ADMIN_ID, "/toi", name="Văn phòng")
        await register(app, OFFICIAL, "Bần Yên Nhân")
        clock.set(local(2025, 1, 8, 9, 0))
        request = (await say(app, OFFICIAL, "xin gia hạn đến 13/1")).replies[1]
        await say(app, ADMIN_ID, request.buttons[0][0].data)
        sender = FakeSender(clock=clock.now)
        service = app.reminders(sender, limiter=fake_time_limiter(clock))
        await run_until(service, clock, local(2025, 1, 15, 0, 0))
    office = [
        (d.message.step, d.at.astimezone(TZ).date(), len(d.message.late_units))
        for d in sender.delivered
        if d.message.audience == "office"
    ]
    assert office == [("+1w", date(2025, 1, 10), 23), ("+3w", date(2025, 1, 14), 24)]  # 13 xã/phường, 11 phòng


async def test_the_offices_copy_goes_to_the_channel_its_reader_chose(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, 3001, "Văn phòng", "office", name="Chánh Văn phòng")
    code = text_of(await say(app, 3001, "/lienket")).split("/dangky ")[1].split()[0]
    await say(app, "6ede0001", f"/dangky {code}", channel="zalo", name="Chánh Văn phòng")
    await say(app, 3001, "/kenh zalo")
    await register(app, OFFICIAL, "Bần Yên Nhân")
    clock.set(local(2025, 1, 14, 7, 0))
    await run_until(service, clock, local(2025, 1, 14, 12, 0))
    office = [d.message for d in sender.delivered if d.message.audience == "office"]
    assert [(m.channel, m.step) for m in office if m.chat_id in ("3001", "6ede0001")] == [("zalo", "+3w")]
