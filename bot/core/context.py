"""What every command handler is given: the actor, the store (one unit of work), the time, and the core's settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.cache import CoreCache
from bot.core.types import Actor, Capabilities
from messages.people import Upcoming
from messages.text import in_language
from scheduler.calendar import DeadlineRule, Occurrence, WorkCalendar, next_occurrence
from scheduler.occurrences import rule_in_force
from storage.identity import LatestUpdates
from storage.models import Unit
from storage.store import Store


@dataclass
class CoreConfig:
    admins: frozenset[str]  # "telegram:<user id>" and the like, from NHACVIEC_ADMINS
    tz: ZoneInfo
    locale: str = "vi"
    invite_days: int = 7
    max_text: int = 4096
    # Makes the link that opens the bot with an invitation code; set by the channel that has such links
    # (the Telegram channel, once getMe told it the bot's username). None: the code alone is given.
    invite_link: Callable[[str], str] | None = None
    quotas: dict[str, int] = field(default_factory=dict)  # messages a month, per channel that has a quota
    # A file a person sent, by its channel's file id, for the channels that can download one (Telegram's
    # getFile): set by the channel at start. A channel without one (Zalo sends no documents) has none.
    fetch_file: dict[str, Callable[[str], Awaitable[bytes]]] = field(default_factory=dict)
    web_url: str | None = None  # the web page's public address (bot/web), once it listens; None: no page
    # What each channel carries, said by the channel as it is made; absent: everything (a file too)
    capabilities: dict[str, Capabilities] = field(default_factory=dict)


@dataclass
class Context:
    actor: Actor
    store: Store
    now: datetime
    config: CoreConfig
    calendar: WorkCalendar
    cache: CoreCache = field(default_factory=CoreCache)
    latest: LatestUpdates | None = None  # read with the actor when the message may be a status update

    @property
    def today(self) -> date:
        return self.now.astimezone(self.config.tz).date()

    @property
    def locale(self) -> str:
        return self.actor.locale

    async def audit(self, action: str, **detail: Any) -> None:
        """An audit entry of this message: who wrote it and when are the context's."""
        await self.store.audit(at=self.now, actor=self.actor.ref, action=action, **detail)

    def invite_link(self, code: str) -> str | None:
        make = self.config.invite_link
        return make(code) if make else None

    def invite_expiry(self, days: int | None = None) -> datetime:
        return self.now + timedelta(days=days or self.config.invite_days)

    async def upcoming(self, unit: Unit) -> list[Upcoming]:
        """Each duty of the unit with its next deadline on which the unit is valid."""
        assert unit.id is not None
        result = []
        windows = await self.store.plan_windows()
        for duty in await self.store.duties_for_unit(unit_id=unit.id):
            rule = rule_in_force(duty, windows)
            occurrence = next_for_unit(duty.key, rule, self.calendar, unit, today=self.today)
            if occurrence is None:
                continue
            title = in_language(duty.title, duty.title_en, self.locale)
            result.append(
                Upcoming(title, occurrence.nominal, occurrence.aim_day, occurrence.legal_last_day, occurrence.inclusive)
            )
        return sorted(result, key=lambda item: item.aim_day)


def next_for_unit(
    duty_key: str, rule: DeadlineRule, cal: WorkCalendar, unit: Unit, *, today: date
) -> Occurrence | None:
    """The duty's next occurrence from today on whose named day the unit is valid (it may start later)."""
    day = today
    while (found := next_occurrence(duty_key, rule, cal, today=day)) is not None:
        if unit.valid_on(found.nominal):
            return found
        if unit.valid_to is not None and found.nominal > unit.valid_to:
            return None
        day = found.legal_last_day + timedelta(days=1)
        if unit.valid_from is not None:  # a legal last day is never before the day before the named day
            day = max(day, unit.valid_from - timedelta(days=1))
    return None
