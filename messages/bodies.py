"""How Vietnamese offices write a unit's name inside a sentence, and name its People's Committee and head.

Unit names are data from the plan ("Phường Bần Yên Nhân", "Xã Cẩm Xá", "Phòng Nội vụ"); their first
word says the kind of unit, so the kind need not travel with every name. These are Vietnamese in every
locale, as the names are.
"""

from __future__ import annotations

from typing import NamedTuple

# Kinds of administrative unit, written lowercase after the start of a sentence: "sắp xếp vào phường Mỹ
# Hào", "cho xã Cẩm Xá". A phòng is an agency, whose name keeps its capital ("Phòng Nội vụ"), as do
# "Thanh tra thị xã" or "Văn phòng HĐND và UBND".
_COMMON_KINDS = ("Thành phố", "Thị trấn", "Thị xã", "Phường", "Huyện", "Quận", "Tỉnh", "Phòng", "Xã")
_AGENCIES = ("Phòng",)
# Communes are represented by their People's Committee: the body that reports is "UBND phường ...".
_COMMUNES = ("Phường", "Xã", "Thị trấn")


class Kind(NamedTuple):
    word: str  # "Phường", or "" for a name that does not start with a kind
    rest: str  # "Bần Yên Nhân"


def kind_of(name: str) -> Kind:
    """'Phường Bần Yên Nhân' → ('Phường', 'Bần Yên Nhân'); 'Thanh tra thị xã' → ('', 'Thanh tra thị xã')."""
    for word in _COMMON_KINDS:
        if name.startswith(word + " ") and name[len(word) + 1 :].strip():
            return Kind(word, name[len(word) + 1 :])
    return Kind("", name)


def in_sentence(name: str) -> str:
    """'Phường Mỹ Hào' → 'phường Mỹ Hào', as written after the start of a sentence ('Phòng Nội vụ' stays)."""
    kind = kind_of(name)
    return f"{kind.word.lower()} {kind.rest}" if kind.word and kind.word not in _AGENCIES else name


def names_in_sentence(names: str) -> str:
    """A list of names joined by ", ", each as written inside a sentence."""
    return ", ".join(in_sentence(name) for name in names.split(", "))


def reporting_body(name: str) -> str:
    """'Phường Bần Yên Nhân' → 'UBND phường Bần Yên Nhân': a commune reports through its People's Committee."""
    kind = kind_of(name)
    return f"UBND {in_sentence(name)}" if kind.word in _COMMUNES else name


def head_of(name: str) -> str:
    """Whom the head's copy addresses: 'Chủ tịch UBND phường Bần Yên Nhân', 'Trưởng phòng Nội vụ',
    'Chánh Thanh tra thị xã', 'Chánh Văn phòng ...', or else 'Thủ trưởng ...'."""
    kind = kind_of(name)
    if kind.word in _COMMUNES:
        return f"Chủ tịch {reporting_body(name)}"
    if kind.word == "Phòng":
        return f"Trưởng phòng {kind.rest}"
    if name.startswith(("Thanh tra", "Văn phòng")):
        return f"Chánh {name}"
    return f"Thủ trưởng {in_sentence(name)}"
