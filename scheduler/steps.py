"""What an outbox row's step is, as a value: made by the planner, read by the core, stored as its text.

A step key names which message of an occurrence a row is, and it is part of the row's unique key:

- a ladder step: "-7d", "0", "+1w" (scheduler/ladder.py);
- a ladder step of an extension's new ladder: "x" + the granted day's month and day + the step,
  "x0120+1w";
- a reminder put off by the official: "later-" + the moment (UTC) as "%Y%m%d%H%M";
- a task the office has just given (`/giao`): "new", the message that tells its units at once;
- the office's digests: "week-" + the Monday ("week-20250106"), "lastday" (on the day to aim for),
  "legalday" (on the legal last day), "quota-" + the channel and month ("quota-zalo-2025-01"), and
  "over-" + the channel and month when the quota is spent or the reminders waiting would pass it.
  "ended-" + the first day without units or plans that ended ("ended-20250701").

`StepKey` is that text (a `str`: it is stored, compared and shown as it is) with its parts read once,
where it is made; the rest of the code asks for the parts instead of parsing the text again.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_EXTENSION = re.compile(r"^x(?P<md>\d{4})(?P<ladder>.+)$")
_DIGESTS = ("week", "lastday", "legalday", "quota", "over", "ended")


class StepKey(str):
    """A step key (see the module); `kind` is one of "ladder", "extension", "later", "new" and the digests'."""

    kind: str
    ladder: str  # a ladder step's own key: "-7d", "+1w" (ladder and extension steps)
    monday: date | None  # the week a weekly digest is for; the first day without what "ended"
    moment: datetime | None  # when a put-off reminder was put off to
    channel: str  # a quota warning's channel
    month: str  # a quota warning's month, "2025-01"

    def __new__(cls, text: str) -> StepKey:
        self = super().__new__(cls, text)
        self.kind, self.ladder, self.monday, self.moment, self.channel, self.month = "ladder", "", None, None, "", ""
        if text in ("lastday", "legalday", "new"):
            self.kind = text
        elif text.startswith("week-"):
            digits = text.removeprefix("week-")
            self.kind, self.monday = "week", date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        elif text.startswith("ended-"):
            digits = text.removeprefix("ended-")
            self.kind, self.monday = "ended", date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        elif text.startswith(("quota-", "over-")):
            kind, channel, month = text.split("-", 2)
            self.kind, self.channel, self.month = kind, channel, month
        elif text.startswith("later-"):
            moment = datetime.strptime(text.removeprefix("later-"), "%Y%m%d%H%M").replace(tzinfo=UTC)
            self.kind, self.moment = "later", moment
        elif found := _EXTENSION.match(text):
            self.kind, self.ladder = "extension", found["ladder"]
        else:
            self.ladder = text
        return self

    @classmethod
    def of_ladder(cls, step: str, *, granted: date | None = None) -> StepKey:
        """A ladder step, or (`granted`) the same step of an extension's ladder to that day."""
        return cls(step if granted is None else f"x{granted:%m%d}{step}")

    @classmethod
    def later(cls, moment: datetime) -> StepKey:
        return cls("later-" + moment.astimezone(UTC).strftime("%Y%m%d%H%M"))

    @classmethod
    def new_task(cls) -> StepKey:
        return cls("new")

    @classmethod
    def week(cls, monday: date) -> StepKey:
        return cls(f"week-{monday:%Y%m%d}")

    @classmethod
    def last_day(cls, *, legal: bool) -> StepKey:
        return cls("legalday" if legal else "lastday")

    @classmethod
    def ended(cls, day: date) -> StepKey:
        return cls(f"ended-{day:%Y%m%d}")

    @classmethod
    def quota(cls, channel: str, month: str) -> StepKey:
        return cls(f"quota-{channel}-{month}")

    @classmethod
    def over_quota(cls, channel: str, month: str) -> StepKey:
        return cls(f"over-{channel}-{month}")

    @property
    def is_digest(self) -> bool:
        return self.kind in _DIGESTS
