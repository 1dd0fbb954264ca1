"""What the dispatcher hands to a channel, and what a channel may answer. No channel is imported here.

The send path runs one way: the dispatcher has each message worded by the renderer the composition
root gives it (`Renderer`: the core's words, in the reader's language) and hands the channel the
finished text and choices; the channel only sends them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from scheduler.steps import StepKey


@dataclass(frozen=True)
class ReminderMessage:
    """Everything needed to word one reminder, in the recipient's language."""

    reminder_id: int
    channel: str
    chat_id: str
    locale: str
    audience: str  # official | head | office
    step: StepKey  # which message of the occurrence: a ladder step, a digest... (scheduler/steps.py)
    duty_title: str
    duty_title_en: str
    unit_name: str
    nominal: date
    inclusive: bool
    aim_day: date  # "nên gửi trước"
    legal_last_day: date  # "hạn chót theo quy định"
    working_days_left: int  # to the day to aim for; after the legal last day, minus the working days late
    period_start: date | None
    period_end: date | None
    group_chat: bool = False
    occurrence_id: int = 0
    late_units: tuple[str, ...] = ()  # for the office: every late unit of this occurrence, in one message
    # the plan the duty belongs to, as its citation needs it (messages/plans.py)
    plan_title: str = ""
    plan_number: str = ""
    plan_issued_on: date | None = None
    plan_issuer: str = ""
    # The finished words, set by the dispatcher's renderer before the send: the text and the choices,
    # rows of (label, the command a tap sends).
    text: str = ""
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()
    # a file to send with the words, as (kind "document" | "photo", the channel's file id): the incoming
    # document of a task just given (/giao), on the channel it was sent on; the words are its caption
    attachment: tuple[str, str] | None = None


# Words a reminder (or a digest): the message with `text` and `buttons` set.
Renderer = Callable[[ReminderMessage], Awaitable[ReminderMessage]]


class Sender(Protocol):
    async def send_reminder(self, message: ReminderMessage) -> str | None:
        """Send one worded reminder (`text`, `buttons`); returns the channel's message id. Raises a
        SendError subclass on failure."""
        ...


class SendError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RetryLater(SendError):
    """The server asked us to slow down (Telegram 429)."""

    pace = True  # the channel's limiter pauses: every message of the channel waits

    def __init__(self, seconds: float) -> None:
        super().__init__(f"rate limited, retry after {seconds:g}s")
        self.seconds = seconds


class QuotaSpent(RetryLater):
    """The channel's messages for the month are spent (Zalo's 429 "Quota exceeded"): the message waits
    `seconds` and is tried again, kept meanwhile; nothing else pauses, as a rate limit's pause would."""

    pace = False

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.reason = f"monthly quota spent, tried again in {seconds:g}s"


class Unreachable(SendError):
    """The person blocked the bot or never opened a chat with it: retrying will not help.

    `code` says why, in words of no channel's (the account keeps it; messages/ words it for the office):
    "blocked", "never_started", "deactivated", "not_found" or "refused". `reason` keeps the channel's
    own text for the logs and the reminder's last error.
    """

    def __init__(self, reason: str, *, code: str = "refused") -> None:
        super().__init__(reason)
        self.code = code


class Transient(SendError):
    """A network error or a server error: try again later."""


class Rejected(SendError):
    """The server refused this message for good (a bad request)."""
