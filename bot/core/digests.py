"""The office's digests, worded when they are sent so that they say what is true at that moment."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.core.cache import CoreCache
from bot.core.context import CoreConfig
from bot.core.summaries import late_lines, occurrence_views, open_reports
from bot.core.targets import OPEN_BEFORE
from bot.core.types import Reply
from messages import summary as words
from messages.summary import OccurrenceView
from scheduler.calendar import WorkCalendar
from scheduler.occurrences import PlannedOccurrence
from scheduler.sending import ReminderMessage
from storage.store import Store


async def digest_reply(
    store: Store,
    message: ReminderMessage,
    *,
    now: datetime,
    config: CoreConfig,
    calendar: WorkCalendar,
    cache: CoreCache,
) -> Reply:
    tz, cal = config.tz, calendar
    today = now.astimezone(tz).date()

    async def views_of(planned: list[PlannedOccurrence]) -> list[OccurrenceView]:
        """Every unit's status; the details are loaded for the lines a digest names."""
        return await occurrence_views(
            store,
            cal=cal,
            cache=cache,
            planned=planned,
            units=None,
            today=today,
            locale=message.locale,
            details=False,
        )

    step = message.step
    if step.kind == "quota":
        return await _quota_warning(store, message, config)
    if step.kind in ("lastday", "legalday"):
        day = message.legal_last_day
        planned = await cache.planned(store, cal, tz, day, day, today=today)
        planned = [item for item in planned if item.occurrence.nominal == message.nominal]
        views = await views_of(planned)
        await store.load_latest([line.report for view in views for line in words.listed(view)])
        return Reply(words.last_day_digest(views, message.locale, legal=step.kind == "legalday"))
    # the week the digest was planned for ("week-20250106"), even if it goes out late
    assert step.monday is not None, step
    monday = step.monday
    sunday = monday + timedelta(days=6)
    # a deadline whose day to aim for is this week may have its legal last day weeks later (after Tết)
    planned = await open_reports(store, cache, cal, tz, today=today, end=sunday + OPEN_BEFORE)
    return await _weekly(store, await views_of(planned), monday, sunday, message.locale)


async def _weekly(store: Store, views: list[OccurrenceView], monday: date, sunday: date, locale: str) -> Reply:
    """Monday's digest: the week's deadlines, the late units, and extensions that end this week."""
    this_week = [view for view in views if monday <= view.aim_day <= sunday or monday <= view.legal_last_day <= sunday]
    extended = [
        (view, line)
        for view in views
        for line in view.lines
        if line.group != "done" and line.report.granted_until and monday <= line.report.granted_until <= sunday
    ]
    late = late_lines(views)
    await store.load_details([line.report for _view, line in words.overdue_listed(late)])
    return Reply(words.weekly_digest(monday, sunday, this_week, late, locale, extended=extended))


async def _quota_warning(store: Store, message: ReminderMessage, config: CoreConfig) -> Reply:
    """The office is told a channel has used most of its monthly quota."""
    channel, month = message.step.channel, message.step.month
    sent = await store.sent_in_month(channel=channel, month=month)
    return Reply(words.quota_warning(channel, month, sent, config.quotas.get(channel, 0), message.locale))
