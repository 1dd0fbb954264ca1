from datetime import date

import pytest

from bot.core.names import match_names, match_units, suggestions
from bot.settings import SHIPPED_PLAN
from storage.models import Unit
from storage.plan_file import read_plan
from tests.helpers import PHONG

BEFORE_MERGE = date(2025, 1, 5)
AFTER_MERGE = date(2026, 11, 26)


@pytest.fixture(scope="module")
def units() -> list[Unit]:
    spec = read_plan(SHIPPED_PLAN)
    return [
        Unit(
            id=index,
            key=u.key,
            name=u.name,
            short_name=u.short,
            kind=u.kind,
            aliases=u.aliases,
            valid_from=u.valid_from,
            valid_to=u.valid_to,
            successors=u.successors,
        )
        for index, u in enumerate(spec.units, start=1)
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Bần Yên Nhân", ["ban-yen-nhan"]),
        ("ban yen nhan", ["ban-yen-nhan"]),
        ("BAN YEN NHAN", ["ban-yen-nhan"]),
        ("  Bần   Yên  ", ["ban-yen-nhan"]),
        ("Phường Bần Yên Nhân", ["ban-yen-nhan"]),
        ("phuong ban", ["ban-yen-nhan"]),
        ("xa cam xa", ["cam-xa"]),
        ("Nhân Hoà", ["nhan-hoa"]),  # the old accent placement, as an alias
        ("nhan hoa", ["nhan-hoa"]),
        ("tnmt", ["tai-nguyen-moi-truong"]),
        ("TN&MT", ["tai-nguyen-moi-truong"]),
        ("qldt", ["quan-ly-do-thi"]),
        ("Quản lý đô thị", ["quan-ly-do-thi"]),
        ("tai-chinh-ke-hoach", ["tai-chinh-ke-hoach"]),
        ("yen nhan", ["ban-yen-nhan"]),
        ("Phùng", ["phung-chi-kien"]),
        ("Ph", ["phan-dinh-phung", "phung-chi-kien"]),
        (
            "Phòng",
            PHONG,
        ),
        ("y te", ["y-te"]),
        ("LĐTBXH", ["lao-dong-thuong-binh-xa-hoi"]),
        ("Văn phòng", ["van-phong"]),
        ("Văn", ["van-hoa-thong-tin", "van-phong"]),
        ("xyz", []),
        ("", []),
        ("🙂", []),
        ("Mỹ Hào", []),  # does not exist before 1/7/2025
    ],
)
def test_names_before_the_merge(units: list[Unit], query: str, expected: list[str]) -> None:
    assert [unit.key for unit in match_units(query, units, today=BEFORE_MERGE).units] == expected


def test_an_old_name_leads_to_its_successor_after_the_merge(units: list[Unit]) -> None:
    found = match_units("ban yen nhan", units, today=AFTER_MERGE)
    assert [unit.key for unit in found.units] == ["my-hao"]
    assert {old: new.key for old, new in found.merged.items()} == {"Phường Bần Yên Nhân": "my-hao"}


def test_a_prefix_shared_by_an_old_and_a_new_unit_is_ambiguous_after_the_merge(units: list[Unit]) -> None:
    # "Dương" was Xã Dương Quang (now in Thượng Hồng) and starts Phường Đường Hào.
    found = match_units("Dương", units, today=AFTER_MERGE)
    assert sorted(unit.key for unit in found.units) == ["duong-hao", "thuong-hong"]
    assert found.unique is None


def test_match_names_ignores_validity(units: list[Unit]) -> None:
    assert [u.key for u in match_names("Minh Đức", units)] == ["minh-duc"]


def test_suggestions_offer_close_names_or_everything(units: list[Unit]) -> None:
    assert [u.key for u in suggestions("ban yen nan", units, today=BEFORE_MERGE)] == ["ban-yen-nhan"]
    everything = suggestions("qqqq", units, today=BEFORE_MERGE)
    assert len(everything) == 25  # the 13 xã/phường, 11 phòng and the Văn phòng valid in January 2025


def test_after_the_thi_xa_ended_its_phong_are_gone_but_the_office_keeps_its_people(units: list[Unit]) -> None:
    """The phòng and the Văn phòng ended on 30/6/2025 with the thị xã; the office is still named, as
    its people (who invite, look up, and are invited) keep working after that."""
    assert match_units("Nội vụ", units, today=AFTER_MERGE).units == []
    assert match_units("Phòng", units, today=AFTER_MERGE).units == []
    assert [unit.key for unit in match_units("Văn phòng", units, today=AFTER_MERGE).units] == ["van-phong"]
    everything = suggestions("qqqq", units, today=AFTER_MERGE)
    assert [unit.key for unit in everything] == ["my-hao", "duong-hao", "thuong-hong", "van-phong"]
