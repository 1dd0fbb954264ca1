"""Dates, times and numbers through Babel, always in the reader's locale and Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_DAY = {"vi": "EEEE, dd/MM/y", "en": "EEE d MMM y"}
_SHORT = {"vi": "dd/MM/y", "en": "d MMM y"}
_MOMENT = {"vi": "HH:mm dd/MM/y", "en": "HH:mm, d MMM y"}


# Remembered: a fan-out words thousands of reminders around the same few deadlines, and Babel's
# formatting was most of the cost of wording one.
@lru_cache(maxsize=4096)
def day(value: date, locale: str) -> str:
    """'Thứ Sáu, 10/01/2025' in Vietnamese, 'Fri 10 Jan 2025' in English."""
    return format_date(value, _DAY.get(locale, _DAY["vi"]), locale=locale)


@lru_cache(maxsize=4096)
def short_day(value: date, locale: str) -> str:
    return format_date(value, _SHORT.get(locale, _SHORT["vi"]), locale=locale)


def moment(value: datetime, locale: str, tz: ZoneInfo = TZ) -> str:
    """A point in time as people in Vietnam read it, whatever zone it was stored in."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # Babel reads naive as UTC too
    return _minute(aware.astimezone(tz).replace(second=0, microsecond=0), locale)


# Remembered by the minute, the finest the words show: every confirmation tells a moment, and
# Babel's formatting was a tenth of the CPU the core spends on a status update.
@lru_cache(maxsize=4096)
def _minute(value: datetime, locale: str) -> str:
    return format_datetime(value, _MOMENT.get(locale, _MOMENT["vi"]), tzinfo=value.tzinfo, locale=locale)


def official_date(value: date) -> str:
    """'ngày 10 tháng 01 năm 2025', 'ngày 05 tháng 3 năm 2025', as Decree 30/2020 (appendix I) writes dates
    in documents: a day below 10 and the months 1 and 2 get a leading zero, the other months none."""
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"
