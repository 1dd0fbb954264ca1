"""The reporting cycles of Decree 09/2019 and each report's data cut-off period (Art. 12, "thời gian chốt
số liệu"): monthly from the 15th of the month before to the 14th; quarterly from the 15th of the month
before the quarter to the 14th of its last month; the first 6 months 15/12-14/6, the last 6 months
15/6-14/12; 9 months 15/12-14/9; the year 15/12-14/12.
"""

from __future__ import annotations

from datetime import date, timedelta


def quarter_of(day: date) -> int:
    """1 to 4."""
    return (day.month - 1) // 3 + 1


def quarterly_month(month: int, month_in_quarter: int) -> bool:
    """Whether `month` is the quarter's `month_in_quarter` (1: its first month, 3: its last)."""
    return (month - 1) % 3 + 1 == month_in_quarter


def data_period(period: str, nominal: date) -> tuple[date, date] | None:
    """The cut-off period a report due on `nominal` covers, by the rule's `period`."""
    year = nominal.year
    if period == "monthly":
        first = nominal.replace(day=1) - timedelta(days=1)
        return first.replace(day=15), nominal.replace(day=14)
    if period == "quarterly":
        first_month = (quarter_of(nominal) - 1) * 3 + 1
        before = date(year, first_month, 1) - timedelta(days=1)
        return before.replace(day=15), date(year, first_month + 2, 14)
    if period == "half-year":
        return date(year - 1, 12, 15), date(year, 6, 14)
    if period == "last-half":
        return date(year, 6, 15), date(year, 12, 14)
    if period == "nine-months":
        return date(year - 1, 12, 15), date(year, 9, 14)
    if period == "annual":
        return date(year - 1, 12, 15), date(year, 12, 14)
    return None
