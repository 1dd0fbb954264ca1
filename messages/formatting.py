"""Dates, times and numbers through Babel, in the reader's locale and the service's time zone.

The zone is the settings' (NHACVIEC_TIMEZONE, Asia/Ho_Chi_Minh by default): the composition root
calls `use_time_zone` once at start, before any message is worded; `zone()` is what it set.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

DEFAULT_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
_zone = DEFAULT_ZONE


def use_time_zone(tz: ZoneInfo) -> None:
    """The zone people read times in, from the settings (bot/app.py)."""
    global _zone
    _zone = tz


def zone() -> ZoneInfo:
    return _zone


_DAY = {"en": "EEE d MMM y"}
# Mid-sentence, as an office writes it: "trước ngày 10/01/2025 (thứ Sáu)". CLDR's "Thứ Sáu" is capitalised
# for the start of a sentence, and Sunday is "Chủ nhật" either way. Monday first, as date.weekday() counts.
_VI_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_SHORT = {"vi": "dd/MM/y", "en": "d MMM y"}
_MOMENT = {"vi": "HH:mm dd/MM/y", "en": "HH:mm, d MMM y"}


# Remembered: a fan-out words thousands of reminders around the same few deadlines, and Babel's
# formatting was most of the cost of wording one.
@lru_cache(maxsize=4096)
def day(value: date, locale: str) -> str:
    """'10/01/2025 (thứ Sáu)' in Vietnamese, 'Fri 10 Jan 2025' in English."""
    if locale not in _DAY:
        return f"{value:%d/%m/%Y} ({_VI_WEEKDAYS[value.weekday()]})"
    return format_date(value, _DAY[locale], locale=locale)


@lru_cache(maxsize=4096)
def weekday_name(value: date, locale: str) -> str:
    """'Chủ nhật', 'thứ Bảy' in Vietnamese, 'Sunday' in English."""
    return _VI_WEEKDAYS[value.weekday()] if locale not in _DAY else format_date(value, "EEEE", locale=locale)


def short_day(value: date, locale: str) -> str:
    return format_date(value, _SHORT.get(locale, _SHORT["vi"]), locale=locale)


def moment_on_day(value: datetime, locale: str, tz: ZoneInfo | None = None) -> str:
    """'09:00 ngày 06/01/2025': a moment inside a sentence, as an office writes it."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    wall = aware.astimezone(tz or _zone).replace(tzinfo=None)
    return format_datetime(wall, _MOMENT_ON_DAY.get(locale, _MOMENT_ON_DAY["vi"]), tzinfo=UTC, locale=locale)


_MOMENT_ON_DAY = {"vi": "HH:mm 'ngày' dd/MM/y", "en": "HH:mm, d MMM y"}


def moment(value: datetime, locale: str, tz: ZoneInfo | None = None) -> str:
    """A point in time as people read it in the service's zone, whatever zone it was stored in."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # Babel reads naive as UTC too
    return _minute(aware.astimezone(tz or _zone).replace(second=0, microsecond=0, tzinfo=None), locale)


# Remembered by the minute, the finest the words show: every confirmation tells a moment, and
# Babel's formatting was a tenth of the CPU the core spends on a status update. Keyed by the wall
# clock's reading: aware datetimes of one instant in two zones are equal keys.
@lru_cache(maxsize=4096)
def _minute(wall: datetime, locale: str) -> str:
    return format_datetime(wall, _MOMENT.get(locale, _MOMENT["vi"]), tzinfo=UTC, locale=locale)


def official_date(value: date) -> str:
    """'ngày 10 tháng 01 năm 2025', 'ngày 05 tháng 3 năm 2025', as Decree 30/2020 (appendix I) writes dates
    in documents: a day below 10 and the months 1 and 2 get a leading zero, the other months none."""
    return f"ngày {value.day:02d} tháng {_official_month(value)} năm {value.year}"


def official_short_date(value: date) -> str:
    """'10/01/2025', '05/3/2025', '15/6/2025': a date inside a document's text (a plan cited, a day to
    reply by), padded by the same rule as `official_date`."""
    return f"{value.day:02d}/{_official_month(value)}/{value.year}"


def _official_month(value: date) -> str:
    # The decree pads 1 and 2 so that "tháng 01" cannot be read as "tháng 10" or "tháng 11" once altered.
    return f"{value.month:02d}" if value.month <= 2 else str(value.month)
