"""Reading officials' replies: a table of real-style replies, the traps of DOMAIN.md §5, and properties."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messages.parser import HEAD, STATUSES, Reading, Status, parse_status
from messages.text import fold

TODAY = date(2025, 1, 6)  # a Monday


def d(day: int, month: int, year: int = 2025) -> date:
    return date(year, month, day)


# (reply, status, percent, expected_date, extension_days), read on TODAY.
CASES: list[tuple[str, Status, int | None, date | None, int | None]] = [
    # done
    ("Đã nộp", "done", None, None, None),
    ("da nop roi a", "done", None, None, None),
    ("ĐÃ NỘP RỒI Ạ!!!", "done", None, None, None),
    ("đã gửi qua email", "done", None, None, None),
    ("xong rồi", "done", None, None, None),
    ("done", "done", None, None, None),
    ("submitted", "done", None, None, None),
    ("đã nộp bản cứng", "done", None, None, None),
    ("Em đã nộp báo cáo qua hệ thống rồi ạ", "done", None, None, None),
    ("da gui bc qua mail cho vp roi a", "done", None, None, None),
    ("bc r", "done", None, None, None),
    ("nop r nhe", "done", None, None, None),
    ("Dạ, em nộp rồi ạ", "done", None, None, None),
    ("Hoàn thành", "done", None, None, None),
    ("đã hoàn thành", "done", None, None, None),
    ("100%", "done", 100, None, None),
    ("xong 100% rồi ạ", "done", 100, None, None),
    ("Đã nộp ✅", "done", None, None, None),
    ("đã up lên phần mềm", "done", None, None, None),
    ("hôm nay nộp rồi", "done", None, None, None),
    ("đã nộp ngày 5/1", "done", None, None, None),  # when it was sent, not an expected date
    ("Sent it this morning", "done", None, None, None),
    ("All done 👍", "done", None, None, None),
    ("da xong", "done", None, None, None),
    ("xg r a", "done", None, None, None),
    ("đã làm xong", "done", None, None, None),
    ("em gửi văn phòng rồi", "done", None, None, None),
    ("KH đã nộp", "done", None, None, None),  # "KH" (kế hoạch) expands to "không" but negates nothing here
    ("đã nộp bản mềm, bản cứng dk 10/1", "done", None, None, None),
    ("đã thực hiện xong", "done", None, None, None),
    # in progress, with percents and expected dates
    ("60%", "in_progress", 60, None, None),
    ("đang hoàn thiện, dự kiến 12/1", "in_progress", None, d(12, 1), None),
    ("in progress 40%", "in_progress", 40, None, None),
    ("đang làm", "in_progress", None, None, None),
    ("dk 15/1", "in_progress", None, d(15, 1), None),
    ("đã xong 60%", "in_progress", 60, None, None),  # a percent under 100 wins over the verb
    ("chưa nộp, đang làm", "in_progress", None, None, None),
    ("sắp xong", "in_progress", None, None, None),
    ("sẽ nộp trước 10/1", "in_progress", None, d(10, 1), None),
    ("chưa xong", "in_progress", None, None, None),  # "not finished" presumes started
    ("xong trước 15/1", "in_progress", None, d(15, 1), None),
    ("mai nộp", "in_progress", None, d(7, 1), None),
    ("2 ngày nữa xong", "in_progress", None, d(8, 1), None),
    ("thứ 6 nộp", "in_progress", None, d(10, 1), None),
    ("em đang tổng hợp", "in_progress", None, None, None),
    ("dag lm", "in_progress", None, None, None),
    ("60 % rồi", "in_progress", 60, None, None),
    ("xong 80%", "in_progress", 80, None, None),
    ("Đang làm, được khoảng 70% rồi ạ", "in_progress", 70, None, None),
    ("0%", "in_progress", 0, None, None),
    ("99.9%", "in_progress", 99, None, None),  # floored: 99.9% is not done
    ("chưa được 100%", "in_progress", None, None, None),
    ("will submit by 15/1", "in_progress", None, d(15, 1), None),
    ("almost done", "in_progress", None, None, None),
    ("not done yet", "in_progress", None, None, None),
    ("working on it", "in_progress", None, None, None),
    ("dự kiến 3/1", "in_progress", None, d(3, 1), None),  # the nearest 3/1 is three days ago
    ("dự kiến ngày 12 tháng 1", "in_progress", None, d(12, 1), None),
    ("dk 12/1/2025", "in_progress", None, d(12, 1), None),
    ("dk 12-1-25", "in_progress", None, d(12, 1), None),
    ("dk 12.1", "in_progress", None, d(12, 1), None),
    ("dk 13 thang 1", "in_progress", None, d(13, 1), None),
    ("dk 30/2", "in_progress", None, None, None),  # impossible dates are no dates
    ("dk 32/1", "in_progress", None, None, None),
    ("dk 0/5", "in_progress", None, None, None),
    ("đang chữa lại số liệu", "in_progress", None, None, None),  # chữa (correct), not chưa
    ("mới được một nửa", "in_progress", None, None, None),
    ("vừa bắt đầu", "in_progress", None, None, None),
    ("chưa, đang làm", "in_progress", None, None, None),
    ("đang làm 50%, dk 15/1 xong", "in_progress", 50, d(15, 1), None),
    ("Dạ vâng, đang làm ạ", "in_progress", None, None, None),
    ("DANG LAM A", "in_progress", None, None, None),
    ("dự kiến tuần sau", "in_progress", None, None, None),
    ("chưa nộp, dk 12/1", "in_progress", None, d(12, 1), None),  # an announced date reads as work under way
    # waiting for a signature
    ("Đang trình ký lãnh đạo", "waiting_signature", None, None, None),
    ("đã trình ký", "waiting_signature", None, None, None),
    ("chờ ký", "waiting_signature", None, None, None),
    ("cho ld ky", "waiting_signature", None, None, None),
    ("Lãnh đạo đang xem", "waiting_signature", None, None, None),
    ("sếp chưa ký", "waiting_signature", None, None, None),
    ("đã làm xong, đang chờ ký", "waiting_signature", None, None, None),
    ("waiting for signature", "waiting_signature", None, None, None),
    ("trình ký rồi, dk 9/1 gửi", "waiting_signature", None, d(9, 1), None),
    ("đợi sếp duyệt", "waiting_signature", None, None, None),
    ("chờ kí ạ", "waiting_signature", None, None, None),
    # no data
    ("Chưa có số liệu", "no_data", None, None, None),
    ("ko co sl", "no_data", None, None, None),
    ("k có số liệu", "no_data", None, None, None),
    ("không nộp được vì chưa có số liệu", "no_data", None, None, None),
    ("đang chờ số liệu các xã", "no_data", None, None, None),
    ("thiếu số liệu xã Cẩm Xá", "no_data", None, None, None),
    ("sl chưa về", "no_data", None, None, None),
    ("no data yet", "no_data", None, None, None),
    ("kh co so lieu a", "no_data", None, None, None),
    ("chưa có sl, dk 10/1", "no_data", None, d(10, 1), None),
    ("CHƯA CÓ SỐ LIỆU", "no_data", None, None, None),
    ("khg có sl ạ", "no_data", None, None, None),
    # extension requested
    ("xin lùi 3 ngày", "extension_requested", None, None, 3),
    ("xin gia hạn đến 20/1", "extension_requested", None, d(20, 1), None),
    ("gia han 2 ngay", "extension_requested", None, None, 2),
    ("xin thêm 2 hôm", "extension_requested", None, None, 2),
    ("xin gia hạn", "extension_requested", None, None, None),
    ("xin lui 1 tuan", "extension_requested", None, None, 7),
    ("em xin khất đến 15/1", "extension_requested", None, d(15, 1), None),
    ("xin phép nộp muộn 2 hôm", "extension_requested", None, None, 2),
    ("cho em thêm thời gian", "extension_requested", None, None, None),
    ("xin lùi 3-4 ngày", "extension_requested", None, None, 4),  # a range: the longer
    ("xin lùi 3 ngày, hiện đạt 70%", "extension_requested", 70, None, 3),
    ("need 2 more days", "extension_requested", None, None, 2),
    ("xin lùi sang thứ 2 tuần sau", "extension_requested", None, d(13, 1), None),
    ("Xin gia hạn thêm hai ngày ạ", "extension_requested", None, None, 2),
    ("gia hạn đến ngày 20 tháng 1", "extension_requested", None, d(20, 1), None),
    ("chưa xong, xin lùi đến 10/1", "extension_requested", None, d(10, 1), None),
    # not started
    ("chưa làm", "not_started", None, None, None),
    ("chưa bắt đầu", "not_started", None, None, None),
    ("chưa nộp", "not_started", None, None, None),
    ("chua nop", "not_started", None, None, None),
    ("chx", "not_started", None, None, None),
    ("Chưa ạ", "not_started", None, None, None),
    ("not yet", "not_started", None, None, None),
    ("haven't started", "not_started", None, None, None),
    ("chưa làm gì cả", "not_started", None, None, None),
    ("ko nop dc", "not_started", None, None, None),
    ("chưa làm, dự kiến 15/1", "not_started", None, d(15, 1), None),  # "chưa làm" outweighs an announced date
    ("chua dau", "not_started", None, None, None),  # folded, this is "chưa đâu" (not yet)
    ("da chua a", "not_started", None, None, None),  # "dạ chưa ạ"
    ("Em chưa ạ", "not_started", None, None, None),
    # unclear: acknowledgements, questions, nothing to read
    ("Dạ", "unclear", None, None, None),
    ("dạ vâng", "unclear", None, None, None),
    ("ok", "unclear", None, None, None),
    ("vâng ạ", "unclear", None, None, None),
    ("da", "unclear", None, None, None),
    ("Oke a", "unclear", None, None, None),
    ("👍", "unclear", None, None, None),
    ("", "unclear", None, None, None),
    ("   ", "unclear", None, None, None),
    ("chùa Dâu?", "unclear", None, None, None),
    ("Chùa Dâu", "unclear", None, None, None),  # typed with its marks, chùa is a pagoda
    ("đã nộp chưa?", "unclear", None, None, None),
    ("da nop chua", "unclear", None, None, None),  # a question even without "?"
    ("Đã nộp chưa ạ", "unclear", None, None, None),
    ("có số liệu không", "unclear", None, None, None),
    ("xong chưa nhỉ", "unclear", None, None, None),
    ("nộp rồi à", "unclear", None, None, None),
    ("rồi ạ", "unclear", None, None, None),  # "already", but of what? ask back
    ("đã ạ", "unclear", None, None, None),  # folds like "dạ ạ"
    ("đã nhận", "unclear", None, None, None),
    ("Đã ký", "unclear", None, None, None),  # signed, but sent?
    ("ok rồi", "unclear", None, None, None),
    ("15/1", "unclear", None, d(15, 1), None),  # a bare date: kept for the question asked back
    ("120%", "unclear", None, None, None),
    ("60%?", "unclear", None, None, None),
    ("không", "unclear", None, None, None),
    ("hello", "unclear", None, None, None),
    ("???", "unclear", None, None, None),
]


def test_the_table_is_large_and_covers_every_status() -> None:
    assert len(CASES) >= 100
    assert {status for _, status, *_ in CASES} == set(STATUSES)


@pytest.mark.parametrize(("text", "status", "percent", "expected", "days"), CASES)
def test_reply(text: str, status: Status, percent: int | None, expected: date | None, days: int | None) -> None:
    reading = parse_status(text, today=TODAY)
    assert (reading.status, reading.percent, reading.expected_date, reading.extension_days) == (
        status,
        percent,
        expected,
        days,
    )
    assert reading.note == text.strip()


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("dự kiến 3/1", date(2025, 12, 28), date(2026, 1, 3)),  # next January, not last
        ("xin gia hạn đến 5/1", date(2025, 12, 28), date(2026, 1, 5)),
        ("dk 30/12", date(2025, 12, 28), date(2025, 12, 30)),
        ("dk 20/12", date(2025, 12, 28), date(2025, 12, 20)),  # closest, though past
        ("dk 30/12", date(2026, 1, 2), date(2025, 12, 30)),
        ("dk 31/12/2026", date(2026, 1, 2), date(2026, 12, 31)),  # an explicit year is kept
        ("mai nộp", date(2025, 12, 31), date(2026, 1, 1)),
        ("dk 29/2", date(2028, 2, 20), date(2028, 2, 29)),
        ("dk 1/9", date(2024, 3, 2), date(2024, 9, 1)),  # 183 days either way: ties go to the future
        ("dk 29/2/2025", date(2025, 1, 6), None),
    ],
)
def test_dates_around_the_year_boundary(text: str, today: date, expected: date | None) -> None:
    assert parse_status(text, today=today).expected_date == expected


def test_as_json_round_trips() -> None:
    reading = parse_status("xin gia hạn đến 20/1, đạt 70%", today=TODAY)
    payload = reading.as_json()
    assert json.loads(json.dumps(payload)) == payload
    assert payload == {
        "status": "extension_requested",
        "percent": 70,
        "expected_date": "2025-01-20",
        "extension_days": None,
        "note": "xin gia hạn đến 20/1, đạt 70%",
    }


def test_only_the_head_of_a_long_reply_is_read() -> None:
    assert parse_status("đã nộp " + "lorem ipsum " * 2000, today=TODAY).status == "done"
    assert parse_status("x" * HEAD + " đã nộp", today=TODAY).status == "unclear"
    assert len(parse_status("a" * 20_000, today=TODAY).note) == HEAD


def test_today_at_the_end_of_the_calendar_does_not_raise() -> None:
    assert parse_status("mai nộp", today=date.max).expected_date is None
    assert parse_status("dk 3/1", today=date.min).expected_date == date(1, 1, 3)


# --- properties -----------------------------------------------------------------------------------------------


def assert_valid(reading: Reading) -> None:
    assert reading.status in STATUSES
    assert reading.percent is None or 0 <= reading.percent <= 100
    assert reading.extension_days is None or reading.extension_days > 0
    assert len(reading.note) <= HEAD
    assert json.loads(json.dumps(reading.as_json())) == reading.as_json()


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=10_000))
def test_any_text_parses(text: str) -> None:
    assert_valid(parse_status(text, today=TODAY))


REPLY_ALPHABET = "0123456789 %/.-?!đĐạàáảãâầấậăằắặêềếệôồốộơờớợưừứựùúủũụìíỉĩịỳýỵabcdghklmnoprstuvxy"


@settings(deadline=None, max_examples=200)
@given(st.text(alphabet=REPLY_ALPHABET, max_size=80), st.dates())
def test_reply_like_text_parses(text: str, today: date) -> None:
    """Random text made of what replies are made of, so dates, percents and words are actually exercised."""
    assert_valid(parse_status(text, today=today))


@settings(deadline=None, max_examples=200)
@given(
    st.lists(st.sampled_from([case[0] for case in CASES] + ["60%", "12/1", "30/2", "xin lùi", "?"]), max_size=8),
    st.dates(),
)
def test_combinations_of_replies_parse(parts: list[str], today: date) -> None:
    assert_valid(parse_status(" ".join(parts), today=today))


# Replies whose reading must not depend on case or on diacritics. (Not "Chùa Dâu" or "đã ạ": there the marks
# are what tells chùa from chưa and đã from dạ.)
FOLD_INVARIANT = [
    "Đã nộp",
    "đã gửi qua email",
    "Đã nộp bản cứng",
    "xong rồi",
    "Hoàn thành",
    "đang hoàn thiện, dự kiến 12/1",
    "Đang làm, được khoảng 70% rồi ạ",
    "sắp xong",
    "sẽ nộp trước 10/1",
    "Chưa có số liệu",
    "không nộp được vì chưa có số liệu",
    "Đang trình ký lãnh đạo",
    "chờ ký",
    "xin lùi 3 ngày",
    "xin gia hạn đến 20/1",
    "gia hạn đến ngày 20 tháng 1",
    "chưa nộp",
    "chưa nộp, đang làm",
    "chưa bắt đầu",
    "chưa làm",
    "Dạ vâng",
    "vâng ạ",
    "đã nộp chưa?",
    "Đã nộp chưa ạ",
    "đã xong 60%",
    "thứ 6 nộp",
    "2 ngày nữa xong",
]


def same_reading(a: Reading, b: Reading) -> bool:
    return (a.status, a.percent, a.expected_date, a.extension_days) == (
        b.status,
        b.percent,
        b.expected_date,
        b.extension_days,
    )


@settings(deadline=None, max_examples=200)
@given(st.sampled_from(FOLD_INVARIANT), st.data())
def test_reading_does_not_depend_on_case_or_diacritics(phrase: str, data: st.DataObject) -> None:
    reference = parse_status(phrase, today=TODAY)
    uppers = data.draw(st.lists(st.booleans(), min_size=len(phrase), max_size=len(phrase)))
    mixed_case = "".join(ch.upper() if up else ch for ch, up in zip(phrase, uppers, strict=True))
    words = phrase.split(" ")
    strip = data.draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    partly_folded = " ".join(fold(word) if s else word for word, s in zip(words, strip, strict=True))
    for variant in (mixed_case, partly_folded, fold(phrase), phrase.upper()):
        assert same_reading(parse_status(variant, today=TODAY), reference), variant


CLEAR = [(text, status) for text, status, *_ in CASES if status != "unclear"]
TAILS = [" ạ", " a", "!", " ạ!", " nhé", " ạ."]


@settings(deadline=None, max_examples=200)
@given(st.sampled_from(CLEAR), st.lists(st.sampled_from(TAILS), min_size=1, max_size=3))
def test_trailing_particles_do_not_change_a_clear_reply(case: tuple[str, Status], tails: list[str]) -> None:
    text, status = case
    assert parse_status(text + "".join(tails), today=TODAY).status == status


@pytest.mark.parametrize("text", ["-5%", "đã làm -10%", "xin lùi -3 ngày", "lui -2 tuan", "-50 phần trăm"])
def test_a_negative_amount_is_asked_back(text: str) -> None:
    """It was read as 5% in progress, or a 3-day extension (issue 13)."""
    assert parse_status(text, today=date(2025, 1, 6)).status == "unclear"


@pytest.mark.parametrize(
    ("text", "status"), [("dự kiến 12-1", "in_progress"), ("xin lùi 3 ngày", "extension_requested")]
)
def test_a_dash_in_a_date_or_no_minus_is_read_as_before(text: str, status: str) -> None:
    assert parse_status(text, today=date(2025, 1, 6)).status == status
