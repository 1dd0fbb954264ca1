"""The most characters a person may type for a text the bot keeps as a name or a title: checked in the
core, so every database answers alike (PostgreSQL refuses what is longer than its column, SQLite keeps
it), and answered with the limit. Cut, a name or a title would name something else. A record of what
someone wrote (a reply, a request's reason, a caption, a /giao as typed) is kept to its column instead
(`storage.models.fitted`)."""

from __future__ import annotations

from typing import Literal

from messages.text import has_invisible
from storage.models import Duty, HolidayOverride, Unit, column_length

TASK_TITLE = column_length(Duty, "title") or 300
# a unit's name as typed is its short name; with its kind's word ("Phường ") it must fit the name's column
UNIT_NAME = min(column_length(Unit, "short_name") or 120, (column_length(Unit, "name") or 200) - 20)
DAY_NOTE = column_length(HolidayOverride, "note") or 200


def name_problem(name: str, *, limit: int = UNIT_NAME) -> Literal["long", "invisible"] | None:
    """What keeps these words from being a name: too long for its column, or characters that show
    nothing or turn the text around (a name must read as it is shown)."""
    if len(name) > limit:
        return "long"
    if has_invisible(name):
        return "invisible"
    return None
