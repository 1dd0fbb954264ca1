"""The words of the reporting cycles (issue 25): a quarterly rule, and a preview's next deadlines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from messages.formatting import day, short_day
from messages.i18n import gettext_for


class Deadline(NamedTuple):
    """One of a recurring task's next deadlines (the calendar's occurrence, as words need it)."""

    nominal: date
    aim_day: date
    legal_last_day: date
    period_start: date | None = None
    period_end: date | None = None


def quarterly_words(rule: Mapping[str, Any], locale: str) -> str:
    """'trước ngày 15 tháng cuối quý', in the reader's language."""
    _ = gettext_for(locale)
    inclusive = bool(rule.get("inclusive", False))
    which = int(rule.get("month") or 3)
    if which == 1:
        said = (
            _("by day {day} of each quarter's first month")
            if inclusive
            else _("before day {day} of each quarter's first month")
        )
    elif which == 2:
        said = (
            _("by day {day} of each quarter's second month")
            if inclusive
            else _("before day {day} of each quarter's second month")
        )
    else:
        said = (
            _("by day {day} of each quarter's last month")
            if inclusive
            else _("before day {day} of each quarter's last month")
        )
    return said.format(day=rule.get("day"))


def next_deadlines(found: Sequence[Deadline], locale: str) -> list[str]:
    """A recurring task's next deadlines, each with the day to aim for and the legal last day, and its
    data period when it has one."""
    _ = gettext_for(locale)
    if not found:
        return []
    lines = [_("Next deadlines:")]
    for occurrence in found:
        line = _("{deadline}: aim to send by {aim_day}, legal last day {legal_last_day}").format(
            deadline=short_day(occurrence.nominal, locale),
            aim_day=day(occurrence.aim_day, locale),
            legal_last_day=day(occurrence.legal_last_day, locale),
        )
        if occurrence.period_start and occurrence.period_end:
            line += " " + _("(data from {start} to {end})").format(
                start=short_day(occurrence.period_start, locale), end=short_day(occurrence.period_end, locale)
            )
        lines.append(f"• {line}")
    return lines
