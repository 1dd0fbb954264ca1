"""Every text a person can read is in both catalogs, translated and not fuzzy, and the template is current."""

from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from messages.i18n import LOCALES, catalog_path, gettext_for

ROOT = Path(__file__).resolve().parents[2]


def _msgids_in_code() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for package in ("bot", "messages", "scheduler", "storage"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords={"_": None, "N_": None, "ngettext": (1, 2)}
        ):
            found.add(message if isinstance(message, str) else tuple(message))
    return found


def _catalog_ids(path: Path) -> set[str | tuple[str, ...]]:
    with path.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(handle) if m.id}


def test_the_template_matches_the_code() -> None:
    template = _catalog_ids(ROOT / "messages" / "locale" / "messages.pot")
    in_code = _msgids_in_code()
    assert in_code - template == set(), "run scripts/i18n.sh: texts in code are missing from the template"
    assert template - in_code == set(), "run scripts/i18n.sh: the template has texts no code uses"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_text_is_translated_and_none_is_fuzzy(locale: str) -> None:
    with catalog_path(locale).open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    ids = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}
    assert _msgids_in_code() <= ids
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, f"{locale}: fuzzy {message.id!r}"
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings), f"{locale}: untranslated {message.id!r}"


def test_vietnamese_is_what_people_read_by_default() -> None:
    assert gettext_for("vi")("Commands:") == "Các lệnh:"
    assert gettext_for("en")("Commands:") == "Commands:"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_survive_translation(locale: str) -> None:
    """Singular and plural forms alike: a placeholder lost or invented fails `.format` at run time."""
    import re

    def names(text: str) -> set[str]:
        return set(re.findall(r"{\w+}", text))

    with catalog_path(locale).open("rb") as handle:
        for message in read_po(handle, locale=locale):
            if not message.id:
                continue
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            wanted = set().union(*(names(text) for text in ids))
            for text in strings:
                assert names(text) <= wanted, f"{locale}: {message.id!r} has {text!r}"
                if isinstance(message.id, str):
                    assert names(text) == wanted, f"{locale}: {message.id!r} has {text!r}"


def test_english_says_what_the_code_says() -> None:
    """English is the source language: each entry is its msgid (pybabel's fuzzy guesses once were not)."""
    with catalog_path("en").open("rb") as handle:
        for message in read_po(handle, locale="en"):
            if message.id:
                assert message.string == message.id, message.id


# Phrases issue 18 replaced because they read as translations, or as what an office would not write:
# the head's copy asked someone to send the head; passives copied from English; "the last day to send";
# "the data period"; "sáp nhập" where Resolution 1666/NQ-UBTVQH15 says "sắp xếp"; an extension said as
# "may be sent until"; the letter saying the office issued the plan (the UBND thị xã did).
REPLACED = (
    "Gửi thủ trưởng",
    "Gửi Văn phòng:",
    "Đã đồng ý bởi",
    "Không đồng ý bởi",
    "Đã nhận bởi",
    " bởi {name}",
    "được gửi đến",
    "được gửi {duty} đến",
    "ngày cuối gửi",
    "Kỳ số liệu",
    "sáp nhập vào",
    "Thực hiện Kế hoạch của {issuer}, đến nay",
    "Văn phòng đề nghị thủ trưởng",
)


def test_no_vietnamese_entry_keeps_a_replaced_phrase() -> None:
    with catalog_path("vi").open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    for message in catalog:
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for text in strings:
            found = [phrase for phrase in REPLACED if phrase.casefold() in text.casefold()]
            assert not found, f"vi: {message.id!r} still says {found}: {text!r}"


def test_the_office_copy_and_the_heads_copy_read_as_an_office_writes() -> None:
    from messages.reminders import ReminderFacts, reminder_text

    facts = dict(
        duty_title="Kế hoạch",
        unit_name="Phường Dị Sử",
        nominal=date(2025, 1, 10),
        inclusive=False,
        aim_day=date(2025, 1, 9),
        legal_last_day=date(2025, 1, 9),
        working_days_left=-2,
    )
    head = reminder_text(ReminderFacts(audience="head", **facts), "vi")  # type: ignore[arg-type]
    assert head.splitlines()[0] == (
        "⚠️ Kính gửi đồng chí Chủ tịch UBND phường Dị Sử: đơn vị chưa gửi báo cáo dưới đây, "
        "đề nghị đồng chí quan tâm chỉ đạo."
    )
    office = reminder_text(ReminderFacts(audience="office", late_units=["Phường Dị Sử"], **facts), "vi")  # type: ignore[arg-type]
    assert office.splitlines()[0] == "⚠️ Kính báo Văn phòng: 1 đơn vị quá hạn chưa gửi báo cáo:"
    en = reminder_text(ReminderFacts(audience="head", **{**facts, "unit_name": "Phòng Nội vụ"}), "en")  # type: ignore[arg-type]
    assert en.splitlines()[0].startswith("⚠️ For Trưởng phòng Nội vụ: your unit has not sent")


def _vietnamese_strings() -> list[tuple[object, str]]:
    with catalog_path("vi").open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    found = []
    for message in catalog:
        if message.id:
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            found += [(message.id, text) for text in strings]
    return found


def test_the_bot_speaks_impersonally_and_says_anh_chi() -> None:
    """Never "Tôi ..." (a Văn phòng writes "Hệ thống sẽ nhắc lại", "Không có lệnh"), never "bạn" (issue 26)."""
    import re

    for message_id, text in _vietnamese_strings():
        assert not re.search(r"(?i)\btôi\b", text), f"vi: {message_id!r} speaks as “tôi”: {text!r}"
        assert not re.search(r"(?i)\bbạn\b", text), f"vi: {message_id!r} says “bạn”: {text!r}"


KINDS = ("Phường", "Xã", "Thị trấn", "Thị xã", "Huyện", "Quận", "Tỉnh", "Thành phố")


def test_no_kind_of_unit_keeps_its_capital_after_a_lower_case_word() -> None:
    """Every Vietnamese text, its unit placeholders filled, writes "cho xã Cẩm Xá", "của phường Bần Yên
    Nhân" (a phòng keeps "Phòng Nội vụ"): the kind is lower case after a lower-case word (issue 26)."""
    import re

    from messages.i18n import UNIT_FIELDS, Sentence

    after_lower = re.compile(r"(?<=[a-zà-ỹđ,]) (" + "|".join(KINDS) + r") (?=[A-ZÀ-ỸĐ])")
    for message_id, text in _vietnamese_strings():
        names = set(re.findall(r"{(\w+)[:}]", text))
        dates = set(re.findall(r"{(\w+):%", text))  # a date's own format ("{day:%d/%m}")
        values = {
            name: "Xã Cẩm Xá" if name in UNIT_FIELDS else date(2025, 1, 2) if name in dates else 0 for name in names
        }
        filled = Sentence(text).format(**values)
        assert not after_lower.search(filled), f"vi: {message_id!r} writes {filled!r}"
