"""Issue 12's demo story: the first half of 2025 played in the terminal demo, as the office and 18 units.

The shipped plan, from Thursday 02/01/2025: the office invites the officials of the 13 xã/phường and of the
five phòng of IV.2; they register, get their reminders as the demo's clock moves, and answer (or do not).
Six phòng have nobody registered. On three check days (13/01, 17/06 and 01/07, the day after the merger)
every view of the office, `/tonghop`, `/quahan`, the workbook of `/xuat`, the chart of `/bieudo` and the
letter of `/congvan`, is read back and compared with ONE table worked out from the story's script below:
for each unit and report, whether it sent, when, whether it is late and by how many working days. What the
bot sent unasked on the way (reminders, overdue nudges, the office's copies, the digests) is compared with
the same table at the moment it went out.

The table does not ask the product how to count: the legal last days are worked out by hand (README "Two
dates per deadline") and working days from the 2025 days off listed here (DOMAIN.md section 3).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO
from itertools import takewhile
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from bot.app import App, running
from bot.channels.console import ADMIN_ID, CHANNEL, ConsoleChat
from bot.core.types import Attachment, Incoming, Outcome
from bot.settings import Settings
from bot.web.overview import Choice, overview
from messages.chart import cumulative
from messages.text import fold
from messages.workbook import HEADER_ROW
from scheduler.clock import FakeClock
from scheduler.ratelimit import Limits
from storage.models import Duty, Occurrence, Unit
from storage.sent import submissions
from storage.store import Store
from tests.helpers import letter_lines, workbook_rows

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = "Admin"  # the office admin, as the demo calls them

# ---- The plan's reports in the first half of 2025 ---------------------------------------------------

PLAN = "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025"
MONTHLY = "Báo cáo tháng kết quả theo dõi, đôn đốc thực hiện Bản cam kết của các xã, phường"
HALF_YEAR = "Báo cáo kết quả thực hiện Chủ đề công tác 6 tháng"

# The units, by the name the demo's `/as` takes: (the name every view prints, the phường it became on 1/7/2025)
XA_PHUONG = {
    "Bần Yên Nhân": ("Phường Bần Yên Nhân", "Phường Mỹ Hào"),
    "Phan Đình Phùng": ("Phường Phan Đình Phùng", "Phường Mỹ Hào"),
    "Nhân Hòa": ("Phường Nhân Hòa", "Phường Mỹ Hào"),
    "Dị Sử": ("Phường Dị Sử", "Phường Đường Hào"),
    "Bạch Sam": ("Phường Bạch Sam", "Phường Thượng Hồng"),
    "Minh Đức": ("Phường Minh Đức", "Phường Thượng Hồng"),
    "Phùng Chí Kiên": ("Phường Phùng Chí Kiên", "Phường Đường Hào"),
    "Cẩm Xá": ("Xã Cẩm Xá", "Phường Mỹ Hào"),
    "Dương Quang": ("Xã Dương Quang", "Phường Thượng Hồng"),
    "Hòa Phong": ("Xã Hòa Phong", "Phường Thượng Hồng"),
    "Xuân Dục": ("Xã Xuân Dục", "Phường Đường Hào"),
    "Ngọc Lâm": ("Xã Ngọc Lâm", "Phường Đường Hào"),
    "Hưng Long": ("Xã Hưng Long", "Phường Đường Hào"),
}
IV2 = {  # the five phòng of IV.2: the monthly report too (they end on 30/6/2025, nothing took them over)
    "Nội vụ": ("Phòng Nội vụ", None),
    "Tài nguyên và Môi trường": ("Phòng Tài nguyên và Môi trường", None),
    "Tài chính - Kế hoạch": ("Phòng Tài chính - Kế hoạch", None),
    "Kinh tế": ("Phòng Kinh tế", None),
    "Quản lý đô thị": ("Phòng Quản lý đô thị", None),
}
NOBODY = {  # phòng whose official the office never invites: nobody can be reached there
    "Tư pháp": ("Phòng Tư pháp", None),
    "Lao động - Thương binh và Xã hội": ("Phòng Lao động - Thương binh và Xã hội", None),
    "Văn hóa và Thông tin": ("Phòng Văn hóa và Thông tin", None),
    "Giáo dục và Đào tạo": ("Phòng Giáo dục và Đào tạo", None),
    "Y tế": ("Phòng Y tế", None),
    "Thanh tra": ("Thanh tra thị xã", None),
}
UNITS = {**XA_PHUONG, **IV2, **NOBODY}
REGISTERED = [*XA_PHUONG, *IV2]  # 18 units
EVERY_UNIT = tuple(UNITS)  # IV.1: every xã/phường and every phòng (the Văn phòng receives them)


@dataclass(frozen=True)
class Report:
    """One deadline. `legal` is the legal last day, worked out by hand: "trước ngày X" ends on X−1, or at
    the end of the next working day when X−1 is a day off (README "Two dates per deadline")."""

    key: str
    duty: str
    duty_key: str
    nominal: date
    legal: date
    units: tuple[str, ...]


def _monthly(month: int, legal: date) -> Report:
    return Report(f"M{month}", MONTHLY, "bao-cao-thang-cam-ket", date(2025, month, 20), legal, tuple(IV2))


REPORTS = {
    report.key: report
    for report in (
        Report("P", PLAN, "ke-hoach-2025", date(2025, 1, 10), date(2025, 1, 9), EVERY_UNIT),  # X−1 Thursday
        _monthly(1, date(2025, 1, 20)),  # 19/01 is a Sunday: Monday 20/01
        _monthly(2, date(2025, 2, 19)),
        _monthly(3, date(2025, 3, 19)),
        _monthly(4, date(2025, 4, 21)),  # 19/04 is a Saturday: Monday 21/04
        _monthly(5, date(2025, 5, 19)),
        Report("H", HALF_YEAR, "bao-cao-6-thang", date(2025, 6, 15), date(2025, 6, 16), EVERY_UNIT),  # 14/6 Sat
        _monthly(6, date(2025, 6, 19)),
    )
}

# Days off of the first half of 2025 other than weekends (DOMAIN.md section 3: the `holidays` package,
# checked against the official notices): New Year, Tết, Giỗ Tổ, 30/4 and 1/5 with the swap of Friday 2/5
# for Saturday 26/4, which was a working day.
DAYS_OFF = {
    date(2025, 1, 1),
    *(date(2025, 1, day) for day in range(27, 32)),
    date(2025, 4, 7),
    date(2025, 4, 30),
    date(2025, 5, 1),
    date(2025, 5, 2),
}
WORKING_SATURDAYS = {date(2025, 4, 26)}


def working(day: date) -> bool:
    return day in WORKING_SATURDAYS or (day.weekday() < 5 and day not in DAYS_OFF)


def working_days_after(last: date, today: date) -> int:
    """Working days in (last, today]: how late a unit is on `today` when `last` was its legal last day."""
    return sum(working(last + timedelta(days=n)) for n in range(1, (today - last).days + 1))


# ---- The story's script ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Tap:
    """Press the choice with this label, as the person reads its number on the screen and types it."""

    label: str


@dataclass(frozen=True)
class File:
    """A document sent to the bot (the terminal has no way to attach one: it comes as a channel gives it)."""

    name: str
    caption: str


@dataclass(frozen=True)
class Record:
    """What a step records for a unit and a report; `until`: the day an extension asks for or grants."""

    unit: str
    report: str
    status: str
    until: date | None = None


@dataclass(frozen=True)
class Step:
    at: str  # Hà Nội time
    who: str  # the unit played (its `/as` name), or ADMIN
    line: str | Tap | File
    says: str  # a piece of the bot's answer showing it understood
    records: tuple[Record, ...] = ()

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.at).replace(tzinfo=TZ)


def done(unit: str, report: str) -> Record:
    return Record(unit, report, "done")


def recorded(unit: str) -> str:
    return f"): {UNITS[unit][0]}, "  # "Đã ghi nhận (09:00 ngày 06/01/2025): Phường ..., "


SCRIPT: list[Step] = [
    # ---- January: the 2025 plan (legal last day Thursday 09/01), the January monthly report (Monday 20/01)
    Step("2025-01-03 09:00", "Hưng Long", "đã nộp", recorded("Hưng Long"), (done("Hưng Long", "P"),)),
    Step("2025-01-06 09:00", "Bần Yên Nhân", Tap("✅ Đã nộp"), recorded("Bần Yên Nhân"), (done("Bần Yên Nhân", "P"),)),
    Step(
        "2025-01-07 09:00",
        "Nhân Hòa",
        "60%, dự kiến 12/1",
        recorded("Nhân Hòa") + f"{PLAN}: đang thực hiện 60%, dự kiến xong 12/01/2025",
        (Record("Nhân Hòa", "P", "in_progress"),),
    ),
    Step(
        "2025-01-07 09:30",
        "Quản lý đô thị",
        "kế hoạch đã nộp",
        recorded("Quản lý đô thị"),
        (done("Quản lý đô thị", "P"),),
    ),
    Step(
        "2025-01-08 09:00",
        "Phan Đình Phùng",
        File("ke-hoach-2025-PDP.pdf", "Kế hoạch năm 2025 của phường"),
        "làm bản nộp",
        (done("Phan Đình Phùng", "P"),),
    ),
    Step("2025-01-08 09:15", ADMIN, Tap("📥 Đã nhận"), "Đã xác nhận nhận được: Phường Phan Đình Phùng"),
    Step("2025-01-08 10:00", "Xuân Dục", "da nop roi a", recorded("Xuân Dục"), (done("Xuân Dục", "P"),)),
    Step(
        "2025-01-08 10:30",
        "Bạch Sam",
        "xin gia hạn đến 15/1",
        "Đã gửi Văn phòng đề nghị gia hạn",
        (Record("Bạch Sam", "P", "extension_requested", date(2025, 1, 15)),),
    ),
    Step(
        "2025-01-08 11:00",
        ADMIN,
        Tap("✅ Đồng ý"),
        "Đã đồng ý: UBND phường Bạch Sam",
        (Record("Bạch Sam", "P", "extension_granted", date(2025, 1, 15)),),
    ),
    Step("2025-01-08 14:00", "Minh Đức", "ko co sl", recorded("Minh Đức"), (Record("Minh Đức", "P", "no_data"),)),
    Step("2025-01-08 15:00", "Nội vụ", "kế hoạch đã nộp", recorded("Nội vụ"), (done("Nội vụ", "P"),)),
    Step(
        "2025-01-09 09:00",
        "Dị Sử",
        "đang trình ký",
        recorded("Dị Sử"),
        (Record("Dị Sử", "P", "waiting_signature"),),
    ),
    Step(
        "2025-01-09 09:30",
        "Phùng Chí Kiên",
        "xin lùi 3 ngày",  # three working days from the legal last day: Tuesday 14/01
        "Đã gửi Văn phòng đề nghị gia hạn",
        (Record("Phùng Chí Kiên", "P", "extension_requested", date(2025, 1, 14)),),
    ),
    Step(
        "2025-01-09 10:00",
        ADMIN,
        Tap("❌ Không đồng ý"),
        "Không đồng ý: UBND phường Phùng Chí Kiên",
        (Record("Phùng Chí Kiên", "P", "extension_refused", date(2025, 1, 14)),),
    ),
    Step("2025-01-09 15:00", "Dương Quang", "đã nộp", recorded("Dương Quang"), (done("Dương Quang", "P"),)),
    Step(
        "2025-01-09 16:00",
        "Tài nguyên và Môi trường",
        "kế hoạch đã nộp",
        recorded("Tài nguyên và Môi trường"),
        (done("Tài nguyên và Môi trường", "P"),),
    ),
    # a day late, told by phone: the office records it
    Step(
        "2025-01-10 09:00",
        ADMIN,
        "/capnhat Hòa Phong: đã nộp bản giấy",
        recorded("Hòa Phong"),
        (done("Hòa Phong", "P"),),
    ),
    # (check day 13/01 at 09:00)
    Step("2025-01-13 10:00", "Nhân Hòa", "đã nộp", recorded("Nhân Hòa"), (done("Nhân Hòa", "P"),)),
    Step("2025-01-14 09:00", "Kinh tế", "kế hoạch đã nộp", recorded("Kinh tế"), (done("Kinh tế", "P"),)),
    Step("2025-01-14 10:00", "Bạch Sam", "đã nộp", recorded("Bạch Sam"), (done("Bạch Sam", "P"),)),  # extended
    Step("2025-01-16 09:00", "Nội vụ", "báo cáo tháng 1 đã nộp", recorded("Nội vụ"), (done("Nội vụ", "M1"),)),
    Step(
        "2025-01-17 09:00",
        "Tài nguyên và Môi trường",
        "đã nộp",  # the plan is sent: the January report is the only one it owes
        recorded("Tài nguyên và Môi trường"),
        (done("Tài nguyên và Môi trường", "M1"),),
    ),
    Step(
        "2025-01-17 10:00",
        "Tài chính - Kế hoạch",
        "báo cáo tháng 1: 60%, dự kiến 22/1",
        recorded("Tài chính - Kế hoạch"),
        (Record("Tài chính - Kế hoạch", "M1", "in_progress"),),
    ),
    # Monday 20/01 is the legal last day (the day to aim for was Friday 17/01): on time
    Step("2025-01-20 09:00", "Kinh tế", "báo cáo tháng 1 đã nộp", recorded("Kinh tế"), (done("Kinh tế", "M1"),)),
    Step(
        "2025-01-22 09:00",
        "Tài chính - Kế hoạch",
        "báo cáo tháng 1 đã nộp",
        recorded("Tài chính - Kế hoạch"),
        (done("Tài chính - Kế hoạch", "M1"),),
    ),
    # ---- February: every phòng sends (one late); Tết lies between
    Step("2025-02-14 09:00", "Kinh tế", "báo cáo tháng 2 đã nộp", recorded("Kinh tế"), (done("Kinh tế", "M2"),)),
    Step("2025-02-18 09:00", "Nội vụ", Tap("✅ Đã nộp"), recorded("Nội vụ"), (done("Nội vụ", "M2"),)),
    Step(
        "2025-02-19 09:00",
        "Tài nguyên và Môi trường",
        "báo cáo tháng 2 đã nộp",
        recorded("Tài nguyên và Môi trường"),
        (done("Tài nguyên và Môi trường", "M2"),),
    ),
    Step(
        "2025-02-19 10:00",
        "Quản lý đô thị",
        "báo cáo tháng 2 đã nộp",
        recorded("Quản lý đô thị"),
        (done("Quản lý đô thị", "M2"),),
    ),
    Step(
        "2025-02-21 09:00",
        "Tài chính - Kế hoạch",
        "báo cáo tháng 2 đã nộp",
        recorded("Tài chính - Kế hoạch"),
        (done("Tài chính - Kế hoạch", "M2"),),
    ),
    # ---- March: everyone on time
    Step("2025-03-14 09:00", "Nội vụ", "báo cáo tháng 3 đã nộp", recorded("Nội vụ"), (done("Nội vụ", "M3"),)),
    Step("2025-03-17 09:00", "Kinh tế", "báo cáo tháng 3 đã nộp", recorded("Kinh tế"), (done("Kinh tế", "M3"),)),
    Step(
        "2025-03-18 09:00",
        "Tài nguyên và Môi trường",
        Tap("✅ Đã nộp"),
        recorded("Tài nguyên và Môi trường"),
        (done("Tài nguyên và Môi trường", "M3"),),
    ),
    Step(
        "2025-03-19 09:00",
        "Tài chính - Kế hoạch",
        "báo cáo tháng 3 đã nộp",
        recorded("Tài chính - Kế hoạch"),
        (done("Tài chính - Kế hoạch", "M3"),),
    ),
    Step(
        "2025-03-19 10:00",
        "Quản lý đô thị",
        "báo cáo tháng 3 đã nộp",
        recorded("Quản lý đô thị"),
        (done("Quản lý đô thị", "M3"),),
    ),
    # ---- April: legal last day Monday 21/04 (19/04 is a Saturday); Saturday 26/04 is a working day
    Step("2025-04-18 09:00", "Nội vụ", Tap("✅ Đã nộp"), recorded("Nội vụ"), (done("Nội vụ", "M4"),)),
    Step(
        "2025-04-21 09:00",
        "Tài nguyên và Môi trường",
        "báo cáo tháng 4 đã nộp",
        recorded("Tài nguyên và Môi trường"),
        (done("Tài nguyên và Môi trường", "M4"),),
    ),
    Step(
        "2025-04-21 10:00",
        "Tài chính - Kế hoạch",
        "báo cáo tháng 4 đang trình ký",
        recorded("Tài chính - Kế hoạch"),
        (Record("Tài chính - Kế hoạch", "M4", "waiting_signature"),),
    ),
    Step("2025-04-22 09:00", "Kinh tế", "báo cáo tháng 4 đã nộp", recorded("Kinh tế"), (done("Kinh tế", "M4"),)),
    # ---- May
    Step("2025-05-15 09:00", "Nội vụ", "báo cáo tháng 5 đã nộp", recorded("Nội vụ"), (done("Nội vụ", "M5"),)),
    Step(
        "2025-05-16 09:00",
        "Tài chính - Kế hoạch",
        "báo cáo tháng 5 đã nộp",
        recorded("Tài chính - Kế hoạch"),
        (done("Tài chính - Kế hoạch", "M5"),),
    ),
    Step(
        "2025-05-16 10:00",
        "Quản lý đô thị",
        "báo cáo tháng 5 đã nộp",
        recorded("Quản lý đô thị"),
        (done("Quản lý đô thị", "M5"),),
    ),
    # ... not sent after all: the official corrects it (a new entry; the history keeps both)
    Step(
        "2025-05-16 10:05",
        "Quản lý đô thị",
        "/sua 50%",
        recorded("Quản lý đô thị") + f"{MONTHLY}: đang thực hiện 50%",
        (Record("Quản lý đô thị", "M5", "in_progress"),),
    ),
    Step("2025-05-19 09:00", "Kinh tế", "báo cáo tháng 5 đã nộp", recorded("Kinh tế"), (done("Kinh tế", "M5"),)),
    Step(
        "2025-05-19 10:00",
        "Tài nguyên và Môi trường",
        Tap("✅ Đã nộp"),
        recorded("Tài nguyên và Môi trường"),
        (done("Tài nguyên và Môi trường", "M5"),),
    ),
    # ---- June: the 6-month report (aim Friday 13/06, legal last day Monday 16/06), the June monthly (19/06)
    Step("2025-06-10 09:00", "Dương Quang", "đã nộp", recorded("Dương Quang"), (done("Dương Quang", "H"),)),
    Step("2025-06-11 09:00", "Hòa Phong", "đã nộp", recorded("Hòa Phong"), (done("Hòa Phong", "H"),)),
    Step("2025-06-12 09:00", "Bần Yên Nhân", Tap("✅ Đã nộp"), recorded("Bần Yên Nhân"), (done("Bần Yên Nhân", "H"),)),
    Step("2025-06-12 10:00", "Nội vụ", "báo cáo 6 tháng đã nộp", recorded("Nội vụ"), (done("Nội vụ", "H"),)),
    Step("2025-06-13 09:00", "Phan Đình Phùng", "đã nộp", recorded("Phan Đình Phùng"), (done("Phan Đình Phùng", "H"),)),
    Step(
        "2025-06-13 09:30",
        "Minh Đức",
        "báo cáo 6 tháng đã nộp",  # its plan is still open: it names the report
        recorded("Minh Đức"),
        (done("Minh Đức", "H"),),
    ),
    Step(
        "2025-06-13 10:00",
        "Bạch Sam",
        "80%, dự kiến 18/6",
        recorded("Bạch Sam") + f"{HALF_YEAR}: đang thực hiện 80%, dự kiến xong 18/06/2025",
        (Record("Bạch Sam", "H", "in_progress"),),
    ),
    Step(
        "2025-06-13 10:30",
        "Xuân Dục",
        "Đang trình ký lãnh đạo",
        recorded("Xuân Dục"),
        (Record("Xuân Dục", "H", "waiting_signature"),),
    ),
    Step("2025-06-13 11:00", "Hưng Long", Tap("✅ Đã nộp"), recorded("Hưng Long"), (done("Hưng Long", "H"),)),
    # the legal last day, after the day to aim for: on time
    Step("2025-06-16 09:00", "Nhân Hòa", "đã nộp", recorded("Nhân Hòa"), (done("Nhân Hòa", "H"),)),
    Step(
        "2025-06-16 10:00",
        "Tài nguyên và Môi trường",
        "báo cáo 6 tháng đã nộp",
        recorded("Tài nguyên và Môi trường"),
        (done("Tài nguyên và Môi trường", "H"),),
    ),
    # (check day 17/06 at 09:00)
    Step("2025-06-18 09:00", "Dị Sử", "báo cáo 6 tháng đã nộp", recorded("Dị Sử"), (done("Dị Sử", "H"),)),
    Step("2025-06-18 10:00", "Nội vụ", "báo cáo tháng 6 đã nộp", recorded("Nội vụ"), (done("Nội vụ", "M6"),)),
    Step(
        "2025-06-19 09:00",
        "Tài nguyên và Môi trường",
        "báo cáo tháng 6 đã nộp",
        recorded("Tài nguyên và Môi trường"),
        (done("Tài nguyên và Môi trường", "M6"),),
    ),
    Step(
        "2025-06-20 09:00",
        "Tài chính - Kế hoạch",
        "báo cáo tháng 6 đã nộp",
        recorded("Tài chính - Kế hoạch"),
        (done("Tài chính - Kế hoạch", "M6"),),
    ),
    Step("2025-06-20 10:00", "Kinh tế", "báo cáo 6 tháng đã nộp", recorded("Kinh tế"), (done("Kinh tế", "H"),)),
]
# Never a word: Cẩm Xá, Ngọc Lâm (registered, silent all half-year), the six phòng nobody registered for,
# Tài chính - Kế hoạch on its plan and 6-month report, Quản lý đô thị on January's, April's, June's and the
# 6-month report, Kinh tế on June's, Phùng Chí Kiên after its refusal. Never sent: Dị Sử's plan (stuck at
# the signature), Minh Đức's (no data), Tài chính - Kế hoạch's April report (at the signature), Quản lý đô
# thị's May report (corrected to 50%), Bạch Sam's and Xuân Dục's 6-month reports (80%, at the signature).
CHECK_DAYS = [datetime(2025, 1, 13, 9, 0, tzinfo=TZ), datetime(2025, 6, 17, 9, 0, tzinfo=TZ)]
LAST_DAY = datetime(2025, 6, 30, 9, 0, tzinfo=TZ)  # the thị xã's last day: tomorrow its units merge or end
MERGED = datetime(2025, 7, 1, 9, 0, tzinfo=TZ)  # what they had not sent closed with them (issue 24)


# ---- The expected table ---------------------------------------------------------------------------


@dataclass
class Cell:
    """One unit and one report, as the script leaves them at a moment."""

    status: str | None = None  # the last thing recorded
    sent_at: datetime | None = None  # the "đã nộp" that stands now (a correction undoes it)
    granted_until: date | None = None


@dataclass(frozen=True)
class Row:
    """The table's row for a unit and a report at a moment."""

    unit: str  # the name the views print
    status: str | None
    sent_at: datetime | None
    legal: date  # the unit's own legal last day (a granted extension moves it)
    late: bool  # not sent, and its legal last day is over
    days_late: int  # working days after its legal last day; 0 when not late
    registered: bool

    @property
    def sent(self) -> bool:
        return self.sent_at is not None

    @property
    def sent_late(self) -> bool:
        return self.sent_at is not None and self.sent_at.astimezone(TZ).date() > self.legal

    @property
    def sent_days_late(self) -> int:
        """Working days after its legal last day it came (issue 25: "đã nộp muộn N ngày làm việc")."""
        return working_days_after(self.legal, self.sent_at.astimezone(TZ).date()) if self.sent_late else 0  # type: ignore[union-attr]

    @property
    def on_time_words(self) -> str:
        """What every view says of a sent report: on time, or late by its working days."""
        return f"đã nộp muộn {self.sent_days_late} ngày làm việc" if self.sent_late else "đúng hạn"

    @property
    def group(self) -> str:
        """Where `/tonghop` puts it (README's commands table): sent; nothing known and nobody to ask;
        late, whatever it said; what it said; or nothing yet."""
        if self.sent:
            return "done"
        if self.status is None and not self.registered:
            return "unreachable"
        if self.late:
            return "overdue"
        if self.status in STATUS_GROUPS:
            return self.status
        return "no_update"

    @property
    def reported(self) -> str:
        """The workbook's status column: what the unit reported, or why nothing came (lateness has its
        own column)."""
        if self.sent:
            return "Đã nộp"
        if self.status is None:
            return "Chưa cập nhật" if self.registered else "Chưa có cán bộ đăng ký nhận nhắc"
        return STATUS_WORDS[self.status]


STATUS_GROUPS = ("in_progress", "waiting_signature", "no_data", "extension_requested", "extension_granted")
GROUP_LABELS = {
    "done": "✅ Đã nộp",
    "in_progress": "⏳ Đang thực hiện",
    "waiting_signature": "✍️ Chờ ký",
    "no_data": "📭 Chưa có số liệu",
    "extension_requested": "📅 Xin gia hạn",
    "extension_granted": "📅 Được gia hạn",
    "no_update": "❔ Chưa cập nhật",
    "overdue": "⏰ Quá hạn",
    "unreachable": "🚫 Không liên lạc được",
}
STATUS_WORDS = {
    "in_progress": "Đang thực hiện",
    "waiting_signature": "Chờ ký",
    "no_data": "Chưa có số liệu",
    "extension_requested": "Xin gia hạn",
    "extension_granted": "Được gia hạn",
    "extension_refused": "Không được gia hạn",
}


def cells(moment: datetime) -> dict[tuple[str, str], Cell]:
    """Every unit and report the plan asks for, with what the script's steps before `moment` recorded."""
    found = {(unit, report.key): Cell() for report in REPORTS.values() for unit in report.units}
    for step in SCRIPT:
        if step.moment >= moment:
            break
        for record in step.records:
            cell = found[(record.unit, record.report)]
            cell.status = record.status
            if record.status == "done":
                cell.sent_at = cell.sent_at or step.moment
            else:
                cell.sent_at = None
            if record.status == "extension_granted":
                cell.granted_until = record.until
    return found


def table(moment: datetime) -> dict[str, dict[str, Row]]:
    """THE expected table at a moment: report key -> unit name -> row, for the reports open that day."""
    day = moment.astimezone(TZ).date()
    out: dict[str, dict[str, Row]] = {}
    found = cells(moment)
    for report in sorted(REPORTS.values(), key=lambda report: (report.legal, report.nominal)):  # oldest first
        rows = {}
        for unit in report.units:
            cell = found[(unit, report.key)]
            legal = cell.granted_until or report.legal
            late = cell.sent_at is None and day > legal
            days = working_days_after(legal, day) if late else 0
            rows[UNITS[unit][0]] = Row(UNITS[unit][0], cell.status, cell.sent_at, legal, late, days, unit in REGISTERED)
        if is_open(report, rows.values(), day):
            out[report.key] = rows
    return out


def is_open(report: Report, rows: Iterable[Row], day: date) -> bool:
    """The office's views show a report from 30 days before its legal last day; once that day is more
    than 20 days gone, only while some unit has not sent it (late stays late)."""
    if report.legal > day + timedelta(days=30):
        return False
    return report.legal >= day - timedelta(days=20) or not all(row.sent for row in rows)


# ---- Playing the demo -----------------------------------------------------------------------------

CHOICE = re.compile(r"^  \[(\d+)\] (.+)$")
TO_OTHER = re.compile(r"^\[gửi (.+?)\] ")


@dataclass(frozen=True)
class Written:
    """A line the demo wrote: when, for whom (a unit's `/as` name or ADMIN), and what."""

    at: datetime
    owner: str
    text: str


class Demo:
    """The terminal demo, with what it writes kept: who each message is for, and each person's choices."""

    def __init__(self, app: App, clock: FakeClock) -> None:
        self.app = app
        self.clock = clock
        self.chat = ConsoleChat(app.core, clock=clock, write=self._write)
        self.chat.reminders = app.reminders(self.chat, limits=Limits.off())
        self.written: list[Written] = []
        self.rates: dict[str, Tally] = {}  # the on-time record the views are checked against
        self._owner = ADMIN
        self._start = 0

    def _write(self, text: str) -> None:
        if not CHOICE.match(text) and text:  # a message; its choices follow it
            other = TO_OTHER.match(text)
            self._owner = other.group(1) if other else self.chat.display_name
        self.written.append(Written(self.clock.now(), self._owner, TO_OTHER.sub("", text)))

    def _since_start(self) -> str:
        return "\n".join(line.text for line in self.written[self._start :])

    async def say(self, line: str) -> str:
        """A line typed by the person played: what the demo wrote in answer."""
        self._start = len(self.written)
        await self.chat.say(line)
        return self._since_start()

    def choice(self, person: str, label: str) -> str:
        """The number the demo shows before the latest choice with this label for this person."""
        for line in reversed(self.written):
            found = CHOICE.match(line.text)
            if line.owner == person and found and found.group(2) == label:
                return found.group(1)
        raise AssertionError(f"no choice {label!r} was shown to {person}")

    async def be(self, who: str) -> None:
        if self.chat.display_name != who:
            await self.say("/as" if who == ADMIN else f"/as {who}")
            assert self.chat.display_name == who

    async def time(self, moment: datetime) -> None:
        if moment > self.clock.now():
            await self.say(f"/time {moment.astimezone(TZ):%Y-%m-%d %H:%M}")

    async def handle(self, incoming: Incoming) -> Outcome:
        """What a channel would hand the core for the person played (a document, or a command whose
        file or photo the test reads), shown as the terminal shows any answer."""
        self._start = len(self.written)
        outcome = await self.app.core.handle(incoming)
        self.chat._show(outcome)  # what the terminal shows of an answer
        return outcome

    async def send_file(self, file: File) -> str:
        attachment = Attachment("document", f"file-{file.name}", file.name)
        await self.handle(self._incoming(file.caption, attachment))
        return self._since_start()

    async def files(self, command: str) -> list[tuple[str, bytes]]:
        """An office command's documents or photos, with their captions (none: it answered in words)."""
        await self.be(ADMIN)
        outcome = await self.handle(self._incoming(command))
        return [(reply.text, file.content) for reply in outcome.replies if (file := reply.document or reply.photo)]

    def _incoming(self, text: str, attachment: Attachment | None = None) -> Incoming:
        user = self.chat.user_id
        return Incoming(CHANNEL, user, user, text, self.chat.display_name, attachment=attachment)

    async def play(self, step: Step) -> None:
        await self.be(step.who)
        await self.time(step.moment)
        if isinstance(step.line, Tap):
            answer = await self.say(self.choice(step.who, step.line.label))
        elif isinstance(step.line, File):
            answer = await self.send_file(step.line)
        else:
            answer = await self.say(step.line)
        assert step.says in answer, f"{step.at} {step.who}: {step.line!r}\n{answer}"

    async def register(self, unit: str) -> None:
        await self.be(ADMIN)
        invited = await self.say(f"/moi {unit}")
        code = invited.split("Mã: ")[1].split()[0]
        await self.be(unit)
        assert "Đăng ký thành công" in await self.say(f"/dangky {code}")


@pytest.fixture
async def demo(settings: Settings) -> AsyncIterator[Demo]:
    """As `nhacviec demo --at 2025-01-02T08:00` starts it (bot/cli/demo.py), on the test's database."""
    clock = FakeClock(datetime(2025, 1, 2, 8, 0, tzinfo=TZ).astimezone(UTC))
    async with running(settings, clock=clock, extra_admins=frozenset({f"{CHANNEL}:{ADMIN_ID}"})) as application:
        yield Demo(application, clock)


# ---- Reading the views back -----------------------------------------------------------------------

DAY = r"(\d{2}/\d{2}/\d{4})"
WEEKDAY = r" \((?:thứ \w+|Chủ nhật)\)"  # "10/01/2025 (thứ Sáu)": a day said with its weekday


def _day(text: str) -> date:
    day, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day)


def report_of(duty: str, *, nominal: date | None = None, legal: date | None = None) -> str:
    """The script's key of the report a view names by its duty and one of its dates."""
    found = [
        report.key
        for report in REPORTS.values()
        if report.duty == duty and nominal in (None, report.nominal) and legal in (None, report.legal)
    ]
    assert len(found) == 1, (duty, nominal, legal)
    return found[0]


@dataclass
class SummaryBlock:
    sent: int
    total: int
    groups: dict[str, str] = field(default_factory=dict)  # unit -> group key
    details: dict[str, str] = field(default_factory=dict)  # unit -> what follows " — "


def read_summary(text: str) -> dict[str, SummaryBlock]:
    """`/tonghop` (or a last-day digest) read back: report key -> its "X/Y" and each unit's group."""
    head = re.compile(rf"^📊 (.+), hạn .*?{DAY}{WEEKDAY}: (\d+)/(\d+) đơn vị đã nộp$")
    group = re.compile(r"^(.+) \((\d+)\):$")
    labels = {label: key for key, label in GROUP_LABELS.items()}
    labels["🚫 Chưa có cán bộ đăng ký nhận nhắc"] = "unreachable"  # nobody registered: apart from the unreachable
    found: dict[str, SummaryBlock] = {}
    block = SummaryBlock(0, 0)
    current = ""
    for line in text.splitlines():
        if matched := head.match(line):
            block = SummaryBlock(int(matched.group(3)), int(matched.group(4)))
            found[report_of(matched.group(1), nominal=_day(matched.group(2)))] = block
        elif (matched := group.match(line)) and matched.group(1) in labels:
            current = labels[matched.group(1)]
        elif line.startswith("• "):
            unit, _dash, detail = line.removeprefix("• ").partition(" — ")
            block.groups[unit], block.details[unit] = current, detail
    return found


@dataclass
class LateBlock:
    count: int
    most: int
    named: dict[str, int] = field(default_factory=dict)  # unit -> working days late
    more: int = 0


def read_overdue(text: str) -> list[tuple[str, LateBlock]]:
    """`/quahan` (or a weekly digest's late part) read back, in order: (report key, the units it names)."""
    head = re.compile(rf"^📋 (.+) \(hạn chót theo quy định {DAY}\): (\d+) đơn vị, quá hạn (\d+) ngày làm việc$")
    named = re.compile(r"^• (.+): quá hạn (\d+) ngày làm việc$")
    more = re.compile(r"^… và (\d+) đơn vị khác")
    found: list[tuple[str, LateBlock]] = []
    for line in text.splitlines():
        if matched := head.match(line):
            key = report_of(matched.group(1), legal=_day(matched.group(2)))
            found.append((key, LateBlock(int(matched.group(3)), int(matched.group(4)))))
        elif matched := named.match(line):
            found[-1][1].named[matched.group(1)] = int(matched.group(2))
        elif matched := more.match(line):
            found[-1][1].more = int(matched.group(1))
    return found


def read_letter(content: bytes) -> tuple[str, list[str], dict[str, dict[str, int]]]:
    """The letter read back: its date line, whom it is addressed to, and report key -> unit -> days late."""
    head = re.compile(
        r"^\d+\. (.+) \(hạn (?:trước|chậm nhất) ngày \d{2}/\d{2}/\d{4}; "
        r"hạn chót theo quy định: ngày (\d{2}) tháng (\d{1,2}) năm (\d{4})\):$"
    )
    bullet = re.compile(r"^- (.+): chậm (\d+) ngày làm việc[;.]$")
    dated, to = "", []
    listed: dict[str, dict[str, int]] = {}
    current: dict[str, int] = {}
    lines = letter_lines(content)
    for index, text in enumerate(lines):
        if text.startswith("Mỹ Hào, ngày "):
            dated = text
        elif text.startswith("Kính gửi: "):  # one unit
            to = [text.removeprefix("Kính gửi: ").removesuffix(".")]
        elif text == "Kính gửi:":  # a line a kind of unit
            after = takewhile(lambda line: line.startswith("- "), lines[index + 1 :])
            to = [line.removeprefix("- ")[:-1] for line in after]
        elif matched := head.match(text):
            legal = date(int(matched.group(4)), int(matched.group(3)), int(matched.group(2)))
            current = listed.setdefault(report_of(matched.group(1), legal=legal), {})
        elif matched := bullet.match(text):
            current[matched.group(1)] = int(matched.group(2))
    return dated, to, listed


# ---- The checks: every view against the table -----------------------------------------------------


def late_rows(rows: dict[str, Row]) -> list[Row]:
    return [row for row in rows.values() if row.late]


def summary_agrees(text: str, expected: dict[str, dict[str, Row]], *, every_report: bool = True) -> int:
    """Each report's "X/Y đơn vị đã nộp", each unit's group, its days late and when it sent."""
    seen = read_summary(text)
    if every_report:
        assert list(seen) == list(expected), "the open reports, oldest first"
    for key, block in seen.items():
        rows = expected[key]
        assert (block.sent, block.total) == (sum(row.sent for row in rows.values()), len(rows)), key
        assert block.groups == {unit: row.group for unit, row in rows.items()}, key
        for unit, row in rows.items():
            if row.late:
                assert f"quá hạn {row.days_late} ngày làm việc" in block.details[unit], (key, unit)
            else:
                assert "quá hạn" not in block.details[unit], (key, unit)
            if row.sent_at is not None:
                assert f"{row.sent_at:%H:%M %d/%m/%Y}" in block.details[unit], (key, unit)
                assert row.on_time_words in block.details[unit].split(", "), (key, unit)  # late stays said
    return len(seen)


def overdue_agrees(text: str, expected: dict[str, dict[str, Row]]) -> None:
    """Grouped by report, the oldest first; up to 10 units named under each, 40 in all, the rest counted;
    the latest first."""
    seen = read_overdue(text)
    late = {key: late_rows(rows) for key, rows in expected.items() if late_rows(rows)}
    assert [key for key, _block in seen] == sorted(late, key=lambda key: (REPORTS[key].legal, REPORTS[key].nominal))
    left = 40
    for key, block in seen:
        rows = late[key]
        assert (block.count, block.most) == (len(rows), max(row.days_late for row in rows)), key
        shown = min(10, left, len(rows))
        left -= shown
        assert (len(block.named), block.more) == (shown, len(rows) - shown), key
        days = {row.unit: row.days_late for row in rows}
        assert {unit: days.get(unit) for unit in block.named} == block.named, key
        left_out = [late for unit, late in days.items() if unit not in block.named]
        assert min(block.named.values()) >= max(left_out, default=0), key  # no unit left out is later


async def check_summary(demo: Demo, expected: dict[str, dict[str, Row]]) -> None:
    await demo.be(ADMIN)
    summary_agrees(await demo.say("/tonghop"), expected)


async def check_overdue(demo: Demo, expected: dict[str, dict[str, Row]]) -> None:
    await demo.be(ADMIN)
    overdue_agrees(await demo.say("/quahan"), expected)


async def check_workbook(demo: Demo, expected: dict[str, dict[str, Row]]) -> None:
    """The summary sheet's counts, then a sheet a report: each unit's status (what it reported) and
    its working days late."""
    [(_caption, content)] = await demo.files("/xuat")
    summary, *sheets, rates = load_workbook(BytesIO(content)).worksheets
    assert rates.title == "Tỷ lệ đúng hạn"
    assert {str(row[0]): tuple(row[1:5]) for row in workbook_rows(rates)} == {
        unit: (tally.due, tally.on_time, tally.late, tally.not_sent) for unit, tally in demo.rates.items()
    }
    heads = workbook_rows(summary)
    keys = [report_of(str(head[0]), nominal=head[1].date()) for head in heads]
    assert keys == list(expected)
    assert len(sheets) == len(keys)
    for key, head, sheet in zip(keys, heads, sheets, strict=True):
        rows = expected[key]
        assert head[3].date() == REPORTS[key].legal, key
        assert (head[4], head[5]) == (len(rows), sum(row.sent for row in rows.values())), key
        assert sheet.cell(HEADER_ROW, 4).value == "Trạng thái"
        assert sheet.cell(HEADER_ROW, 8).value == "Số ngày làm việc quá hạn"
        assert sheet.cell(HEADER_ROW, 9).value == "Đúng hạn"
        seen = {str(row[0]): (row[2], row[6], row[7]) for row in workbook_rows(sheet)}
        assert seen == {
            unit: (
                row.reported,
                row.sent_days_late if row.sent else row.days_late,
                row.on_time_words if row.sent else None,
            )
            for unit, row in rows.items()
        }, key


async def check_charts(demo: Demo, expected: dict[str, dict[str, Row]]) -> None:
    """`/bieudo <duty>`: a chart a report, captioned "… (hạn …): N/M đơn vị đã nộp"; and the chart's data
    (`storage.sent.submissions`): when each unit sent what stands now, and how many by the legal last day."""
    caption = re.compile(rf"^(.+), hạn .*?{DAY}{WEEKDAY}: (\d+)/(\d+) đơn vị đã nộp$")
    seen: dict[str, tuple[int, int]] = {}
    for duty in ("ke-hoach-2025", "bao-cao-thang-cam-ket", "bao-cao-6-thang"):
        charts = await demo.files(f"/bieudo {duty}")
        assert len(charts) == sum(REPORTS[key].duty_key == duty for key in expected), duty
        for text, _png in charts:
            matched = caption.match(text)
            assert matched, text
            seen[report_of(matched.group(1), nominal=_day(matched.group(2)))] = (
                int(matched.group(3)),
                int(matched.group(4)),
            )
    assert seen == {key: (sum(row.sent for row in rows.values()), len(rows)) for key, rows in expected.items()}
    today = demo.clock.now().astimezone(TZ).date()
    async with demo.app.sessions() as session:
        for key, rows in expected.items():
            report = REPORTS[key]
            occurrence = (
                await session.exec(
                    select(Occurrence.id)
                    .join(Duty, col(Duty.id) == col(Occurrence.duty_id))
                    .where(Duty.key == report.duty_key, Occurrence.nominal == report.nominal)
                )
            ).one()
            names = [UNITS[unit][0] for unit in report.units]
            units = (await session.exec(select(Unit.id).where(col(Unit.name).in_(names)))).all()
            sent = await submissions(session, occurrence_id=occurrence or 0, unit_ids=[u for u in units if u])
            assert [moment.astimezone(TZ) for moment in sent] == sorted(
                row.sent_at for row in rows.values() if row.sent_at is not None
            ), key
            if report.legal <= today:  # the chart draws no line into the future
                by_then = sum(row.sent_at.astimezone(TZ).date() <= report.legal for row in rows.values() if row.sent_at)
                assert cumulative(sent, [report.legal], today=today) == [by_then], key


def letter_name(unit: str, today: date) -> str:
    """How the letter names a late unit: a xã or phường by its UBND; after the merger, with the phường
    it is part of now (lowercase mid-sentence)."""
    name, successor = UNITS[unit]
    if today <= date(2025, 6, 30):
        return re.sub(r"^(Phường|Xã) ", lambda kind: f"UBND {kind.group(1).lower()} ", name)
    if successor is None:
        return f"{name} (đã kết thúc hoạt động)"
    return f"{name} (nay là {successor.replace('Phường ', 'phường ')})"


def addressed(names: Iterable[str]) -> list[str]:
    """Whom the letter addresses (Decree 30's "Kính gửi:"): one line a kind of unit, names in Vietnamese
    order, a kind with one unit named whole; a unit of no such kind (Thanh tra thị xã) on its own."""
    kinds = (
        ("Phòng ", "Các phòng: ", "Phòng "),
        ("Phường ", "UBND các phường: ", "UBND phường "),
        ("Xã ", "UBND các xã: ", "UBND xã "),
    )
    ordered, lines = sorted(names, key=fold), []
    for prefix, several, one in kinds:
        found = [name.removeprefix(prefix) for name in ordered if name.startswith(prefix)]
        if found:
            lines.append((several if len(found) > 1 else one) + ", ".join(found))
    return lines + [name for name in ordered if not name.startswith(tuple(kind[0] for kind in kinds))]


def official_date(day: date) -> str:
    """Decree 30/2020, appendix I (DOMAIN.md section 4): a day below 10 and the months 1 and 2 get a
    leading zero, the other months none."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


async def check_letter(demo: Demo, expected: dict[str, dict[str, Row]]) -> None:
    """The late units of each report with their days late; addressed to the late units, or after the
    merger to the phường they became (the phòng ended with nothing after them)."""
    today = demo.clock.now().astimezone(TZ).date()
    [(_caption, content)] = await demo.files("/congvan")
    dated, to, listed = read_letter(content)
    assert dated == f"Mỹ Hào, {official_date(today)}"
    short = {name: unit for unit, (name, _after) in UNITS.items()}

    def asked(rows: dict[str, Row]) -> list[Row]:  # a unit that ended with nothing after it is asked nothing
        return [row for row in late_rows(rows) if today <= date(2025, 6, 30) or UNITS[short[row.unit]][1]]

    assert listed == {
        key: {letter_name(short[row.unit], today): row.days_late for row in asked(rows)}
        for key, rows in expected.items()
        if asked(rows)
    }
    late_units = {short[row.unit] for rows in expected.values() for row in late_rows(rows)}
    if today <= date(2025, 6, 30):
        assert to == addressed(UNITS[unit][0] for unit in late_units)
    else:
        assert to == addressed({after for unit in late_units if (after := UNITS[unit][1])})  # Đ sorts with D


@dataclass
class Tally:
    """A unit's reports due this year so far (issue 25): on time, sent late, not sent."""

    on_time: int = 0
    late: int = 0
    not_sent: int = 0

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.not_sent

    def line(self, unit: str) -> str:
        """As `/dunghan` says it: "Phường Bần Yên Nhân: 1/1 đúng hạn (100%)", then late and not sent."""
        said = f"{unit}: {self.on_time}/{self.due} đúng hạn ({round(100 * self.on_time / self.due)}%)"
        more = [f"{n} {words}" for n, words in ((self.late, "nộp muộn"), (self.not_sent, "chưa nộp")) if n]
        return ", ".join([said, *more])


def rates(moment: datetime) -> dict[str, Tally]:
    """Each unit's record for the year so far: every report whose legal last day is past (or that came
    before it), read from the script's cells as the table reads them."""
    day, found, tallies = moment.astimezone(TZ).date(), cells(moment), {}
    for report in REPORTS.values():
        for unit in report.units:
            cell = found[(unit, report.key)]
            legal = cell.granted_until or report.legal
            if cell.sent_at is None and (report.legal > day or day <= legal):
                continue  # not due yet
            tally = tallies.setdefault(UNITS[unit][0], Tally())
            if cell.sent_at is None:
                tally.not_sent += 1
            elif cell.sent_at.astimezone(TZ).date() <= legal:
                tally.on_time += 1
            else:
                tally.late += 1
    return tallies


async def check_rates(demo: Demo, moment: datetime) -> None:
    """`/dunghan` (the year so far): each unit's line, best first, those that sent nothing last; and the
    web overview's column."""
    lines = (await demo.say("/dunghan")).splitlines()[1:]
    assert sorted(lines) == sorted(tally.line(unit) for unit, tally in demo.rates.items())
    shares = [(tally.on_time + tally.late == 0, -tally.on_time / tally.due) for tally in demo.rates.values()]
    order = {tally.line(unit): share for (unit, tally), share in zip(demo.rates.items(), shares, strict=True)}
    assert [order[line] for line in lines] == sorted(order[line] for line in lines)
    async with demo.app.sessions() as session:
        table_ = await overview(demo.app.core, Store(session), today=moment.date(), locale="vi", choice=Choice())
    shown = {row.unit.name: row.rate for _name, rows in table_.sections for row in rows}
    for unit, tally in demo.rates.items():
        if unit in shown:
            assert shown[unit] == f"{tally.on_time}/{tally.due} ({round(100 * tally.on_time / tally.due)}%)", unit


async def check_views(demo: Demo, moment: datetime) -> dict[str, dict[str, Row]]:
    expected = table(moment)
    demo.rates = rates(moment)
    await check_rates(demo, moment)
    await check_summary(demo, expected)
    await check_overdue(demo, expected)
    await check_workbook(demo, expected)
    await check_charts(demo, expected)
    await check_letter(demo, expected)
    return expected


UNIT_LINE = re.compile(r"^🏢 (.+)$", re.MULTILINE)
TITLE_LINE = re.compile(r"^📋 (.+)$", re.MULTILINE)
NOMINAL_LINE = re.compile(rf"^Hạn: .*?{DAY}{WEEKDAY}$", re.MULTILINE)
LATE_LINE = re.compile(r"^Đã quá hạn (\d+) ngày làm việc\.$", re.MULTILINE)
WEEK_LINE = re.compile(
    rf"^• (.+): (?:đề nghị gửi chậm nhất ngày {DAY}, )?hạn chót theo quy định {DAY}, (\d+)/(\d+) đơn vị đã nộp$"
)


def messages_agree(written: list[Written]) -> dict[str, int]:
    """What the bot sent unasked as the clock moved, against the table at the moment it went out: a
    reminder only to a unit that has not sent; an overdue nudge to a late unit, with its days late; the
    office's copy naming the late units; the weekly digest's late part (as /quahan) and deadlines of the
    week; the last-day digests (as /tonghop). And none on a day off or at night (README "Reminders")."""
    counted = {"reminder": 0, "nudge": 0, "office copy": 0, "weekly": 0, "week's deadline": 0, "last day": 0}
    unasked = ("🔔 ", "⚠️ Báo cáo đã quá hạn", "⚠️ Kính báo Văn phòng:", "🗓 Tuần từ", "⏳ Hôm nay là")
    for line in (line for line in written if line.text.startswith(unasked)):
        text, key, local = line.text, "", line.at.astimezone(TZ)
        assert working(local.date()), (local, text)  # never on a day off
        assert time(7, 30) <= local.time() <= time(20, 0), (local, text)  # nor at night
        if TITLE_LINE.search(text) and NOMINAL_LINE.search(text):
            title, nominal = TITLE_LINE.findall(text)[0], NOMINAL_LINE.findall(text)[0]
            key = report_of(title, nominal=_day(nominal))
        expected = table(line.at)
        if text.startswith(("🔔 ", "⚠️ Báo cáo đã quá hạn")):
            [unit] = UNIT_LINE.findall(text)
            row = expected[key][unit]
            assert not row.sent, (line.at, unit, key)
            late = LATE_LINE.findall(text)
            assert [int(days) for days in late] == ([row.days_late] if row.late else []), (line.at, unit, key)
            counted["nudge" if row.late else "reminder"] += 1
        elif text.startswith("⚠️ Kính báo Văn phòng:"):
            assert set(UNIT_LINE.findall(text)) == {row.unit for row in late_rows(expected[key])}, (line.at, key)
            counted["office copy"] += 1
        elif text.startswith("🗓 Tuần từ"):
            week, _blank, late_part = text.partition("\n\n")
            overdue_agrees(late_part, expected)
            for title, _aim, legal, sent, total in (m.groups() for m in map(WEEK_LINE.match, week.splitlines()) if m):
                rows = expected[report_of(title, legal=_day(legal))]
                assert (int(sent), int(total)) == (sum(row.sent for row in rows.values()), len(rows)), line.at
                counted["week's deadline"] += 1
            counted["weekly"] += 1
        elif text.startswith("⏳ Hôm nay là"):
            assert summary_agrees(text, expected, every_report=False) == 1, line.at
            counted["last day"] += 1
    return counted


# ---- The story ------------------------------------------------------------------------------------


@pytest.mark.timeout(180)
async def test_the_first_half_of_2025_in_the_demo_agrees_with_one_table(demo: Demo) -> None:
    for unit in REGISTERED:
        await demo.register(unit)
    checks = [*CHECK_DAYS, LAST_DAY]
    for step in SCRIPT:
        while checks and step.moment > checks[0]:
            await demo.be(ADMIN)
            await demo.time(checks[0])
            await check_views(demo, checks.pop(0))
        await demo.play(step)
    await demo.be(ADMIN)
    await demo.time(LAST_DAY)
    last = await check_views(demo, LAST_DAY)

    # What came unasked on the way agrees with the table too (and there was some of each).
    counted = messages_agree(demo.written)
    assert all(counted.values()), counted

    # The table itself, pinned where a slip in it would hide: worked out by hand from the 2025 calendar.
    assert {key: sum(row.late for row in rows.values()) for key, rows in last.items()} == {
        "P": 12,  # Dị Sử (chờ ký), Minh Đức (no data), Phùng Chí Kiên (refused), Cẩm Xá, Ngọc Lâm, TC-KH, 6 nobody
        "M1": 1,  # Quản lý đô thị; February and March were all sent: closed, no longer shown
        "M4": 2,
        "M5": 1,  # Quản lý đô thị's "đã nộp" corrected to 50%
        "H": 13,
        "M6": 2,
    }
    assert last["P"]["Xã Cẩm Xá"].days_late == 114  # 10/01 to 30/06 less Tết, Giỗ Tổ, 30/4-2/5, with Sat 26/4
    assert last["M4"]["Phòng Quản lý đô thị"].days_late == 48  # 22/04 to 30/06, with Saturday 26/04
    assert last["H"]["Xã Ngọc Lâm"].days_late == 10
    assert not last["P"]["Phường Bạch Sam"].sent_late  # within its extension
    assert last["P"]["Xã Hòa Phong"].sent_late  # the office's /capnhat of 10/01
    assert last["P"]["Xã Hòa Phong"].on_time_words == "đã nộp muộn 1 ngày làm việc"  # and it stays said
    assert demo.rates["Xã Hòa Phong"].late == 1
    assert demo.rates["Phường Bạch Sam"].on_time >= 1  # within its extension: on time
    assert not last["M1"]["Phòng Kinh tế"].sent_late  # on the legal last day, after the day to aim for

    # The next morning the thị xã, its phòng and its 13 xã/phường are gone, and the 2025 plan with its
    # issuer: nothing of it is late any more; the plan's own workbook keeps what each unit did not send.
    await demo.time(MERGED)
    assert "Không có đơn vị nào quá hạn" in await demo.say("/quahan")
    assert "Kế hoạch" not in await demo.say("/tonghop")
    history = await demo.say("/lichsu Tư pháp")  # nobody registered, nothing sent
    assert "không nộp (đơn vị đã kết thúc)" in history
