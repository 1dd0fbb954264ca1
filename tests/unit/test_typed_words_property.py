"""A property: every reader of typed words takes any text, and an id is ASCII digits within the columns.

The readers the core runs on what people type (a status reply, a report's name, /moi's role and days,
a code, a channel, a command, an id), fed text made of the pieces that broke them before: Unicode
digits ("²" and "①" pass str.isdigit() but not int()), huge and negative numbers, Vietnamese words
for days and percents, control characters. The fuzz test of the whole core (tests/integration/
test_fuzz_core.py) reaches these readers too, but through a database; here many more texts run in the
same time: this found "/moi Bần Yên Nhân ² ngày" (issue 13).
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.codes import normalize
from bot.core.commands import split_command
from bot.core.ids import MAX_ID, choice_number, parse_id
from bot.core.invite_args import MAX_DAYS, parse_invite_args
from messages.channels import read_channel
from messages.parser import parse_status, report_words
from messages.text import fold, printable, shorten, split_text

PIECES = [
    "²",
    "①",
    "٣",
    "１",
    "𝟙",
    "Ⅻ",
    "½",
    "0",
    "3",
    "14",
    "-3",
    "99999999999999999999",
    "2147483648",
    "9223372036854775808",
    "%",
    "/",
    "#",
    ":",
    "ngày",
    "tuần",
    "nữa",
    "xin lùi",
    "gia hạn",
    "dự kiến",
    "tháng",
    "năm",
    "6 tháng",
    "kế hoạch",
    "đã nộp",
    "chưa",
    "60%",
    "12/1",
    "31/2",
    "thứ",
    "chủ nhật",
    "d",
    "head",
    "thủ trưởng",
    "Bần Yên Nhân",
    "\x00",
    "\u202e",
    "\u0301",
    "🙂",
    " ",
]
texts = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(PIECES), max_size=8).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
)


@settings(max_examples=2000, deadline=None)
@given(text=texts, today=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)))
def test_every_reader_of_typed_words_takes_any_text(text: str, today: date) -> None:
    parse_status(text, today=today)
    report_words(text)
    normalize(text)
    read_channel(text, ["telegram", "zalo"])
    split_command(text)
    fold(text)
    split_text(printable(text), 4096)
    shorten(text, 40)
    invite = parse_invite_args(text)
    assert invite.days is None or 1 <= invite.days <= MAX_DAYS
    for number in (parse_id(text), choice_number(text, 8)):
        assert number is None or (1 <= number <= MAX_ID and text.strip().lstrip("#").isascii())
