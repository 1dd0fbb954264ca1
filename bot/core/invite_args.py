"""Reading `/moi <unit> [role] [days]`: role words in English or Vietnamese, with or without diacritics."""

from __future__ import annotations

import re
from typing import NamedTuple

from messages.text import fold
from storage.models import Role

MAX_DAYS = 90  # as NHACVIEC_INVITE_DAYS allows
# Folded, so "thủ trưởng", "Thu truong" and "THỦ TRƯỞNG" are one word; the guide shows the Vietnamese ones.
_ROLE_WORDS = {
    "official": Role.OFFICIAL,
    "can bo": Role.OFFICIAL,
    "canbo": Role.OFFICIAL,
    "cb": Role.OFFICIAL,
    "can bo dau moi": Role.OFFICIAL,
    "dau moi": Role.OFFICIAL,
    "head": Role.HEAD,
    "thu truong": Role.HEAD,
    "thutruong": Role.HEAD,
    "lanh dao": Role.HEAD,
    "lanhdao": Role.HEAD,
    "chu tich": Role.HEAD,
    "chutich": Role.HEAD,
    "office": Role.OFFICE,
    "van phong": Role.OFFICE,
    "vanphong": Role.OFFICE,
}
_LONGEST = max(len(words.split()) for words in _ROLE_WORDS)
# ASCII digits: "²" and "①" pass str.isdigit() but not int(); "٣" is a word of the name, like any other
_DAYS = re.compile(r"^([0-9]{1,6})(d|ngay)?$")
_NUMBER = re.compile(r"[0-9]{1,6}")
_DAY_WORDS = ("d", "ngay")


class InviteArgs(NamedTuple):
    unit: str
    role: Role = Role.OFFICIAL
    days: int | None = None
    wrong_days: int | None = None  # a number of days asked for that no invitation may have


def parse_invite_args(args: str) -> InviteArgs:
    """'/moi Bần Yên Nhân thủ trưởng 14' → ('Bần Yên Nhân', head, 14); the unit's name is never emptied."""
    words = args.split()
    folded = [fold(word) for word in words]
    role, days, wrong = Role.OFFICIAL, None, None
    while len(words) > 1:
        taken = _role_at_end(folded)
        if taken:
            role = _ROLE_WORDS[" ".join(folded[-taken:])]
        elif (number := _days_at_end(folded)) is not None:
            taken, value = number
            days, wrong = (value, None) if 1 <= value <= MAX_DAYS else (None, value)
        else:
            break
        del words[-taken:], folded[-taken:]
    return InviteArgs(" ".join(words), role, days, wrong)


def _role_at_end(folded: list[str]) -> int:
    """How many of the last words name a role (0: none), leaving at least one word for the unit."""
    for count in range(min(_LONGEST, len(folded) - 1), 0, -1):
        if " ".join(folded[-count:]) in _ROLE_WORDS:
            return count
    return 0


def _days_at_end(folded: list[str]) -> tuple[int, int] | None:
    """(words taken, number of days) for '14', '14d', '14ngay' or '14 ngày' at the end."""
    found = _DAYS.match(folded[-1])
    if found:
        return 1, int(found.group(1))
    if len(folded) > 2 and folded[-1] in _DAY_WORDS and _NUMBER.fullmatch(folded[-2]):
        return 2, int(folded[-2])
    return None
