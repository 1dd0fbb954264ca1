"""A plan from an Excel sheet, in chat (issue 15): the office asks for the template, fills it, sends it
back, reads the preview and taps ✅; a bad sheet is answered cell by cell and nothing is applied."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlmodel import select

from bot.app import App
from bot.core.plan_import import workbook
from bot.core.types import Attachment, Outcome
from storage.models import AuditEntry
from tests.conftest import ADMIN_ID
from tests.helpers import say, text_of
from tests.integration.test_reminders import register
from tests.sheets import PLAN_2025, TASKS, filled

OFFICIAL = 2002
STRANGER = 9009


def sheet_sender(app: App) -> Callable[[int, bytes, str], Awaitable[Outcome]]:
    """Send a file to the bot as Telegram would: the core fetches it by its id."""
    files: dict[str, bytes] = {}

    async def fetch(file_id: str) -> bytes:
        return files[file_id]

    app.core.config.fetch_file["telegram"] = fetch

    async def send(user: int, content: bytes, name: str = "ke-hoach.xlsx") -> Outcome:
        file_id = f"F{len(files) + 1}"
        files[file_id] = content
        return await say(app, user, "", attachment=Attachment("document", file_id, name))

    return send


async def template(app: App) -> bytes:
    outcome = await say(app, ADMIN_ID, "/maukehoach")
    document = outcome.replies[0].document
    assert document is not None, text_of(outcome)
    assert document.file_name == "mau-ke-hoach.xlsx"
    return document.content


async def _tasks(app: App, plan_key: str) -> list[tuple[str, list[str], list[str], dict[str, object]]]:
    async with app.core.stores() as store:
        plan = await store.plan_by_key(plan_key)
        assert plan is not None
        return [(d.title, d.groups, d.units, d.rule) for d in await store.duties_of_plan(plan.id or 0)]


async def _export(app: App, key: str) -> bytes:
    async with app.core.stores() as store:
        plan = await store.plan_by_key(key)
        return await workbook(store, plan, today=app.core.clock.now().date(), locale="vi")


async def _imported(app: App) -> bool:
    async with app.core.stores() as store:
        return await store.plan_by_key("ra-soat-2025") is not None


async def test_the_office_imports_a_plan_from_the_template_and_taps_apply(app: App) -> None:
    send = sheet_sender(app)
    preview = await send(ADMIN_ID, filled(await template(app), plan=PLAN_2025, rows=TASKS))
    assert text_of(preview).splitlines()[:2] == [
        "📥 Kế hoạch mới “Kế hoạch rà soát biên chế năm 2025”",
        "Thêm mới 3 nhiệm vụ; sửa 0; kết thúc 0; giữ nguyên 0.",
    ]
    assert "• dòng 11: Báo cáo rà soát biên chế (Nội vụ, Kinh tế; trước 04/12/2025)" in text_of(preview)
    apply, cancel = preview.replies[0].buttons[0]
    assert (apply.label, cancel.label) == ("✅ Áp dụng", "❌ Hủy")
    applied = await say(app, ADMIN_ID, apply.data)
    assert applied.plan_changed
    assert text_of(applied).startswith("✅ Đã áp dụng kế hoạch “Kế hoạch rà soát biên chế năm 2025”: thêm mới 3")
    tasks = await _tasks(app, "ra-soat-2025")
    assert [title for title, *_rest in tasks] == [task["title"] for task in TASKS]
    assert tasks[0][2:] == (["kinh-te", "noi-vu"], {"kind": "once", "date": "2025-12-04", "inclusive": False})
    assert tasks[1][1] == ["phong-ban"]
    assert tasks[1][3]["kind"] == "monthly"
    assert len(tasks[2][2]) == 24  # "tất cả": every unit of the day but the office
    assert tasks[2][3] == {"kind": "yearly", "month": 6, "day": 15, "inclusive": True}
    again = await say(app, ADMIN_ID, apply.data)  # a second tap, or a tap after a restart: applied once
    assert text_of(again) == "Bảng kế hoạch này đã được áp dụng hoặc đã hủy."
    assert not again.plan_changed
    assert len(await _tasks(app, "ra-soat-2025")) == 3
    async with app.core.stores() as store:
        entries = (await store.session.exec(select(AuditEntry).where(AuditEntry.action == "plan_import"))).all()
    assert [entry.actor for entry in entries] == [f"telegram:{ADMIN_ID}"]


async def test_an_exported_plan_sent_back_changes_nothing_and_a_changed_one_says_what(app: App) -> None:
    send = sheet_sender(app)
    preview = await send(ADMIN_ID, filled(await template(app), plan=PLAN_2025, rows=TASKS))
    await say(app, ADMIN_ID, preview.replies[0].buttons[0][0].data)
    exported = await _export(app, "ra-soat-2025")
    assert text_of(await send(ADMIN_ID, exported)) == (
        "📥 Kế hoạch “Kế hoạch rà soát biên chế năm 2025”: không có gì thay đổi, bảng khớp với kế hoạch đang có."
    )
    # the first task's deadline moved, the second task taken out of the sheet (its row emptied)
    changed = filled(
        exported,
        rows=[
            {"deadline": "trước 10/12/2025"},
            {"title": "", "units": "", "deadline": "", "repeat": "", "note": "", "key": ""},
        ],
    )
    preview = await send(ADMIN_ID, changed)
    assert "Thêm mới 0 nhiệm vụ; sửa 1; kết thúc 1; giữ nguyên 1." in text_of(preview)
    assert "• dòng 11: Báo cáo rà soát biên chế (Hạn)" in text_of(preview)
    await say(app, ADMIN_ID, preview.replies[0].buttons[0][0].data)
    tasks = await _tasks(app, "ra-soat-2025")
    assert [title for title, *_rest in tasks] == ["Báo cáo rà soát biên chế", "Báo cáo thi đua"]
    assert tasks[0][3] == {"kind": "once", "date": "2025-12-10", "inclusive": False}


async def test_cancel_applies_nothing(app: App) -> None:
    send = sheet_sender(app)
    preview = await send(ADMIN_ID, filled(await template(app), plan=PLAN_2025, rows=TASKS))
    cancelled = await say(app, ADMIN_ID, preview.replies[0].buttons[0][1].data)
    assert text_of(cancelled) == "❌ Đã hủy, không áp dụng bảng kế hoạch: không có gì thay đổi."
    assert text_of(await say(app, ADMIN_ID, preview.replies[0].buttons[0][0].data)).startswith("Bảng kế hoạch này đã")
    assert not await _imported(app)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"units": "Phòng Không Có"}, "dòng 12, cột Đơn vị: không có đơn vị hoặc nhóm “Phòng Không Có”"),
        ({"deadline": "trước 01/01/2025"}, "dòng 12, cột Hạn: ngày này đã qua"),
        ({"deadline": "31/02/2025"}, "dòng 12, cột Hạn: ngày không có thật (như 31/02)"),
        ({"deadline": "sớm nhất có thể"}, "dòng 12, cột Hạn: không đọc được hạn"),
        ({"title": ""}, "dòng 12, cột Nhiệm vụ: còn trống: ghi tên nhiệm vụ"),
        ({"repeat": "hằng tuần"}, "dòng 12, cột Lặp lại: “hằng tuần” không đọc được"),
    ],
)
async def test_a_cell_it_cannot_read_is_named_and_nothing_is_applied(
    app: App, row: dict[str, str], expected: str
) -> None:
    send = sheet_sender(app)
    bad = {"title": "Báo cáo", "units": "Nội vụ", "deadline": "trước 04/12/2025"} | row
    answer = await send(ADMIN_ID, filled(await template(app), plan=PLAN_2025, rows=[TASKS[0], bad]))
    lines = text_of(answer).splitlines()
    assert lines[0] == "Chưa áp dụng: 1 ô chưa đọc được. Đề nghị sửa rồi gửi lại tệp."
    assert lines[1].startswith("• " + expected), lines
    assert not answer.replies[0].buttons
    assert not await _imported(app)


async def test_a_bad_date_in_the_plans_header_names_its_cell(app: App) -> None:
    send = sheet_sender(app)
    sheet = filled(await template(app), plan=PLAN_2025 | {"issued_on": "31/02/2025"}, rows=TASKS)
    assert "• ô B4 (Ngày ban hành): “31/02/2025” không phải ngày" in text_of(await send(ADMIN_ID, sheet))


async def test_a_missing_column_is_named(app: App) -> None:
    send = sheet_sender(app)
    sheet = filled(await template(app), plan=PLAN_2025, rows=TASKS, drop_column="deadline")
    assert text_of(await send(ADMIN_ID, sheet)) == ("Bảng thiếu cột “Hạn”: đề nghị dùng mẫu (/maukehoach) rồi gửi lại.")


@pytest.mark.parametrize("content", [b"%PDF-1.4\n%\xe2\xe3\n1 0 obj", "Kế hoạch\tNội vụ\n".encode()])
async def test_a_file_that_is_not_excel_is_refused(app: App, content: bytes) -> None:
    send = sheet_sender(app)
    answer = text_of(await send(ADMIN_ID, content))
    assert answer.startswith("Không đọc được tệp Excel"), answer
    pdf = text_of(await send(ADMIN_ID, content, "cong-van.pdf"))  # the office's own people owe no report
    assert pdf.startswith("Không đọc được tệp Excel"), pdf


async def test_a_500_row_sheet_gives_a_preview_that_fits_one_message(app: App) -> None:
    send = sheet_sender(app)
    rows = [{"title": f"Báo cáo số {n}", "units": "Nội vụ", "deadline": "trước 04/12/2025"} for n in range(500)]
    preview = await send(ADMIN_ID, filled(await template(app), plan=PLAN_2025, rows=rows))
    text = text_of(preview)
    assert "Thêm mới 500 nhiệm vụ" in text
    assert "… và 490 mục khác." in text
    assert len(text) < 4096
    await say(app, ADMIN_ID, preview.replies[0].buttons[0][0].data)
    assert len(await _tasks(app, "ra-soat-2025")) == 500


async def test_500_unreadable_rows_are_counted_in_one_message(app: App) -> None:
    send = sheet_sender(app)
    rows = [{"title": f"Báo cáo số {n}", "units": "Phòng Không Có", "deadline": "trước 04/12/2025"} for n in range(500)]
    text = text_of(await send(ADMIN_ID, filled(await template(app), plan=PLAN_2025, rows=rows)))
    assert text.startswith("Chưa áp dụng: 500 ô chưa đọc được.")
    assert len(text) < 4096


async def test_a_stranger_is_refused_and_an_officials_sheet_is_a_reports_file(app: App) -> None:
    send = sheet_sender(app)
    sheet = filled(await template(app), plan=PLAN_2025, rows=TASKS)
    assert "đăng ký" in text_of(await send(STRANGER, sheet)).lower()
    await register(app, OFFICIAL, "ban-yen-nhan")
    official = await send(OFFICIAL, sheet, "bao-cao.xlsx")  # kept as the report's file, as before
    assert "bao-cao.xlsx" in text_of(official)
    assert not official.replies[0].buttons or "/nhapkehoach" not in official.replies[0].buttons[0][0].data
    refused = text_of(await say(app, OFFICIAL, "/maukehoach"))
    assert refused == "Chỉ Văn phòng HĐND và UBND được dùng lệnh /maukehoach."
    assert not await _imported(app)


async def test_zalo_cannot_hand_over_a_sheet_and_says_where_to_import(app: App) -> None:
    app.core.config.admins |= {"zalo:6ede01"}  # the office on Zalo: no file comes with a message there
    attachment = Attachment("document", "Z1", "ke-hoach.xlsx")
    answer = text_of(await say(app, "6ede01", "", attachment=attachment, channel="zalo"))
    assert "/taikehoach" in answer
    assert "nhacviec" not in answer  # no command-line detail in a Vietnamese answer (issue 26)
