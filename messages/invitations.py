"""What the office reads when `/moi` cannot make the invitation it was asked for."""

from __future__ import annotations

from messages.i18n import gettext_for
from storage.models import Unit


def days_out_of_range(days: int, most: int, default: int, unit: Unit, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "An invitation is valid for 1 to {most} days, not {days}. "
        "For example: /moi {unit} head 14 (by default {default} days)."
    ).format(most=most, days=days, unit=unit.short_name, default=default)


def unknown_words(unit: Unit, words: str, most: int, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "I found {unit} but do not understand “{words}”. After the unit's name you may write the role "
        "(official, head or office) and the number of days the invitation is valid (1 to {most}), "
        "for example: /moi {short} head 14."
    ).format(unit=unit.name, words=words[:100], most=most, short=unit.short_name)
