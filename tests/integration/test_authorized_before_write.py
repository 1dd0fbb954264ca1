"""Authorization before any write: an official who moved to another unit and answers an old reminder
of his former unit, with a file, in words, by a tap or a forged command, is refused and nothing is
written or told to anyone."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import func, select

from bot.app import App
from bot.core.types import Attachment, Outcome
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from storage.models import Draft, Evidence, Extension, Reminder, StatusUpdate, Unit
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import recorded, say, text_of
from tests.integration.test_reminders import register

MOVED = 2002
REFUSAL = "Chỉ cán bộ của phường Phan Đình Phùng và Văn phòng được báo cáo cho đơn vị này."
PDF = Attachment("document", "BQACAgUAAxkPDP", "KH-2025-PDP.pdf")


@dataclass(frozen=True)
class Written:
    updates: int
    evidence: int
    drafts: int
    used_drafts: int
    extensions: int
    reminders: int


async def written(app: App) -> Written:
    async with app.sessions() as session:

        async def count(model: type, *where: object) -> int:
            query = select(func.count()).select_from(model)
            for condition in where:
                query = query.where(condition)  # type: ignore[arg-type]
            return int((await session.exec(query)).one())

        return Written(
            updates=await count(StatusUpdate),
            evidence=await count(Evidence),
            drafts=await count(Draft),
            used_drafts=await count(Draft, Draft.used_at.is_not(None)),  # type: ignore[union-attr]
            extensions=await count(Extension),
            reminders=await count(Reminder),
        )


async def moved_official(app: App, service: ReminderService, sender: FakeSender) -> Reminder:
    """Tuấn of Phan Đình Phùng gets a reminder, then the office moves him to Bần Yên Nhân. His old reminder."""
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")  # the office's account, to receive its copies
    await register(app, MOVED, "Phan Đình Phùng", name="Trần Văn Tuấn")
    await service.tick()
    assert sender.to(MOVED), "the reminder of Phan Đình Phùng was sent"
    async with app.sessions() as session:
        old = (await session.exec(select(Reminder).where(Reminder.id == sender.to(MOVED)[0].reminder_id))).one()
    assert old.message_id is not None
    assert "Đã thu hồi: Trần Văn Tuấn" in text_of(await say(app, ADMIN_ID, "/thuhoi tuan"))
    await register(app, MOVED, "Bần Yên Nhân", name="Trần Văn Tuấn")
    assert "Phường Bần Yên Nhân" in text_of(await say(app, MOVED, "/toi"))
    return old


def refused(outcome: Outcome) -> None:
    """One reply, to the official, and it is the refusal: the office is told nothing."""
    assert [(reply.chat_id, reply.text) for reply in outcome.replies] == [(None, REFUSAL)]


async def test_a_file_answering_an_old_reminder_of_another_unit_writes_nothing(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    old = await moved_official(app, service, sender)
    before = await written(app)
    outcome = await say(app, MOVED, "Kế hoạch của phường", attachment=PDF, reply_to=old.message_id)
    refused(outcome)
    assert "📥" not in text_of(outcome)
    assert await written(app) == before
    assert before.evidence == 0


async def test_words_answering_an_old_reminder_of_another_unit_write_nothing(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    old = await moved_official(app, service, sender)
    before = await written(app)
    for text in ("đã nộp", "60%", "xin lùi 3 ngày", "ok"):  # "ok" is unsure: not even a draft is kept
        refused(await say(app, MOVED, text, reply_to=old.message_id))
    assert await written(app) == before


async def test_taps_and_commands_naming_another_unit_write_nothing(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    old = await moved_official(app, service, sender)
    for choice in ("done", "later", "2h", "tomorrow"):  # the old reminder's buttons, snoozes too
        refused(await say(app, MOVED, f"/baocao {old.id} {choice}"))
    # his own draft (an unsure reply about Bần Yên Nhân), forged to name his former unit: refused,
    # and the draft is not used up by the refusal, so his real choice still works
    question = await say(app, MOVED, "ok")
    tap = question.replies[0].buttons[0][0].data
    draft, occurrence, own_unit = tap.split()[1:4]
    async with app.sessions() as session:
        pdp = (await session.exec(select(Unit).where(Unit.name == "Phường Phan Đình Phùng"))).one()
    before = await written(app)
    assert before.drafts == 1
    assert before.used_drafts == 0
    for forged in (f"/ghi {draft} {occurrence} {pdp.id}", f"/ghi {draft} {occurrence} {pdp.id} done"):
        assert text_of(await say(app, MOVED, forged)).startswith("Lựa chọn này không còn")
    assert await written(app) == before
    assert recorded(text_of(await say(app, MOVED, tap))).startswith("Đã ghi nhận: Phường Bần Yên Nhân")
    assert own_unit != str(pdp.id)


async def test_correcting_an_update_of_a_former_unit_writes_nothing(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, MOVED, "Phan Đình Phùng", name="Trần Văn Tuấn")
    assert recorded(text_of(await say(app, MOVED, "60%"))).startswith("Đã ghi nhận: Phường Phan Đình Phùng")
    await say(app, ADMIN_ID, "/thuhoi tuan")
    await register(app, MOVED, "Bần Yên Nhân", name="Trần Văn Tuấn")
    before = await written(app)
    for text in ("/sua 80%", "/sua ok", "/sua xin lùi 3 ngày"):
        refused(await say(app, MOVED, text))
    assert await written(app) == before


NOI_VU, KINH_TE = 3001, 3002
SECRET = "Báo cáo riêng của phòng Kinh tế"
NOT_OWED = "Lựa chọn này không còn"


async def task_of_kinh_te(app: App, sender: FakeSender, service: ReminderService) -> tuple[Reminder, int, int]:
    """A task given to Kinh tế alone, its reminder, an extension asked for it and a file sent for it."""
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, NOI_VU, "Nội vụ", name="Lê Thị Nội")
    await register(app, KINH_TE, "Kinh tế", name="Phạm Văn Kinh")
    preview = await say(app, ADMIN_ID, f"/giao Kinh tế; trước 15/01/2025; {SECRET}")
    assert "Đã giao" in text_of(await say(app, ADMIN_ID, preview.replies[0].buttons[0][0].data))
    await service.tick()
    [told] = [m for m in sender.to(KINH_TE) if m.step == "new"]
    async with app.sessions() as session:
        reminder = (await session.exec(select(Reminder).where(Reminder.id == told.reminder_id))).one()
    await say(app, KINH_TE, "xin lùi 3 ngày", reply_to=reminder.message_id)
    await say(app, KINH_TE, "Báo cáo", attachment=PDF, reply_to=reminder.message_id)
    async with app.sessions() as session:
        extension = (await session.exec(select(Extension))).one()
        evidence = (await session.exec(select(Evidence))).one()
    return reminder, extension.id or 0, evidence.id or 0


async def a_draft(app: App, user: int, text: str) -> tuple[str, str, str]:
    """The draft an unsure reply made, the unit its buttons name, and its first button."""
    asked = await say(app, user, text)
    tap = asked.replies[0].buttons[0][0].data
    data = tap.split()
    assert data[0] == "/ghi", text_of(asked)
    return data[1], data[3], tap


async def test_no_id_of_another_units_report_writes_or_reveals_anything(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    """The matrix: every command and button payload of Nội vụ's official, with the ids of a report
    that only Kinh tế owes, and the office's /ghi naming a unit that does not owe it."""
    reminder, extension, evidence = await task_of_kinh_te(app, sender, service)
    occurrence, kinh_te = reminder.occurrence_id, reminder.unit_id
    draft, noi_vu, tap = await a_draft(app, NOI_VU, "Dạ")
    office_draft, office_unit, office_tap = await a_draft(app, ADMIN_ID, "/capnhat Nội vụ: ok")
    assert office_unit == noi_vu
    before = await written(app)
    forged = [
        (NOI_VU, f"/ghi {draft} {occurrence} {noi_vu} done", NOT_OWED),
        (NOI_VU, f"/ghi {draft} {occurrence} {noi_vu}", NOT_OWED),
        (NOI_VU, f"/ghi {draft} {occurrence} {kinh_te} done", NOT_OWED),
        (ADMIN_ID, f"/ghi {office_draft} {occurrence} {noi_vu} done", NOT_OWED),
        (ADMIN_ID, f"/ghi {office_draft} {occurrence} {noi_vu}", NOT_OWED),
        *[(NOI_VU, f"/baocao {reminder.id} {key}", "Chỉ cán bộ của Phòng Kinh tế") for key in BAOCAO],
        (NOI_VU, f"/giahan {extension} yes", "Văn phòng"),
        (NOI_VU, f"/giahan {extension} no", "Văn phòng"),
        (NOI_VU, f"/danhan {evidence}", "Văn phòng"),
    ]
    for user, command, expected in forged:
        answer = text_of(await say(app, user, command))
        assert expected in answer, (command, answer)
        assert SECRET not in answer, command
    assert await written(app) == before
    assert SECRET not in text_of(await say(app, NOI_VU, "/lichsu"))
    assert SECRET not in text_of(await say(app, ADMIN_ID, "/lichsu Nội vụ"))
    # the drafts were not used up: the real choices still record
    for user, choice in ((NOI_VU, tap), (ADMIN_ID, office_tap)):
        status = "" if len(choice.split()) == 5 else " in_progress"
        assert "Đã ghi nhận: Phòng Nội vụ" in recorded(text_of(await say(app, user, choice + status))), choice


BAOCAO = ("done", "in_progress", "no_data", "later", "2h", "tomorrow")
