"""The office's summary over HTTP: the office sees all, an official their unit, a stranger a refusal."""

from __future__ import annotations

from tests.conftest import ADMIN_ID
from tests.e2e.test_telegram_reminders import register
from tests.fakes.telegram_api import FakeTelegramServer


async def test_summary_for_the_office_an_official_and_a_stranger(server: FakeTelegramServer, telegram) -> None:  # type: ignore[no-untyped-def]
    await register(server, 2002, "Bần Yên Nhân", "Lan")
    lan = server.user(2002)
    await lan.send("60%")
    assert (await server.next_message(2002))["text"].startswith("Đã ghi nhận")
    admin = server.user(ADMIN_ID)
    await admin.send("/tonghop")
    office = (await server.next_message(ADMIN_ID))["text"]
    assert ": 0/24 đơn vị đã nộp" in office  # 13 xã/phường, 11 phòng
    assert "• Phường Bần Yên Nhân — đang thực hiện 60%" in office
    await lan.send("/tonghop")
    mine = (await server.next_message(2002))["text"]
    assert ": 0/1 đơn vị đã nộp" in mine
    assert "Dị Sử" not in mine
    await server.user(9999, "Lạ").send("/tonghop")
    assert (await server.next_message(9999))["text"].startswith("Anh/chị chưa đăng ký")
    await admin.send("/quahan")
    assert (await server.next_message(ADMIN_ID))["text"] == "Không có đơn vị nào quá hạn."


async def test_the_workbook_arrives_as_a_document(server: FakeTelegramServer, telegram) -> None:  # type: ignore[no-untyped-def]
    from io import BytesIO

    from openpyxl import load_workbook

    admin = server.user(ADMIN_ID)
    await admin.send("/xuat")
    message = await server.next_message(ADMIN_ID)
    assert message["document"]["file_name"] == "tong-hop-2025-01-02.xlsx"
    assert message["caption"].startswith("Tình hình báo cáo đến ngày 02/01/2025")
    stored = server.files[message["document"]["file_id"]]
    summary = load_workbook(BytesIO(stored.content))["Tổng hợp"]
    assert (summary["A1"].value, summary["A3"].value) == ("UBND THỊ XÃ MỸ HÀO", "TÌNH HÌNH GỬI BÁO CÁO")
    assert str(summary["A4"].value).startswith("Tính đến ")
    assert str(summary["A4"].value).endswith(" ngày 02/01/2025")


async def test_the_chart_arrives_as_a_photo(server: FakeTelegramServer, telegram) -> None:  # type: ignore[no-untyped-def]
    await register(server, 2002, "Bần Yên Nhân", "Lan")
    await server.user(2002).send("đã nộp")
    await server.next_message(2002)
    admin = server.user(ADMIN_ID)
    await admin.send("/bieudo ke-hoach-2025")
    message = await server.next_message(ADMIN_ID)
    assert message["caption"] == (
        "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025, hạn trước ngày 10/01/2025 (thứ Sáu): "
        "1/24 đơn vị đã nộp"
    )
    assert message["photo"][-1]["width"] > 400
