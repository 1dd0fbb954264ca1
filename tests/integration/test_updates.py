"""Status updates in words, taps, files, extensions and corrections, through the core on a real database."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.app import App
from bot.core import cache as cache_module
from bot.core.types import Attachment
from bot.settings import Settings
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from storage import db, status
from storage.identity import identity
from storage.models import Evidence, Official, Person, Reminder, StatusUpdate
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import recorded, say, text_of
from tests.integration.test_reminders import register, run_until

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BYN, NOI_VU = 2002, 2004
MONDAY = datetime(2025, 1, 6, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ).astimezone(UTC)  # type: ignore[misc]


async def updates(app: App) -> list[StatusUpdate]:
    async with app.sessions() as session:
        return list((await session.exec(select(StatusUpdate).order_by(StatusUpdate.id))).all())


async def test_a_few_words_are_recorded_and_confirmed_in_one_line(app: App, clock: FakeClock) -> None:
    await register(app, BYN, "Bần Yên Nhân", name="Lan")
    clock.set(MONDAY)
    text = text_of(await say(app, BYN, "60%, dự kiến 8/1", name="Lan"))
    assert text == (
        "Đã ghi nhận (09:00 ngày 06/01/2025): Phường Bần Yên Nhân, Kế hoạch triển khai thực hiện Chủ đề công tác "
        "năm 2025: đang thực hiện 60%, dự kiến xong 08/01/2025."
    )
    done = text_of(await say(app, BYN, "da nop roi a"))
    assert recorded(done).startswith("Đã ghi nhận: Phường Bần Yên Nhân, Kế hoạch triển khai")
    assert done.startswith("Đã ghi nhận (09:00 ngày 06/01/2025)")
    assert "Sẽ không nhắc báo cáo này nữa" in done
    rows = await updates(app)
    assert [(r.status, r.percent, r.expected_date, r.raw_text, r.channel) for r in rows] == [
        ("in_progress", 60, date(2025, 1, 8), "60%, dự kiến 8/1", "telegram"),
        ("done", None, None, "da nop roi a", "telegram"),
    ]
    assert rows[0].person_id is not None
    assert not rows[0].by_office


async def test_an_unsure_reply_is_asked_back_with_buttons(app: App, clock: FakeClock) -> None:
    await register(app, BYN, "Bần Yên Nhân")
    clock.set(MONDAY)
    question = await say(app, BYN, "Dạ")
    assert text_of(question).startswith("Chưa rõ “Dạ” ứng với tình trạng nào của Kế hoạch triển khai")
    choices = [row[0] for row in question.replies[0].buttons]
    assert [b.label for b in choices] == [
        "✅ Đã nộp",
        "⏳ Đang thực hiện",
        "✍️ Chờ ký",
        "📭 Chưa có số liệu",
        "📅 Xin gia hạn",
    ]
    assert await updates(app) == []
    assert "đã nộp" in text_of(await say(app, BYN, choices[0].data))
    assert text_of(await say(app, BYN, choices[1].data)).startswith("Lựa chọn này không còn")  # used already
    assert [r.status for r in await updates(app)] == ["done"]


async def test_with_several_open_reports_the_bot_asks_which(app: App, clock: FakeClock) -> None:
    await register(app, NOI_VU, "Nội vụ")
    clock.set(local(2025, 1, 13, 9, 0))  # the plan is overdue and the monthly report is due on 17/1
    question = await say(app, NOI_VU, "đã nộp")
    assert text_of(question) == "Anh/chị báo cáo cho nhiệm vụ nào?"
    labels = [row[0].label for row in question.replies[0].buttons]
    assert labels[0].startswith("Kế hoạch triển khai") or labels[0].startswith("Báo cáo tháng")
    assert len(labels) == 2
    # titles are shortened at a word, never "Chủ đề côn (10/01)"
    assert sorted(labels) == [
        "Báo cáo tháng kết quả theo dõi, đôn đốc… (20/01)",
        "Kế hoạch triển khai thực hiện Chủ đề… (10/01)",
    ]
    monthly = next(row[0] for row in question.replies[0].buttons if row[0].label.startswith("Báo cáo tháng"))
    answer = text_of(await say(app, NOI_VU, monthly.data))
    assert recorded(answer).startswith("Đã ghi nhận: Phòng Nội vụ, Báo cáo tháng")
    # now only the plan is open: the next reply goes to it without asking
    assert recorded(text_of(await say(app, NOI_VU, "đang trình ký"))).startswith("Đã ghi nhận: Phòng Nội vụ, Kế hoạch")


async def test_a_reply_to_a_reminder_applies_to_its_duty(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, NOI_VU, "Nội vụ")
    clock.set(local(2025, 1, 13, 7, 0))
    await run_until(service, clock, local(2025, 1, 13, 9, 0))
    monthly = next(d for d in sender.delivered if d.message.duty_title.startswith("Báo cáo tháng"))
    async with app.sessions() as session:
        reminder = await session.get(Reminder, monthly.message.reminder_id)
    assert reminder is not None
    assert reminder.message_id is not None  # the channel's id of the message, kept when it was sent
    answer = text_of(await say(app, NOI_VU, "chưa có số liệu", reply_to=reminder.message_id))
    assert recorded(answer).startswith("Đã ghi nhận: Phòng Nội vụ, Báo cáo tháng")
    assert "chưa có số liệu" in answer


async def test_a_stranger_or_the_office_writing_words(app: App, clock: FakeClock) -> None:
    assert text_of(await say(app, 9999, "đã nộp")).startswith("Xin chào! Đây là Nhắc việc")
    office = text_of(await say(app, ADMIN_ID, "đã nộp"))
    assert office.startswith("Chưa rõ ý anh/chị")
    assert "/capnhat <đơn vị>: <nội dung>" in office  # how the office records for a unit
    assert await updates(app) == []


async def test_a_tap_on_another_units_choice_or_draft_is_refused(app: App, clock: FakeClock) -> None:
    await register(app, BYN, "Bần Yên Nhân")
    await register(app, NOI_VU, "Nội vụ")
    clock.set(MONDAY)
    question = await say(app, BYN, "ok")
    tap = question.replies[0].buttons[0][0].data
    assert text_of(await say(app, NOI_VU, tap)).startswith("Lựa chọn này không còn")
    assert text_of(await say(app, 9999, tap)).startswith("Anh/chị chưa đăng ký")
    assert await updates(app) == []


async def test_two_taps_at_once_record_once(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await register(app, BYN, "Bần Yên Nhân")
    await register(app, 2005, "Bần Yên Nhân", name="Đồng nghiệp")
    await service.tick()
    first, second = sender.to(BYN)[0], sender.to(2005)[0]
    outcomes = await asyncio.gather(
        say(app, BYN, f"/baocao {first.reminder_id} done"), say(app, 2005, f"/baocao {second.reminder_id} done")
    )
    texts = sorted(text_of(outcome) for outcome in outcomes)
    assert texts[0].startswith("Đã ghi nhận trước đó") or texts[1].startswith("Đã ghi nhận trước đó")
    assert [r.status for r in await updates(app)] == ["done"]
    # whichever tap is written first is the one on record, and the note names its person
    recorded, name = next((o, n) for o, n in zip(outcomes, ("Cán bộ", "Đồng nghiệp"), strict=True) if o.tapped_note)
    assert recorded.tapped_note is not None
    assert recorded.tapped_note.startswith(f"{name} đã cập nhật: đã nộp, lúc")
    # a tap after the report is done changes nothing
    late = text_of(await say(app, BYN, f"/baocao {first.reminder_id} done"))
    assert late.startswith("Đã ghi nhận trước đó cho phường Bần Yên Nhân")


async def test_an_extension_is_asked_granted_and_the_reminders_follow(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, BYN, "Bần Yên Nhân")
    clock.set(local(2025, 1, 8, 9, 0))
    outcome = await say(app, BYN, "xin lùi 3 ngày")
    assert outcome.replies[0].text == (
        "Đã gửi Văn phòng đề nghị gia hạn Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025 của phường "
        "Bần Yên Nhân đến hết ngày 14/01/2025 (thứ Ba)."
    )
    to_office = outcome.replies[1]
    assert (to_office.channel, to_office.chat_id) == ("telegram", str(ADMIN_ID))
    assert "từ hạn chót theo quy định 09/01/2025 đến hết ngày 14/01/2025" in to_office.text
    grant, refuse = to_office.buttons[0]
    assert (grant.label, refuse.label) == ("✅ Đồng ý", "❌ Không đồng ý")
    decided = await say(app, ADMIN_ID, grant.data)
    assert decided.replies[0].text.startswith("Đã đồng ý: UBND phường Bần Yên Nhân được gia hạn gửi")
    told = decided.replies[1]
    assert told.chat_id == str(BYN)
    assert told.text.startswith("Văn phòng đã đồng ý: ")
    assert text_of(await say(app, ADMIN_ID, refuse.data)) == "Văn phòng đã cho ý kiến về đề nghị này."
    await run_until(service, clock, local(2025, 1, 16, 0, 0))
    steps = [(m.step, m.legal_last_day) for m in sender.to(BYN)]
    assert ("0", date(2025, 1, 9)) not in steps  # the old last day's reminder is gone...
    assert ("x01140", date(2025, 1, 14)) in steps  # ...the new last day has its own


async def test_a_refused_extension_keeps_the_deadline(app: App, clock: FakeClock) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, BYN, "Bần Yên Nhân")
    clock.set(local(2025, 1, 8, 9, 0))
    request = (await say(app, BYN, "xin gia hạn đến 20/1")).replies[1]
    assert "đến hết ngày 20/01/2025" in request.text
    refused = await say(app, ADMIN_ID, request.buttons[0][1].data)
    assert (
        refused.replies[0].text == "Không đồng ý: UBND phường Bần Yên Nhân giữ nguyên hạn gửi "
        "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025."
    )
    assert refused.replies[1].text.startswith("Văn phòng không đồng ý gia hạn")
    assert text_of(await say(app, BYN, request.buttons[0][0].data)).startswith("Chỉ Văn phòng")


async def test_a_document_is_the_submission_and_the_office_marks_it_received(app: App, clock: FakeClock) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, BYN, "Bần Yên Nhân")
    clock.set(MONDAY)
    file = Attachment("document", "BQACAgUAAxk", "KH-2025-BYN.pdf")
    outcome = await say(app, BYN, "Kế hoạch của phường", attachment=file)
    assert recorded(outcome.replies[0].text).startswith("Đã ghi nhận: Phường Bần Yên Nhân, Kế hoạch triển khai")
    assert "Đã lưu tệp KH-2025-BYN.pdf làm bản nộp." in outcome.replies[0].text
    office = outcome.replies[1]
    assert (
        office.text
        == "📥 UBND phường Bần Yên Nhân đã gửi Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025: KH-2025-BYN.pdf"
    )
    received = await say(app, ADMIN_ID, office.buttons[0][0].data)
    assert received.replies[0].text.startswith("Đã xác nhận nhận được: Phường Bần Yên Nhân")
    assert received.replies[1].text.startswith("Văn phòng đã nhận Kế hoạch triển khai")
    assert (
        text_of(await say(app, ADMIN_ID, office.buttons[0][0].data)) == "Văn phòng đã xác nhận nhận được bản nộp này."
    )
    async with app.sessions() as session:
        evidence = (await session.exec(select(Evidence))).one()
    assert (evidence.file_id, evidence.caption, evidence.kind) == ("BQACAgUAAxk", "Kế hoạch của phường", "document")
    assert evidence.received_at is not None


async def test_correcting_and_the_history(app: App, clock: FakeClock) -> None:
    await register(app, BYN, "Bần Yên Nhân", name="Lan")
    clock.set(MONDAY)
    assert text_of(await say(app, BYN, "/sua")) == "Anh/chị chưa có cập nhật nào để sửa."
    await say(app, BYN, "60%", name="Lan")
    usage = text_of(await say(app, BYN, "/sua"))
    assert usage.startswith("Cập nhật gần nhất của anh/chị cho phường Bần Yên Nhân: đang thực hiện 60%")
    corrected = text_of(await say(app, BYN, "/sua 80%"))
    assert "đang thực hiện 80%" in corrected
    rows = await updates(app)
    assert [(r.percent, r.raw_text) for r in rows] == [(60, "60%"), (80, "/sua 80%")]  # history kept
    mine = text_of(await say(app, BYN, "/lichsu"))
    assert mine.startswith("Cập nhật của phường Bần Yên Nhân (mới nhất lên trước):")
    assert mine.index("80%") < mine.index("60%")
    assert "Lan" in mine
    # the title shortened at a word: once "... công tác năm  (10/01/2025)", its year cut off
    assert "· Kế hoạch triển khai thực hiện Chủ đề công tác năm… (10/01/2025): " in mine
    office = text_of(await say(app, ADMIN_ID, "/lichsu ban yen"))
    assert office == mine
    assert text_of(await say(app, ADMIN_ID, "/lichsu")) == "Gửi /lichsu kèm tên đơn vị."
    clock.advance(timedelta(days=1))


async def test_many_reports_at_once_are_each_recorded(app: App, clock: FakeClock) -> None:
    """Twelve officials of three units write at once: every update is history, none is dropped, and per
    unit each follows the last (those that lost the race for a sequence number go in after)."""
    units = ["Bần Yên Nhân", "Phan Đình Phùng", "Nhân Hòa"]
    officials = [3000 + index for index in range(12)]
    for index, user in enumerate(officials):
        await register(app, user, units[index % 3], name=f"Cán bộ {index}")
    clock.set(MONDAY)
    outcomes = await asyncio.gather(*(say(app, user, "đang làm 60%") for user in officials))
    texts = [text_of(outcome) for outcome in outcomes]
    assert all(recorded(text).startswith("Đã ghi nhận: Phường") for text in texts), texts
    rows = await updates(app)
    assert sorted(row.person_id or 0 for row in rows) == sorted(
        {row.person_id or 0 for row in rows}
    )  # one row per official
    assert len(rows) == len(officials)
    for unit_id in {row.unit_id for row in rows}:
        assert sorted(row.seq for row in rows if row.unit_id == unit_id) == list(
            range(1, 1 + sum(row.unit_id == unit_id for row in rows))
        )
    # and once it is quiet, the next one is recorded after them
    assert recorded(text_of(await say(app, officials[0], "đã nộp"))).startswith("Đã ghi nhận: Phường Bần Yên Nhân")


async def test_two_officials_racing_with_different_news_are_both_recorded(app: App, clock: FakeClock) -> None:
    await register(app, BYN, "Bần Yên Nhân")
    await register(app, BYN + 1, "Bần Yên Nhân", name="Hùng")
    clock.set(MONDAY)
    said = await asyncio.gather(say(app, BYN, "đang trình ký"), say(app, BYN + 1, "đang làm 60%"))
    texts = [text_of(outcome) for outcome in said]
    assert all(recorded(text).startswith("Đã ghi nhận: Phường Bần Yên Nhân") for text in texts), texts
    rows = await updates(app)
    assert sorted(row.seq for row in rows) == [1, 2]
    assert sorted(row.status for row in rows) == ["in_progress", "waiting_signature"]


async def test_a_report_in_words_takes_two_statements(app: App, clock: FakeClock) -> None:
    """Who writes and their units' latest updates in one SELECT, then the INSERT (the day's plan is cached);
    on PostgreSQL the unit's turn before it."""
    await register(app, BYN, "Bần Yên Nhân")
    clock.set(MONDAY)
    assert text_of(await say(app, BYN, "đang làm 30%")).startswith("Đã ghi nhận")
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement.split()[0])

    event.listen(app.engine.sync_engine, "before_cursor_execute", count)
    try:
        assert text_of(await say(app, BYN, "đang làm 60%")).startswith("Đã ghi nhận")
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", count)
    # On PostgreSQL the unit's writers take turns first (pg_advisory_xact_lock, held to the COMMIT)
    turn = ["SELECT"] if app.engine.dialect.name == "postgresql" else []
    assert statements == ["SELECT", *turn, "INSERT"]
    assert [(r.seq, r.percent) for r in await updates(app)] == [(1, 30), (2, 60)]


async def test_append_status_numbers_after_the_newest_and_skips_what_is_already_said(
    app: App, clock: FakeClock
) -> None:
    """An update that lost the race is dropped only when one newer than what its writer saw says the
    same: 'done' after 'done' by anyone, or the same words from the same person."""
    await register(app, BYN, "Bần Yên Nhân")
    await register(app, BYN + 1, "Bần Yên Nhân", name="Hùng")
    clock.set(MONDAY)
    await say(app, BYN, "đang làm 30%")
    first = (await updates(app))[0]
    lan = first.person_id
    async with app.sessions() as session:
        found = await identity(session, channel="telegram", user_id=str(BYN + 1))
    assert found.person is not None
    hung = found.person.id
    values = {"occurrence_id": first.occurrence_id, "unit_id": first.unit_id, "channel": "console", "at": MONDAY}
    async with app.sessions() as session:
        sixty = await status.append_status(
            session, after=first, status="in_progress", percent=60, person_id=lan, **values
        )
        again = await status.append_status(
            session, after=first, status="in_progress", percent=60, person_id=lan, **values
        )
        other = await status.append_status(
            session, after=first, status="in_progress", percent=60, person_id=hung, **values
        )
        news = await status.append_status(  # Lan again, with news: history too
            session, after=first, status="in_progress", percent=70, person_id=lan, **values
        )
        done = await status.append_status(session, after=first, status="done", person_id=hung, **values)
        done_again = await status.append_status(session, after=first, status="done", person_id=lan, **values)
        await session.commit()
    assert sixty is not None
    assert (sixty.seq, sixty.percent) == (2, 60)
    assert again is None  # Lan already said so after the update she saw
    assert other is not None
    assert other.seq == 3  # Hùng's word is history too, numbered after
    assert news is not None
    assert news.seq == 4
    assert done is not None
    assert done.seq == 5
    assert done_again is None  # "done" after "done", whoever says it
    assert [(r.seq, r.status, r.percent) for r in await updates(app)] == [
        (1, "in_progress", 30),
        (2, "in_progress", 60),
        (3, "in_progress", 60),
        (4, "in_progress", 70),
        (5, "done", None),
    ]


async def test_the_latest_update_of_each_unit_comes_with_the_identity(app: App, clock: FakeClock) -> None:
    await register(app, BYN, "Bần Yên Nhân")
    await register(app, 2005, "Phan Đình Phùng")
    clock.set(MONDAY)
    for text in ("đang làm 10%", "đang làm 20%", "chờ ký"):
        await say(app, BYN, text)
    await say(app, 2005, "đang làm 50%")
    rows = await updates(app)
    occurrence = rows[0].occurrence_id
    async with app.sessions() as session:
        # BYN also becomes an official of the second unit
        session.add(
            Official(person_id=rows[0].person_id or 0, unit_id=rows[-1].unit_id, role="official", created_at=MONDAY)
        )
        await session.commit()
        found = await identity(session, channel="telegram", user_id=str(BYN), latest_of=[occurrence, 999])
        plain = await identity(session, channel="telegram", user_id=str(BYN))
    assert found.latest is not None
    assert {pair: update.status for pair, update in found.latest.updates.items()} == {
        (occurrence, rows[0].unit_id): "waiting_signature",
        (occurrence, rows[-1].unit_id): "in_progress",
    }
    assert found.latest.updates[(occurrence, rows[0].unit_id)].seq == 3
    assert found.latest.covers([(occurrence, rows[0].unit_id), (999, rows[-1].unit_id)])
    assert not found.latest.covers([(occurrence + 1, rows[0].unit_id)])
    assert [m.unit.id for m in found.memberships] == [m.unit.id for m in plain.memberships]
    assert len(found.memberships) == 2
    assert plain.latest is None


async def test_the_first_messages_of_a_day_work_the_plan_out_once(
    app: App, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    officials = [3100 + index for index in range(10)]
    for user in officials:
        await register(app, user, "Bần Yên Nhân")
    clock.set(MONDAY + timedelta(days=1))  # a new day: the core's cache is empty again
    calls = 0
    real = cache_module.plan_occurrences

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(cache_module, "plan_occurrences", counted)
    texts = [text_of(o) for o in await asyncio.gather(*(say(app, user, "đang làm 60%") for user in officials))]
    assert calls == 1
    assert all(text.startswith("Đã ghi nhận") for text in texts), texts


async def _appended(session: AsyncSession, **values: Any) -> StatusUpdate | None:
    """One writer's transaction: the append and its commit (the store commits at the end of a message)."""
    row = await status.append_status(session, **values)
    await session.commit()
    return row


async def test_two_instances_recording_at_once_record_once(app: App, clock: FakeClock, settings: Settings) -> None:
    """Two processes on one database (here two engines): the unique key still lets one update in."""
    await register(app, BYN, "Bần Yên Nhân")
    clock.set(MONDAY)
    await say(app, BYN, "đang làm 30%")
    first = (await updates(app))[0]
    values = {"occurrence_id": first.occurrence_id, "unit_id": first.unit_id, "channel": "telegram", "at": MONDAY}
    async with (
        db.opened(settings.database_url) as engine,
        app.sessions() as mine,
        db.session_factory(engine)() as theirs,
    ):
        same = await asyncio.gather(
            _appended(mine, after=first, status="done", **values),
            _appended(theirs, after=first, status="done", **values),
        )
        assert sorted(result is None for result in same) == [False, True]  # a double "done": once
        done = next(result for result in same if result is not None)
        different = await asyncio.gather(
            _appended(mine, after=done, status="in_progress", percent=50, **values),
            _appended(theirs, after=done, status="no_data", **values),
        )
    assert all(result is not None for result in different)  # two different updates: neither lost
    assert [r.seq for r in await updates(app)] == [1, 2, 3, 4]


async def test_the_identity_objects_are_the_rows_as_the_orm_would_load_them(app: App, clock: FakeClock) -> None:
    """Built from plain columns, they equal what a session loads, and can be changed and saved like them."""
    await register(app, BYN, "Bần Yên Nhân")
    clock.set(MONDAY)
    await say(app, BYN, "đang làm 40%, dự kiến 10/1")
    occurrence = (await updates(app))[0].occurrence_id
    async with app.sessions() as session:
        found = await identity(session, channel="telegram", user_id=str(BYN), latest_of=[occurrence])
    assert found.account is not None
    assert found.person is not None
    assert found.latest is not None
    (update,) = found.latest.updates.values()
    (membership,) = found.memberships
    async with app.sessions() as session:
        for built_one in (found.account, found.person, membership.official, membership.unit, update):
            loaded = await session.get(type(built_one), built_one.id)
            assert loaded is not None
            assert built_one.model_dump() == loaded.model_dump()
    assert update.expected_date is not None
    assert update.at.tzinfo is not None
    async with app.sessions() as session:  # detached, as if loaded by a session since closed
        found.person.display_name = "Nguyễn Văn Đổi"
        session.add(found.person)
        await session.commit()
    async with app.sessions() as session:
        person = await session.get(Person, found.person.id)
    assert person is not None
    assert person.display_name == "Nguyễn Văn Đổi"
