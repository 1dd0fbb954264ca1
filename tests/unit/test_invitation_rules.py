import pytest

from bot.core.codes import ALPHABET, LENGTH, code_hash, new_code, normalize
from bot.core.core import split_command
from bot.core.invitations import parse_invite_args
from storage.models import Role


def test_new_codes_are_typeable_and_distinct() -> None:
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == LENGTH
        assert set(code) <= set(ALPHABET)
        assert not set(code) & set("01OIL")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("K7M2QX9PAB", "K7M2QX9PAB"),
        ("k7m2qx9pab", "K7M2QX9PAB"),
        (" K7M2-QX9PAB ", "K7M2QX9PAB"),
        ("K7M2 QX9 PAB", "K7M2QX9PAB"),
        ("K7M2QX9PA", None),  # too short
        ("K7M2QX9PAB1", None),  # too long, and 1 is not in the alphabet
        ("K7M2QX9PA0", None),
        ("đã nộp", None),
        ("", None),
        ("🙂" * 10, None),
    ],
)
def test_normalize(typed: str, code: str | None) -> None:
    assert normalize(typed) == code


def test_only_the_hash_is_kept_and_it_is_stable() -> None:
    assert code_hash("K7M2QX9PAB") == code_hash("K7M2QX9PAB")
    assert "K7M2QX9PAB" not in code_hash("K7M2QX9PAB")
    assert len(code_hash("K7M2QX9PAB")) == 64


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("Bần Yên Nhân", ("Bần Yên Nhân", Role.OFFICIAL, None)),
        ("Bần Yên Nhân head", ("Bần Yên Nhân", Role.HEAD, None)),
        ("Bần Yên Nhân office 14", ("Bần Yên Nhân", Role.OFFICE, 14)),
        ("Bần Yên Nhân 3ngay", ("Bần Yên Nhân", Role.OFFICIAL, 3)),
        ("Văn phòng vanphong", ("Văn phòng", Role.OFFICE, None)),
        ("head", ("head", Role.OFFICIAL, None)),  # a lone word is the unit's name
        ("Bần 500", ("Bần 500", Role.OFFICIAL, None)),  # beyond 90 days is not a duration
        ("", ("", Role.OFFICIAL, None)),
    ],
)
def test_parse_invite_args(args: str, expected: tuple[str, Role, int | None]) -> None:
    assert parse_invite_args(args) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/moi Bần Yên Nhân", ("moi", "Bần Yên Nhân")),
        ("/MOI@nhacviec_bot  Bần", ("moi", "Bần")),
        ("/start", ("start", "")),
        ("/dang_ky ABC", ("dangky", "ABC")),
        ("moi", None),
        ("/", None),
        ("", None),
    ],
)
def test_split_command(text: str, expected: tuple[str, str] | None) -> None:
    assert split_command(text) == expected
