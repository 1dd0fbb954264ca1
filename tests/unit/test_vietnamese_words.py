"""A Vietnamese reader reads Vietnamese: channel names, role words and choices, as the parsers accept them."""

import re

import pytest

from bot.core.invite_args import parse_invite_args
from messages import common
from messages.channels import ALL, channel_usage, read_channel
from messages.summary import contact_label
from storage.models import Role
from storage.summary import Contact


def test_a_contact_names_its_channels_in_the_readers_language() -> None:
    assert contact_label(Contact("Lan", ("console",), ()), "vi") == "Lan (dòng lệnh)"  # once "Lan (Console)"
    assert contact_label(Contact("Lan", ("console",), ()), "en") == "Lan (terminal)"
    assert contact_label(Contact("Lan", ("zalo", "telegram"), ()), "vi") == "Lan (Telegram, Zalo)"
    assert contact_label(Contact("Lan", (), ()), "vi") == "Lan"


def test_the_guide_shows_the_role_words_moi_reads() -> None:
    guide = common.guide(Role.OFFICE, "vi")
    assert "/moi: mời cán bộ: /moi <đơn vị> [cán bộ|thủ trưởng|văn phòng] [số ngày]" in guide
    assert "/kenh: kênh nhận lời nhắc: /kenh telegram, zalo hoặc tất cả" in guide
    assert not re.search(r"\b(official|head|office|all)\b", guide)
    found = re.search(r"\[([^]]+)\] \[số ngày\]", guide)
    assert found is not None
    roles = [parse_invite_args(f"Dị Sử {word} 14") for word in found.group(1).split("|")]
    assert [(args.unit, args.role, args.days) for args in roles] == [
        ("Dị Sử", Role.OFFICIAL, 14),
        ("Dị Sử", Role.HEAD, 14),
        ("Dị Sử", Role.OFFICE, 14),
    ]


def test_moi_usage_names_vietnamese_roles() -> None:
    usage = common.moi_usage("vi")
    assert "thủ trưởng" in usage
    assert "văn phòng" in usage
    assert not re.search(r"\b(head|office)\b", usage)


def test_kenh_choices_are_shown_in_the_words_it_reads() -> None:
    assert channel_usage(["console"], "vi") == "Gửi /kenh kèm một trong: dòng lệnh, hoặc tất cả."
    assert channel_usage(["telegram", "zalo"], "en") == "Send /kenh followed by one of: telegram, zalo, or all."


MINE = ["telegram", "zalo", "console"]


@pytest.mark.parametrize(
    ("typed", "channels", "channel"),
    [
        ("telegram", MINE, "telegram"),
        ("Zalo", MINE, "zalo"),
        ("dòng lệnh", MINE, "console"),
        ("dong lenh", MINE, "console"),
        ("terminal", MINE, "console"),
        ("console", MINE, "console"),
        ("tất cả", MINE, ALL),
        ("tat ca", MINE, ALL),
        ("tatca", MINE, ALL),
        ("all", MINE, ALL),
        ("fax", MINE, None),
        ("zalo", ["telegram"], None),  # not one of this person's channels
    ],
)
def test_read_channel(typed: str, channels: list[str], channel: str | None) -> None:
    assert read_channel(typed, channels) == channel
