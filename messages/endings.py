"""The office's words about what ended: units and plans, and the reports closed with them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from messages.formatting import short_day
from messages.i18n import gettext_for, ngettext_for


def ended_digest(last: date, units: Sequence[str], plans: Sequence[str], closed: int, locale: str) -> str:
    """The morning after units or plans ended: what ended, and how many unsent reports closed."""
    _ = gettext_for(locale)
    lines = [_("🏁 Ended at the end of {day}:").format(day=short_day(last, locale))]
    lines += [f"• {name}" for name in [*plans, *units]]
    lines.append(closed_line(closed, locale))
    return "\n".join(lines)


def closed_line(closed: int, locale: str) -> str:
    _ = gettext_for(locale)
    ngettext = ngettext_for(locale)
    if not closed:
        return _("No unsent report was left to close.")
    return ngettext(
        "{n} unsent report closed with them: recorded as not sent, kept in the history and the plan's workbook.",
        "{n} unsent reports closed with them: recorded as not sent, kept in the history and the plan's workbook.",
        closed,
    ).format(n=closed)


def week_endings(units: Sequence[str], closed: int, locale: str) -> str:
    """The Monday digest's lines about what ended in the week before."""
    _ = gettext_for(locale)
    lines = [_("🏁 Ended last week: {names}").format(names=", ".join(units))] if units else []
    return "\n".join([*lines, closed_line(closed, locale)])


def ended_with_officials(rows: Sequence[tuple[str, str, int]], locale: str) -> str:
    """`/donvi`: units that ended and still have registered officials (name, key, how many), to decide."""
    _ = gettext_for(locale)
    ngettext = ngettext_for(locale)
    lines = [_("Units that ended, with officials still registered (decide with /donvi <unit>):")]
    for name, key, count in rows:
        people = ngettext("{count} official", "{count} officials", count).format(count=count)
        lines.append(f"⏳ {name}: {people} · /donvi {key}")
    return "\n".join(lines)


def decide_about(unit: str, waiting: str) -> str:
    return f"• {unit}\n{waiting}"
