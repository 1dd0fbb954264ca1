"""/vanphong's reading of `<field> = <value>; ...`, and the names derived from the parent body."""

from __future__ import annotations

import pytest

from bot.core.vanphong import following, read_changes
from messages.office import field_named, full_agency, place_of
from storage.models import OfficeIdentity


@pytest.mark.parametrize(
    ("said", "field"),
    [
        ("cấp trên", "parent"),
        ("Cap Tren", "parent"),
        (" co  quan ", "agency"),
        ("địa danh", "place"),
        ("ký hiệu", "number_code"),
        ("người ký", "signer_name"),
        ("nơi nhận báo cáo", "report_to"),
        ("lưu", "filed"),
        ("parent", "parent"),
        ("cấp", None),
    ],
)
def test_field_names_with_or_without_diacritics(said: str, field: str | None) -> None:
    assert field_named(said) == field


def test_pairs_are_read_and_each_mistake_is_one_sentence() -> None:
    values, problem = read_changes("cấp trên = UBND phường  Mỹ Hào; địa danh = Mỹ Hào;", "vi")
    assert (values, problem) == ({"parent": "UBND phường Mỹ Hào", "place": "Mỹ Hào"}, None)
    assert read_changes("quyền ký = -", "vi") == ({"signer_authority": ""}, None)
    for args, start in (
        ("xyz = 1", "Thông tin Văn phòng không có mục “xyz”"),
        ("cấp trên =", "Mục “cấp trên” chưa có nội dung"),
        ("cấp trên = -", "Mục “cấp trên” chưa có nội dung"),
        ("cấp trên UBND", "Để sửa thông tin Văn phòng"),
        (";", "Để sửa thông tin Văn phòng"),
    ):
        values, problem = read_changes(args, "vi")
        assert values == {}
        assert problem is not None
        assert problem.startswith(start)


def test_a_new_parent_moves_the_place_and_where_reports_go_that_followed_the_old_one() -> None:
    old = OfficeIdentity(
        parent="UBND thị xã Mỹ Hào",
        agency="Văn phòng HĐND và UBND",
        place="Mỹ Hào",
        report_to="Văn phòng HĐND và UBND thị xã",
    )
    moved = following(old, {"parent": "UBND xã Nghĩa Trụ"})
    assert moved == {
        "parent": "UBND xã Nghĩa Trụ",
        "place": "Nghĩa Trụ",
        "report_to": "Văn phòng HĐND và UBND xã Nghĩa Trụ",
    }
    kept = OfficeIdentity(
        parent="UBND thị xã Mỹ Hào", agency="Văn phòng HĐND và UBND", place="Hưng Yên", report_to="Sở Nội vụ"
    )
    assert following(kept, {"parent": "UBND xã Nghĩa Trụ"}) == {"parent": "UBND xã Nghĩa Trụ"}


def test_names_derived_from_the_parent_body() -> None:
    assert place_of("UBND thị xã Mỹ Hào") == "Mỹ Hào"
    assert place_of("UBND phường Đường Hào") == "Đường Hào"
    assert place_of("") == ""
    identity = OfficeIdentity(parent="UBND phường Mỹ Hào", agency="Văn phòng HĐND và UBND")
    assert full_agency(identity) == "Văn phòng HĐND và UBND phường Mỹ Hào"
