"""`nhacviec demo`: the bot in this terminal on a clock of its own, with no token and no network."""

from __future__ import annotations

import logging
import sys
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import typer

from bot.app import App, running
from bot.channels.console import ADMIN_ID, ConsoleChat
from bot.channels.console import CHANNEL as CONSOLE
from bot.cli.support import fail, get_settings, run_async
from bot.core.types import Capabilities
from bot.logs import configure_logging
from bot.settings import SHIPPED_PLAN, Settings, SettingsError
from bot.web.server import WebServer
from bot.web.site import start_page
from messages import demo as demo_words
from scheduler.calendar import DeadlineRule, WorkCalendar, occurrences
from scheduler.clock import FakeClock
from scheduler.ratelimit import Limits
from storage.plan_file import PlanError, PlanSpec, read_plan


def demo(
    at: str | None = typer.Option(None, "--at", help="Start the demo's clock here, e.g. 2025-01-02T08:00+07:00."),
    database: str | None = typer.Option(
        None, "--database", help="Keep the demo's data in this URL (default: temporary)."
    ),
    zalo: bool = typer.Option(
        False, "--zalo", help="Show every answer as Zalo gets it: numbered choices, links instead of files."
    ),
) -> None:
    """The bot in this terminal, with no token and no network."""
    configure_logging()
    logging.getLogger().setLevel(logging.WARNING)
    start = datetime.now(UTC)
    if at:
        try:
            start = datetime.fromisoformat(at)
        except ValueError:
            raise fail(f"--at wants a date and time such as 2025-01-02T08:00+07:00, not {at!r}") from None
        start = start if start.tzinfo else start.replace(tzinfo=get_settings().tz)
    else:
        start = _demo_start(start, demo_settings())
    clock = FakeClock(start.astimezone(UTC))  # the demo's time moves with /time
    with tempfile.TemporaryDirectory(prefix="nhacviec-demo-") as folder:
        url = database or f"sqlite:///{Path(folder) / 'demo.db'}"
        settings = demo_settings(database_url=url)
        try:
            run_async(_demo(settings, clock, zalo=zalo))
        except KeyboardInterrupt:  # Ctrl-C: the shell's prompt on a line of its own, and its status for it
            typer.echo("")
            raise typer.Exit(130) from None


def demo_settings(**overrides: object) -> Settings:
    """The settings, with the shipped 2025 plan as the demo's example unless NHACVIEC_PLAN names one."""
    settings = get_settings(**overrides)
    return settings if settings.plan is not None else settings.model_copy(update={"plan": SHIPPED_PLAN})


def _demo_start(now: datetime, settings: Settings) -> datetime:
    """Now, unless the plan asks nothing more from today on: then a week before its first deadline, so
    that the demo shows reminders coming and not an empty calendar (the shipped plan is 2025's)."""
    try:
        spec = read_plan(settings.plan or SHIPPED_PLAN)
    except PlanError:
        return now  # the demo itself says what is wrong with the file
    today = now.astimezone(settings.tz).date()
    found = first_deadlines(spec, settings.tz)
    if not found or any(legal >= today for legal in found):
        return now
    first = min(found)
    start = datetime.combine(first - timedelta(days=7), time(7, 0), tzinfo=settings.tz)
    typer.echo(
        f"nhacviec: the plan asks nothing after today; the demo's clock starts at {start:%Y-%m-%d %H:%M}, "
        "a week before its first deadline (--at chooses another moment).",
        err=True,
    )
    return start


def first_deadlines(spec: PlanSpec, tz: ZoneInfo) -> list[date]:
    """The legal last day of every deadline of the plan file's duties (unbounded ones: the next 3 years)."""
    cal = WorkCalendar({day.date: day.off for day in spec.calendar})
    today = datetime.now(tz).date()
    found = []
    for duty in spec.duties:
        rule = DeadlineRule.from_dict(duty.deadline.as_rule())
        start = rule.start or date(2000, 1, 1)
        end = today + timedelta(days=3 * 366)
        found += [o.legal_last_day for o in occurrences(duty.key, rule, cal, start=start, end=end)]
    return found


async def _demo(settings: Settings, clock: FakeClock, *, zalo: bool = False) -> None:
    async with running(settings, clock=clock, extra_admins=frozenset({f"{CONSOLE}:{ADMIN_ID}"})) as application:
        carries: Capabilities | None = None
        if zalo:  # what Zalo carries, as the Zalo channel says it (no request is made)
            from bot.channels.zalo import CAPABILITIES

            carries = CAPABILITIES
        chat = ConsoleChat(application.core, clock=clock, carries=carries)
        chat.reminders = application.reminders(chat, limits=Limits.off())
        page = await _page(settings, application)  # the office's page too: /web gives its link
        try:
            await chat.run(sys.stdin)
        finally:
            if page is not None:
                await page.stop()


async def _page(settings: Settings, application: App) -> WebServer | None:
    """The office's page, so a newcomer sees it with no token. Its port taken (another demo's, another
    program's): said in the reader's words, and a free port taken; no page at all: the chat still works."""
    locale = settings.locale
    try:
        page = await start_page(settings, application.core)
    except SettingsError:
        typer.echo(demo_words.port_taken(settings.web_port, locale), err=True)
        try:
            page = await start_page(settings.model_copy(update={"web_port": 0}), application.core)
        except SettingsError:
            typer.echo(demo_words.no_web_page(settings.web_host, locale), err=True)
            return None
    typer.echo(demo_words.web_page(str(application.core.config.web_url), locale))
    return page
