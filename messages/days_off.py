"""What the office reads about the calendar's corrections: days off and working Saturdays, and the
deadlines a correction moved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from messages.formatting import day, short_day
from messages.i18n import gettext_for
from storage.models import HolidayOverride


@dataclass(frozen=True)
class MovedDeadline:
    """One occurrence whose dates a correction changed."""

    title: str
    nominal: date
    before: tuple[date, date]  # (aim day, legal last day)
    after: tuple[date, date]


def corrections(rows: Sequence[HolidayOverride], locale: str) -> str:
    _ = gettext_for(locale)
    if not rows:
        return _("No correction of the calendar from today on.") + "\n" + usage(locale)
    lines = [_("Corrections of the calendar from today on:")]
    for row in rows:
        what = _("day off") if row.off else _("working day")
        who = _("set by the office") if row.source == "office" else _("from the plan file")
        note = f": {row.note}" if row.note else ""
        lines.append(f"- {day(row.day, locale)}: {what}{note} ({who})")
    return "\n".join([*lines, "", usage(locale)])


def usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "A day off: /ngaynghi 24/11/2026 [reason]; a working Saturday: /ngaylam 10/01/2026 [reason]; "
        "to remove a correction: /ngaynghi xoa 24/11/2026"
    )


def note_too_long(length: int, limit: int, locale: str) -> str:
    _ = gettext_for(locale)
    return _("The reason can have at most {limit} characters; this one has {length}. Nothing was changed.").format(
        limit=limit, length=length
    )


def already(when: date, off: bool, locale: str) -> str:
    _ = gettext_for(locale)
    if off:
        return _("{day} is a day off already.").format(day=day(when, locale))
    return _("{day} is a working day already.").format(day=day(when, locale))


def no_working_sunday(when: date, locale: str) -> str:
    _ = gettext_for(locale)
    return _("{day} is a Sunday: a day worked in exchange is a Saturday.").format(day=day(when, locale))


def not_corrected(when: date, locale: str) -> str:
    _ = gettext_for(locale)
    return _("{day} has no correction to remove.").format(day=day(when, locale))


def from_file(when: date, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "The correction of {day} comes from the plan file: change the file, or set the day with /ngaynghi or /ngaylam."
    ).format(day=day(when, locale))


def changed(when: date, off: bool | None, moved: Sequence[MovedDeadline], locale: str) -> str:
    """The correction made (None: removed) and the deadlines it moved."""
    _ = gettext_for(locale)
    if off is None:
        head = _("The correction of {day} was removed.")
    else:
        head = _("{day} is now a day off.") if off else _("{day} is now a working day.")
    lines = [head.format(day=day(when, locale))]
    if not moved:
        lines.append(_("No deadline of the coming year moved."))
        return "\n".join(lines)
    lines.append(_("Deadlines moved:"))
    for item in moved:
        lines.append(
            _(
                "- {title} ({nominal}): aim for {aim_before} → {aim_after}; legal last day {last_before} → {last_after}"
            ).format(
                title=item.title,
                nominal=short_day(item.nominal, locale),
                aim_before=short_day(item.before[0], locale),
                aim_after=short_day(item.after[0], locale),
                last_before=short_day(item.before[1], locale),
                last_after=short_day(item.after[1], locale),
            )
        )
    return "\n".join(lines)
