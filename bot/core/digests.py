"""The office's digests, worded when they are sent so that they say what is true at that moment."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta

from bot.core import on_time_record
from bot.core.cache import CoreCache
from bot.core.context import CoreConfig
from bot.core.endings import ended_reply, week_lines
from bot.core.summaries import late_lines, occurrence_views, open_reports, sent_late_record
from bot.core.targets import OPEN_BEFORE
from bot.core.types import Reply
from bot.core.vanphong import ended_notice
from messages import on_time as on_time_words
from messages import quota as quota_words
from messages import summary as words
from messages.period_words import month_of
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
            tz=tz,
            locale=message.locale,
            details=False,
        )

    step = message.step
    if step.kind == "ended":
        assert step.monday is not None, step
        return await ended_reply(store, first=step.monday, today=today, tz=tz, locale=message.locale)
    if step.kind in ("quota", "over"):
        return await _quota_warning(store, message, config)
    reader = await _reader(store, message, config)
    if step.kind in ("lastday", "legalday"):
        day = message.legal_last_day
        planned = await cache.planned(store, cal, tz, day, day, today=today)
        planned = _followed([item for item in planned if item.occurrence.nominal == message.nominal], reader)
        views = await views_of(planned)
        await store.load_latest([line.report for view in views for line in words.listed(view)])
        return Reply(words.last_day_digest(views, message.locale, legal=step.kind == "legalday"))
    return await _week(store, message, views_of, reader=reader, today=today, cal=cal, cache=cache, config=config)


async def _week(
    store: Store,
    message: ReminderMessage,
    views_of: Callable[[list[PlannedOccurrence]], Awaitable[list[OccurrenceView]]],
    *,
    reader: int | None,
    today: date,
    cal: WorkCalendar,
    cache: CoreCache,
    config: CoreConfig,
) -> Reply:
    """Monday's digest, for the week it was planned for."""
    tz, step = config.tz, message.step
    # the week the digest was planned for ("week-20250106"), even if it goes out late
    assert step.monday is not None, step
    monday = step.monday
    sunday = monday + timedelta(days=6)
    # a deadline whose day to aim for is this week may have its legal last day weeks later (after Tết)
    planned = await open_reports(store, cache, cal, tz, today=today, end=sunday + OPEN_BEFORE)
    planned = _followed(planned, reader)
    reply = await _weekly(store, await views_of(planned), monday, sunday, message.locale)
    return await _around_the_week(
        store, reply, monday=monday, today=today, cal=cal, cache=cache, config=config, locale=message.locale
    )


async def _around_the_week(
    store: Store,
    reply: Reply,
    *,
    monday: date,
    today: date,
    cal: WorkCalendar,
    cache: CoreCache,
    config: CoreConfig,
    locale: str,
) -> Reply:
    """Monday's digest with what ended last week, the ended body's notice, and (the month's first) the
    month before's on-time line."""
    text = reply.text
    ended = await week_lines(store, monday=monday, tz=config.tz, locale=locale)
    if ended:
        text = f"{text}\n\n{ended}"
    notice = await ended_notice(store, today=today, locale=locale)  # once a week, until it is changed
    if notice:
        text = f"{notice}\n\n{text}"
    if monday.day <= 7:
        month = monday - timedelta(days=7)
        line = await _month_line(store, cal=cal, cache=cache, config=config, month=month, today=today, locale=locale)
        if line:
            text = f"{text}\n\n{line}"
    return Reply(text, reply.buttons)


async def _month_line(
    store: Store, *, cal: WorkCalendar, cache: CoreCache, config: CoreConfig, month: date, today: date, locale: str
) -> str:
    """The month's first digest: the month before's on-time rate and its three lowest units."""
    period = month_of(month)
    rated, _reports = await on_time_record.record(
        store, cal=cal, cache=cache, tz=config.tz, period=period, today=today, locale=locale
    )
    return on_time_words.digest_line(period, rated, locale)


def _followed(planned: list[PlannedOccurrence], reader: int | None) -> list[PlannedOccurrence]:
    """A duty someone follows is in their digest only (issue 25)."""
    return [item for item in planned if item.duty.follower_id in (None, reader)]


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
    text = words.weekly_digest(monday, sunday, this_week, late, locale, extended=extended)
    record = sent_late_record(views, locale)
    return Reply(f"{text}\n\n{record}" if record else text)


async def _quota_warning(store: Store, message: ReminderMessage, config: CoreConfig) -> Reply:
    """The office is told a channel has used most of its monthly quota."""
    channel, month = message.step.channel, message.step.month
    sent = await store.sent_in_month(channel=channel, month=month)
    quota = config.quotas.get(channel, 0)
    if message.step.kind == "over":  # spent, or the reminders waiting would pass it: how many would not go
        waiting = await store.waiting_on(channel=channel)
        return Reply(
            quota_words.quota_over(channel, month, sent, quota, max(sent + waiting - quota, 0), message.locale)
        )
    return Reply(quota_words.quota_warning(channel, month, sent, quota, message.locale))


async def _reader(store: Store, message: ReminderMessage, config: CoreConfig) -> int | None:
    """The office member a digest is for (the person of its account), when it is one."""
    for account in await store.office_accounts(admins=config.admins):
        if account.channel == message.channel and account.chat_id == message.chat_id:
            return account.person_id
    return None
