"""The office's digests, planned like reminders: every Monday at 08:00, and at 16:00 on a deadline's
day to aim for ("lastday") and, when it is later, on its legal last day ("legalday"); and at 08:00 on
the first day without a unit or plan that ended ("ended"): what ended, what closed, what to decide.

A digest is an outbox row like any reminder (filed under the Văn phòng's own unit), so it goes out
once, after downtime too, and never at night or on a day off.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from scheduler.calendar import WorkCalendar
from scheduler.ladder import allowed_moment
from scheduler.occurrences import PlannedOccurrence, occurrence_row, occurrences_between
from scheduler.steps import StepKey
from storage import channel_traffic, endings, office, outbox

WEEKLY_AT = time(8, 0)
LAST_DAY_AT = time(16, 0)
GRACE = timedelta(hours=12)  # a digest missed by longer than this is stale: skip it
ENDED_LOOKBACK = timedelta(days=800)  # how far back a deadline to file the ended body's notice under is sought
ENDED_LOOKED_BACK = 10  # days: a unit that ended before a long holiday is told of on the morning after it
QUOTA_WARNING = 0.9  # warn the office when a channel has used this share of its monthly quota
# A digest to write: the occurrence it is filed under, its step, and when it is due.
_Wanted = tuple[PlannedOccurrence, StepKey, datetime]


def weekly_due(today: date, cal: WorkCalendar, tz: ZoneInfo) -> tuple[StepKey, datetime]:
    monday = today - timedelta(days=today.weekday())
    due = allowed_moment(datetime.combine(monday, WEEKLY_AT, tzinfo=tz), cal, tz)
    return StepKey.week(monday), due


def last_day_due(day: date, cal: WorkCalendar, tz: ZoneInfo) -> datetime:
    return allowed_moment(datetime.combine(day, LAST_DAY_AT, tzinfo=tz), cal, tz)


async def plan_digests(
    session: AsyncSession,
    planned: Sequence[PlannedOccurrence],
    *,
    now: datetime,
    cal: WorkCalendar,
    tz: ZoneInfo,
    admins: frozenset[str],
    quotas: dict[str, int] | None = None,
) -> int:
    """Write the digests due now to the outbox (each once per office account)."""
    office_unit = await outbox.office_unit_id(session)
    if office_unit is None:
        return 0
    today = now.astimezone(tz).date()
    open_items = [
        item for item in planned if item.units and item.occurrence.legal_last_day >= today - timedelta(days=20)
    ]
    wanted = _weekly(open_items or await _ended_body(session, today, now, cal, tz), today, now, cal, tz)
    wanted += await _quota_warnings(session, planned, open_items, now, tz, quotas or {})
    wanted += _last_days(planned, today, now, cal, tz)
    if planned:
        wanted += [((open_items or list(planned))[0], step, due) for step, due in await _endings(session, now, cal, tz)]
    if not wanted:
        return 0
    accounts = await outbox.office_accounts(session, admins=admins)
    rows: list[dict[str, Any]] = []
    for item, step, due in wanted:
        occurrence_id = (await occurrence_row(session, item)).id
        rows += [
            {
                "occurrence_id": occurrence_id,
                "unit_id": office_unit,
                "account_id": account.id,
                "step": step,
                "audience": "digest",
                "due_at": due,
                "next_attempt_at": due,
                "created_at": now,
            }
            for account in accounts
        ]
    added = await outbox.add_reminders(session, rows)
    await session.commit()
    return added


async def _ended_body(
    session: AsyncSession, today: date, now: datetime, cal: WorkCalendar, tz: ZoneInfo
) -> list[PlannedOccurrence]:
    """An office whose identity names a body that ended is told so each Monday, with or without news:
    its digest is filed under the latest deadline there was (none: it cannot be filed)."""
    _step, due = weekly_due(today, cal, tz)
    if not due <= now < due + GRACE or not await office.names_an_ended_body(session, today=today):
        return []
    past = await occurrences_between(session, cal, tz, today - ENDED_LOOKBACK, today)
    return past[-1:]


def _weekly(
    open_items: Sequence[PlannedOccurrence], today: date, now: datetime, cal: WorkCalendar, tz: ZoneInfo
) -> list[_Wanted]:
    """This week's digest while it is due, filed under the nearest occurrence; the text covers the week."""
    step, due = weekly_due(today, cal, tz)
    if due <= now < due + GRACE and open_items:
        return [(open_items[0], step, due)]
    return []


async def _quota_warnings(
    session: AsyncSession,
    planned: Sequence[PlannedOccurrence],
    open_items: Sequence[PlannedOccurrence],
    now: datetime,
    tz: ZoneInfo,
    quotas: dict[str, int],
) -> list[_Wanted]:
    """A warning for each channel near its monthly quota, and one when the messages waiting would pass
    it (or the channel said it is spent), each once a month per channel (the step is the key)."""
    month = now.astimezone(tz).strftime("%Y-%m")
    wanted: list[_Wanted] = []
    if not planned:
        return wanted
    nearest = open_items[0] if open_items else planned[0]  # filed under the nearest occurrence
    for channel, quota in quotas.items():
        sent = await channel_traffic.sent_in_month(session, channel=channel, month=month)
        if sent >= quota * QUOTA_WARNING:
            wanted.append((nearest, StepKey.quota(channel, month), now))
        if sent + await channel_traffic.waiting_on(session, channel=channel) > quota:
            wanted.append((nearest, StepKey.over_quota(channel, month), now))
    return wanted


async def _endings(
    session: AsyncSession, now: datetime, cal: WorkCalendar, tz: ZoneInfo
) -> list[tuple[StepKey, datetime]]:
    """The office is told, on the first working morning without them, which units and plans ended and
    what closed with them, and asked about the officials of a unit that ended (filed anywhere)."""
    today = now.astimezone(tz).date()
    for back in range(ENDED_LOOKED_BACK):
        first = today - timedelta(days=back)
        due = allowed_moment(datetime.combine(first, WEEKLY_AT, tzinfo=tz), cal, tz)
        if due <= now < due + GRACE and await endings.anything_ended_on(session, day=first - timedelta(days=1)):
            return [(StepKey.ended(first), due)]
    return []


def _last_days(
    planned: Sequence[PlannedOccurrence], today: date, now: datetime, cal: WorkCalendar, tz: ZoneInfo
) -> list[_Wanted]:
    """The 16:00 digests of the deadlines whose day to aim for, or legal last day, is today."""
    wanted: list[_Wanted] = []
    for item in planned:
        found = item.occurrence
        if not item.units:
            continue
        for day, step in (
            (found.aim_day, StepKey.last_day(legal=False)),
            (found.legal_last_day, StepKey.last_day(legal=True)),
        ):
            if day == today and (step.kind == "lastday" or found.legal_last_day != found.aim_day):
                due = last_day_due(today, cal, tz)
                if due <= now < due + GRACE:
                    wanted.append((item, step, due))
    return wanted
