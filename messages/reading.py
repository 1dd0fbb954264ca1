"""What a reply says, as the parser reads it (messages/parser.py): the statuses and the `Reading`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

HEAD = 500  # only this much of a reply is read (and kept as the note); replies are a line or two
MAX_WORDS = 100  # and of that, only the first words: bounds the time on 500 characters of one-letter words
MAX_FOUND = 10  # percents or dates extracted; more cannot change the reading and would lengthen the text
MAX_EXTENSION_DAYS = 366

Status = Literal["done", "in_progress", "waiting_signature", "no_data", "extension_requested", "not_started", "unclear"]
STATUSES: tuple[Status, ...] = get_args(Status)


@dataclass(frozen=True)
class Reading:
    status: Status
    percent: int | None = None  # 0..100 when given
    expected_date: date | None = None  # "dự kiến 12/1", "gia hạn đến 20/1"
    extension_days: int | None = None  # "xin lùi 3 ngày"
    note: str = ""  # the text the person wrote, trimmed to HEAD characters, for the record

    def as_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "percent": self.percent,
            "expected_date": self.expected_date.isoformat() if self.expected_date else None,
            "extension_days": self.extension_days,
            "note": self.note,
        }
