from datetime import UTC, datetime

import pytest

from messages.formatting import day, moment, official_date, official_short_date
from messages.text import fold, shorten, split_text


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Bần Yên Nhân", "ban yen nhan"),
        ("ĐÃ NỘP", "da nop"),
        ("Đường Hào", "duong hao"),
        ("Hoà  Phong\t", "hoa phong"),
        ("Nhân Hòa", "nhan hoa"),
        ("Ba\u0300n", "ban"),  # decomposed input folds the same as composed
        ("🙂", "🙂"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_split_text_keeps_short_text_whole() -> None:
    assert split_text("a\nb", 10) == ["a\nb"]


def test_split_text_breaks_at_line_boundaries() -> None:
    lines = [f"line {i:03d}" for i in range(100)]
    chunks = split_text("\n".join(lines), 100)
    assert all(len(chunk) <= 100 for chunk in chunks)
    assert "\n".join(chunks).split("\n") == lines


def test_split_text_cuts_a_line_longer_than_the_limit() -> None:
    chunks = split_text("x" * 250, 100)
    assert [len(chunk) for chunk in chunks] == [100, 100, 50]


def test_dates_in_vietnamese_and_english() -> None:
    from datetime import UTC, date, datetime

    assert day(date(2025, 1, 10), "vi") == "10/01/2025 (thứ Sáu)"  # as an office writes it mid-sentence
    assert day(date(2025, 6, 15), "vi") == "15/06/2025 (Chủ nhật)"
    assert day(date(2025, 1, 10), "en") == "Fri 10 Jan 2025"
    # stored in UTC, shown in Hà Nội time
    assert moment(datetime(2025, 1, 9, 1, 14, tzinfo=UTC), "vi") == "08:14 09/01/2025"
    assert official_date(date(2025, 1, 10)) == "ngày 10 tháng 01 năm 2025"


def test_an_official_date_pads_the_day_below_10_and_only_the_months_1_and_2() -> None:
    """Decree 30/2020, appendix I (DOMAIN.md section 4): the follow-up letter of 01/07/2025 is dated
    "ngày 01 tháng 7 năm 2025", and a report due 16/6 is "ngày 16 tháng 6 năm 2025", never "tháng 06"."""
    from datetime import date

    assert official_date(date(2025, 3, 5)) == "ngày 05 tháng 3 năm 2025"
    assert official_date(date(2025, 2, 19)) == "ngày 19 tháng 02 năm 2025"
    assert official_date(date(2025, 6, 16)) == "ngày 16 tháng 6 năm 2025"
    assert official_date(date(2025, 7, 1)) == "ngày 01 tháng 7 năm 2025"
    assert official_date(date(2025, 12, 15)) == "ngày 15 tháng 12 năm 2025"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("2025-03-05", "05/3/2025"),
        ("2025-01-10", "10/01/2025"),
        ("2025-02-09", "09/02/2025"),
        ("2025-06-15", "15/6/2025"),
        ("2024-12-24", "24/12/2024"),
        ("2025-10-01", "01/10/2025"),
    ],
)
def test_a_date_in_a_documents_text_is_padded_as_the_decree_pads_it(value: str, written: str) -> None:
    """The plan itself cites "Kế hoạch số 155/KH-UBND ngày 04/8/2022" and "số 39/KH-UBND ngày 16/02/2023"."""
    from datetime import date

    assert official_short_date(date.fromisoformat(value)) == written


def test_a_moment_reads_the_same_from_any_zone_and_to_the_minute() -> None:
    """Remembered by the minute: seconds, the stored zone and a naive UTC value change nothing."""
    from datetime import UTC, datetime, timedelta, timezone

    stored = datetime(2025, 1, 9, 1, 14, 59, 999_999, tzinfo=UTC)
    assert moment(stored, "vi") == moment(stored.replace(second=0, microsecond=0), "vi") == "08:14 09/01/2025"
    assert moment(stored.astimezone(timezone(timedelta(hours=-5))), "vi") == "08:14 09/01/2025"
    assert moment(stored.replace(tzinfo=None), "vi") == "08:14 09/01/2025"  # naive means UTC, as Babel reads it
    assert moment(stored, "en") == "08:14, 9 Jan 2025"
    assert moment(stored + timedelta(seconds=1), "vi") == "08:15 09/01/2025"


@pytest.mark.parametrize(
    ("text", "limit", "short"),
    [
        # a button once read "Kế hoạch triển khai thực hiện Chủ đề côn (10/01)"
        ("Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025", 40, "Kế hoạch triển khai thực hiện Chủ đề…"),
        ("Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025", 22, "Kế hoạch triển khai…"),
        ("Báo cáo tháng kết quả theo dõi, đôn đốc", 32, "Báo cáo tháng kết quả theo dõi…"),  # no comma before …
        ("Ngắn", 40, "Ngắn"),
        ("Đúng bốn mươi", 13, "Đúng bốn mươi"),
        ("Mộttừrấtdàikhôngcódấucách", 10, "Mộttừrấtd…"),  # no space to cut at: cut the word
        ("", 5, ""),
    ],
)
def test_shorten_cuts_at_a_word_boundary(text: str, limit: int, short: str) -> None:
    assert shorten(text, limit) == short
    assert len(shorten(text, limit)) <= limit


def test_times_are_read_in_the_zone_the_settings_give() -> None:
    from zoneinfo import ZoneInfo

    from messages import formatting

    at = datetime(2025, 1, 10, 1, 30, tzinfo=UTC)
    assert moment(at, "vi") == "08:30 10/01/2025"  # Asia/Ho_Chi_Minh unless told otherwise
    formatting.use_time_zone(ZoneInfo("Asia/Tokyo"))
    try:
        assert moment(at, "vi") == "10:30 10/01/2025"
    finally:
        formatting.use_time_zone(formatting.DEFAULT_ZONE)


async def test_the_service_words_times_in_its_settings_zone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.app import running
    from bot.settings import load_settings
    from messages import formatting
    from scheduler.clock import FakeClock

    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'zone.db'}", timezone="Asia/Tokyo")
    try:
        async with running(settings, clock=FakeClock(datetime(2025, 1, 10, 1, 30, tzinfo=UTC))):
            assert moment(datetime(2025, 1, 10, 1, 30, tzinfo=UTC), "en").startswith("10:30")
    finally:
        formatting.use_time_zone(formatting.DEFAULT_ZONE)
