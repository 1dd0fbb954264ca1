"""A plan cited as an office cites it, and a duty's deadline rule in the words an office writes.

- `cited`: "Kế hoạch số 12/KH-UBND ngày 06/01/2025 của UBND thị xã Mỹ Hào" when the document has a
  number; its title otherwise ("Kế hoạch tổ chức thực hiện Chủ đề công tác năm 2025 của UBND thị xã
  Mỹ Hào"). Reminders, /kehoach, /nhiemvu and the follow-up letter cite a plan this one way.
- `rule_words`: the inverse of messages/deadline_words.read_deadline ("trước ngày 20 hằng tháng",
  "chậm nhất ngày 04/12/2026", "trước ngày 15/6 hằng năm"): what it writes, read_deadline reads back.

Dates are written as Decree 30/2020 writes them in documents: a day below 10 and the months 1 and 2
with a leading zero, the other months without ("06/01/2025", "05/3/2025").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Protocol

from babel.dates import format_date

from messages.cycles import quarterly_words
from messages.formatting import short_day
from messages.i18n import N_, gettext_for

# The kind of document a number names (Decree 30/2020, appendix III: "12/KH-UBND" is a plan); a number
# of no such kind ("123/UBND-VP") is an official letter's.
_KINDS = {"KH": N_("Plan"), "QĐ": N_("Decision"), "QD": N_("Decision"), "TB": N_("Notice"), "CT": N_("Directive")}
_LETTER = N_("Official letter")


class Citable(Protocol):
    """What a citation needs of a plan: storage's Plan, or the plain columns the dispatcher reads."""

    @property
    def title(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def issued_on(self) -> dt.date | None: ...
    @property
    def issuer(self) -> str: ...


def document_date(value: dt.date) -> str:
    """'06/01/2025', '05/3/2025', '15/12/2025': a date as documents write it (Decree 30/2020)."""
    return f"{value.day:02d}/{_month(value.month)}/{value.year}"


def _month(month: int) -> str:
    return f"{month:02d}" if month <= 2 else str(month)


def cited(plan: Citable, locale: str) -> str:
    """The plan as an office cites it, in the reader's language."""
    return citation(plan.title, plan.number, plan.issued_on, plan.issuer, locale)


# Remembered: the dispatcher words thousands of reminders citing the same few plans.
@lru_cache(maxsize=256)
def citation(title: str, number: str, issued_on: dt.date | None, issuer: str, locale: str) -> str:
    _ = gettext_for(locale)
    number = number.strip()
    document = _("{kind} No. {number}").format(kind=_(_kind(number)), number=number) if number else title.strip()
    if issued_on is not None:
        document = _("{document} dated {date}").format(document=document, date=_day(issued_on, locale))
    if issuer.strip():
        document = _("{document} of {issuer}").format(document=document, issuer=issuer.strip())
    return document


def _kind(number: str) -> str:
    code = number.partition("/")[2].partition("-")[0].strip().upper()
    if not code:
        return _KINDS["KH"]
    return _KINDS.get(code, _LETTER)


def _day(value: dt.date, locale: str) -> str:
    return document_date(value) if locale == "vi" else format_date(value, "d MMM y", locale=locale)


def rule_words(rule: Mapping[str, Any], locale: str, *, today: dt.date | None = None) -> str:
    """The deadline rule as an office writes it; a monthly rule's first month only when it is still to
    come (read_deadline starts a rule it reads today)."""
    _ = gettext_for(locale)
    inclusive = bool(rule.get("inclusive", False))
    kind = rule.get("kind")
    if kind == "once":
        day = _day(dt.date.fromisoformat(str(rule["date"])), locale)
        return (_("by {date}") if inclusive else _("before {date}")).format(date=day)
    if kind == "yearly" and rule.get("year") is not None:  # that year's deadline only
        day = _day(dt.date(int(rule["year"]), int(rule["month"]), int(rule["day"])), locale)
        return (_("by {date}") if inclusive else _("before {date}")).format(date=day)
    if kind == "yearly":
        day = _day_month(int(rule["day"]), int(rule["month"]), locale)
        return (_("by {date} every year") if inclusive else _("before {date} every year")).format(date=day)
    number = int(rule["day"])
    if kind == "quarterly":
        return quarterly_words(rule, locale)
    words = (_("by day {day} of every month") if inclusive else _("before day {day} of every month")).format(
        day=f"{number:02d}" if locale == "vi" else number
    )
    start = _as_date(rule.get("from"))
    if start is not None and (today is None or start > today):
        words = _("{rule}, from {month}").format(rule=words, month=_month_year(start, locale))
    until = _as_date(rule.get("until"))
    if until is not None:
        words = _("{rule} until {month}").format(rule=words, month=_month_year(until, locale))
    return words


def _as_date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


def _day_month(day: int, month: int, locale: str) -> str:
    if locale == "vi":
        return f"{day:02d}/{_month(month)}"
    return format_date(dt.date(2024, month, day), "d MMM", locale=locale)


def _month_year(value: dt.date, locale: str) -> str:
    return f"{_month(value.month)}/{value.year}" if locale == "vi" else format_date(value, "MMM y", locale=locale)


def carry_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "To carry a plan whose issuer ended over to its successor body: /kehoach <number> chuyển cho <body>, "
        "for example /kehoach 1 chuyển cho UBND phường Mỹ Hào."
    )


def no_such_plan(query: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("No plan has the number or code “{query}”. /kehoach tatca lists every plan.").format(query=query[:64])


def issuer_not_ended(citation: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("The issuer of {plan} has not ended: there is nothing to carry over.").format(plan=citation)


def carried(citation: str, body: str, end: dt.date | None, locale: str) -> str:
    _ = gettext_for(locale)
    text = _("{plan} is carried over to {body}.").format(plan=citation, body=body)
    if end is not None:
        return text + " " + _("It stays in force until {day}.").format(day=short_day(end, locale))
    return text + " " + _("It stays in force.")
