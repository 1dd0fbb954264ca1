"""Unit names inside a sentence, as Vietnamese offices write them."""

from __future__ import annotations

import pytest

from messages.bodies import head_of, in_sentence, reporting_body


@pytest.mark.parametrize(
    ("name", "inside", "body", "head"),
    [
        ("Phường Mỹ Hào", "phường Mỹ Hào", "UBND phường Mỹ Hào", "Chủ tịch UBND phường Mỹ Hào"),
        ("Xã Cẩm Xá", "xã Cẩm Xá", "UBND xã Cẩm Xá", "Chủ tịch UBND xã Cẩm Xá"),
        ("Thị trấn Bần", "thị trấn Bần", "UBND thị trấn Bần", "Chủ tịch UBND thị trấn Bần"),
        ("Phòng Nội vụ", "Phòng Nội vụ", "Phòng Nội vụ", "Trưởng phòng Nội vụ"),  # a phòng keeps its capital
        ("Thanh tra thị xã", "Thanh tra thị xã", "Thanh tra thị xã", "Chánh Thanh tra thị xã"),
        (
            "Văn phòng HĐND và UBND thị xã",
            "Văn phòng HĐND và UBND thị xã",
            "Văn phòng HĐND và UBND thị xã",
            "Chánh Văn phòng HĐND và UBND thị xã",
        ),
        ("Trung tâm Văn hóa", "Trung tâm Văn hóa", "Trung tâm Văn hóa", "Thủ trưởng Trung tâm Văn hóa"),
        ("Phường", "Phường", "Phường", "Thủ trưởng Phường"),  # a kind alone is no name to change
    ],
)
def test_a_unit_inside_a_sentence(name: str, inside: str, body: str, head: str) -> None:
    assert (in_sentence(name), reporting_body(name), head_of(name)) == (inside, body, head)


@pytest.mark.parametrize(
    ("msgid", "unit", "said"),
    [
        # mid-sentence, in any catalog: the kind in lower case; a phòng keeps "Phòng"; first, a capital
        ("Only the officials of {unit} and the office can report for it.", "Xã Cẩm Xá", "cán bộ của xã Cẩm Xá"),
        ("Invitation for {unit}", "Phường Bần Yên Nhân", "Lời mời đăng ký cho phường Bần Yên Nhân"),
        ("Invitation for {unit}", "Phòng Nội vụ", "Lời mời đăng ký cho Phòng Nội vụ"),
        ("{unit}: no update yet.", "Xã Cẩm Xá", "Xã Cẩm Xá: chưa có cập nhật nào."),
    ],
)
def test_every_unit_placeholder_is_written_as_inside_a_sentence(msgid: str, unit: str, said: str) -> None:
    from messages.i18n import gettext_for

    assert said in gettext_for("vi")(msgid).format(unit=unit)
