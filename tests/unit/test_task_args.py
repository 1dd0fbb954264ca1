"""Reading the three parts of `/giao` (bot/core/task_args.py): units and groups, the deadline, the title."""

from __future__ import annotations

from datetime import date

from bot.core.task_args import TaskWords, read_task
from messages.tasks import Problem
from storage.models import Unit

TODAY = date(2026, 11, 30)
UNITS = [
    Unit(id=1, key="noi-vu", name="Phòng Nội vụ", short_name="Nội vụ", kind="phong"),
    Unit(id=2, key="kinh-te", name="Phòng Kinh tế", short_name="Kinh tế", kind="phong"),
    Unit(
        id=3,
        key="tai-chinh-ke-hoach",
        name="Phòng Tài chính - Kế hoạch",
        short_name="Tài chính - Kế hoạch",
        kind="phong",
    ),
    Unit(
        id=4,
        key="tai-nguyen-moi-truong",
        name="Phòng Tài nguyên và Môi trường",
        short_name="Tài nguyên và Môi trường",
        kind="phong",
    ),
    Unit(id=5, key="my-hao", name="Phường Mỹ Hào", short_name="Mỹ Hào", kind="phuong"),
    Unit(id=6, key="cam-xa", name="Xã Cẩm Xá", short_name="Cẩm Xá", kind="xa", valid_to=date(2025, 6, 30)),
    Unit(id=7, key="van-phong", name="Văn phòng HĐND và UBND", short_name="Văn phòng", kind="van-phong"),
]
GROUPS = {"theo-doi-cam-ket": [1, 2, 3, 4]}


def read(words: str) -> TaskWords | list[Problem]:
    return read_task(words, units=UNITS, groups=GROUPS, today=TODAY)


def keys(found: TaskWords | list[Problem]) -> list[str]:
    assert isinstance(found, TaskWords), found
    return [unit.key for unit in found.units]


def test_the_three_parts() -> None:
    found = read("Nội vụ, Kinh tế; trước 04/12/2026; Báo cáo rà soát biên chế năm 2026")
    assert isinstance(found, TaskWords)
    assert keys(found) == ["noi-vu", "kinh-te"]
    assert found.rule == {"kind": "once", "date": "2026-12-04", "inclusive": False}
    assert found.title == "Báo cáo rà soát biên chế năm 2026"


def test_units_without_diacritics_by_prefix_with_và_in_a_name_and_each_once() -> None:
    assert keys(read("noi vu + tai nguyen va moi truong, Nội vụ; 04/12/2026; X")) == ["noi-vu", "tai-nguyen-moi-truong"]


def test_every_unit_a_group_and_a_kind_word() -> None:
    assert keys(read("tất cả; 04/12/2026; X")) == [
        "noi-vu",
        "kinh-te",
        "tai-chinh-ke-hoach",
        "tai-nguyen-moi-truong",
        "my-hao",
    ]
    assert keys(read("tat ca; 04/12/2026; X")) == keys(read("Tất cả đơn vị; 04/12/2026; X"))
    assert keys(read("theo dõi cam kết; 04/12/2026; X")) == [
        "noi-vu",
        "kinh-te",
        "tai-chinh-ke-hoach",
        "tai-nguyen-moi-truong",
    ]
    assert keys(read("phường; 04/12/2026; X")) == ["my-hao"]


def test_a_title_may_hold_semicolons() -> None:
    found = read("Nội vụ; 04/12/2026; Báo cáo A; kèm phụ lục")
    assert isinstance(found, TaskWords)
    assert found.title == "Báo cáo A; kèm phụ lục"


def test_what_cannot_be_read_is_named() -> None:
    assert read("Nội vụ; 04/12/2026") == [Problem("parts")]
    assert read("Nội vụ, Bộ Công an; 04/12/2026; X")[0].words == "Bộ Công an"  # type: ignore[index]
    ended = read("Cẩm Xá; 04/12/2026; X")[0]  # type: ignore[index]  # ended with 2025: says so, and into what
    assert (ended.reason, ended.words, ended.ended_on) == ("ended", "Xã Cẩm Xá", date(2025, 6, 30))
    assert read("Văn phòng; 04/12/2026; X")[0].reason == "unknown"  # type: ignore[index]  # the office owes nothing
    ambiguous = read("Tài; 04/12/2026; X")[0]  # type: ignore[index]
    assert ambiguous.reason == "ambiguous"
    assert len(ambiguous.names) == 2
    assert read(" ; 04/12/2026; X") == [Problem("units", "none")]
    assert read("Nội vụ; 31/02/2027; X") == [Problem("deadline", "date", "31/02/2027")]
    assert read("Nội vụ; 01/11/2026; X") == [Problem("deadline", "past", "01/11/2026")]
    assert read("Nội vụ; trước 30/11/2026; X") == [Problem("deadline", "past", "trước 30/11/2026")]
    assert read("Nội vụ; ngày 20 hằng tháng đến tháng 11/2026; X") == [
        Problem("deadline", "past", "ngày 20 hằng tháng đến tháng 11/2026")
    ]
    assert read("Nội vụ; sớm; X") == [Problem("deadline", "words", "sớm")]
    assert read("Nội vụ; 04/12/2026;   ") == [Problem("title")]
    assert read("Bộ Công an; sớm; ") == [
        Problem("units", "unknown", "Bộ Công an", read("Bộ Công an; 04/12/2026; X")[0].names),  # type: ignore[index]
        Problem("deadline", "words", "sớm"),
        Problem("title"),
    ]
