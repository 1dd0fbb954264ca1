"""The `nhacviec` command."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import typer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import running, serve
from bot.channels import ChannelStartError
from bot.channels.console import ADMIN_ID, ConsoleChat
from bot.channels.console import CHANNEL as CONSOLE
from bot.logs import configure_logging, redact
from bot.settings import Settings, SettingsError, load_settings
from scheduler.calendar import DeadlineRule, WorkCalendar, occurrences
from scheduler.clock import Clock, FakeClock
from scheduler.ratelimit import Limits
from storage import db, people
from storage.plan import PlanChanges, PlanError, PlanSpec, load_plan, plan_revision, read_plan

app = typer.Typer(help="Nhắc việc: reporting-deadline reminders for the Văn phòng HĐND và UBND.", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
admin_app = typer.Typer(help="Office administrators.", no_args_is_help=True)
units_app = typer.Typer(help="Units of the plan.", no_args_is_help=True)
plan_app = typer.Typer(help="The plan file.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")
app.add_typer(units_app, name="units")
app.add_typer(plan_app, name="plan")

log = logging.getLogger("nhacviec")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"nhacviec: {redact(message)}", err=True)
    return typer.Exit(code=2)


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine, ending known failures with one sentence instead of a traceback."""
    try:
        asyncio.run(coroutine)
    except (SettingsError, db.DatabaseError, PlanError) as exc:
        raise _fail(str(exc)) from None
    except ChannelStartError as exc:
        raise _fail(str(exc)) from None


def _opened(settings: Settings) -> AbstractAsyncContextManager[AsyncEngine]:
    return db.opened(settings.database_url, sqlite_fast_path=settings.sqlite_fast_path)


def _settings(**overrides: Any) -> Settings:
    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        raise _fail(str(exc)) from None


@app.command()
def run(verbose: bool = typer.Option(False, "--verbose", "-v")) -> None:
    """Start every channel whose token is set."""
    settings = _settings()
    tokens = [token.get_secret_value() for token in (settings.telegram_token, settings.zalo_token) if token]
    if not tokens:
        raise _fail(
            "no channel token is set: set NHACVIEC_TELEGRAM_TOKEN or NHACVIEC_ZALO_TOKEN, or try `nhacviec demo`."
        )
    configure_logging(verbose=verbose, secrets=tokens)
    _run(_serve(settings))


async def _serve(settings: Settings, *, clock: Clock | None = None) -> None:
    """`serve` until SIGINT or SIGTERM (the clock is the system's but for a test's process)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await serve(settings, stop=stop, clock=clock)


@app.command()
def start(verbose: bool = typer.Option(False, "--verbose", "-v")) -> None:
    """Run the channels whose tokens are set, or the terminal demo when none is."""
    settings = _settings()
    if settings.telegram_token is None and settings.zalo_token is None:
        typer.echo("nhacviec: no channel token is set, so here is the terminal demo.", err=True)
        demo(at=None, database=None)
    else:
        run(verbose=verbose)


@app.command()
def demo(
    at: str | None = typer.Option(None, "--at", help="Start the demo's clock here, e.g. 2025-01-02T08:00+07:00."),
    database: str | None = typer.Option(
        None, "--database", help="Keep the demo's data in this URL (default: temporary)."
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
            raise _fail(f"--at wants a date and time such as 2025-01-02T08:00+07:00, not {at!r}") from None
        start = start if start.tzinfo else start.replace(tzinfo=_settings().tz)
    else:
        start = _demo_start(start, _settings())
    clock = FakeClock(start.astimezone(UTC))  # the demo's time moves with /time
    with tempfile.TemporaryDirectory(prefix="nhacviec-demo-") as folder:
        url = database or f"sqlite:///{Path(folder) / 'demo.db'}"
        settings = _settings(database_url=url)
        try:
            _run(_demo(settings, clock))
        except KeyboardInterrupt:  # Ctrl-C: the shell's prompt on a line of its own, and its status for it
            typer.echo("")
            raise typer.Exit(130) from None


def _demo_start(now: datetime, settings: Settings) -> datetime:
    """Now, unless the plan asks nothing more from today on: then a week before its first deadline, so
    that the demo shows reminders coming and not an empty calendar (the shipped plan is 2025's)."""
    try:
        spec = read_plan(settings.plan)
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


async def _demo(settings: Settings, clock: FakeClock) -> None:
    async with running(settings, clock=clock, extra_admins=frozenset({f"{CONSOLE}:{ADMIN_ID}"})) as application:
        chat = ConsoleChat(application.core, clock=clock)
        chat.reminders = application.reminders(chat, limits=Limits.off())
        await chat.run(sys.stdin)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations."""
    settings = _settings()

    async def upgrade() -> None:
        async with _opened(settings):
            pass

    _run(upgrade())
    typer.echo("database is up to date")


@admin_app.command("add")
def admin_add(telegram_id: int) -> None:
    """Make a Telegram user an office administrator."""
    settings = _settings()

    async def add() -> None:
        async with (
            _opened(settings) as engine,
            db.session_factory(engine)() as session,
        ):
            added = await people.add_admin(session, channel="telegram", user_id=str(telegram_id), now=datetime.now(UTC))
        typer.echo(f"{telegram_id} is now an administrator" if added else f"{telegram_id} already was an administrator")

    _run(add())


@units_app.command("list")
def units_list() -> None:
    """The plan's units, with validity and successors."""
    settings = _settings()
    try:
        spec = read_plan(settings.plan)
    except PlanError as exc:
        raise _fail(str(exc)) from None
    for unit in spec.units:
        period = f"{unit.valid_from or ''}..{unit.valid_to or ''}" if unit.valid_from or unit.valid_to else ""
        successors = f"-> {', '.join(unit.successors)}" if unit.successors else ""
        typer.echo(f"{unit.key:24} {unit.code or '':6} {unit.name:36} {period:24} {successors}".rstrip())


@plan_app.command("load")
def plan_load(path: Path = typer.Argument(..., help="The plan file (TOML).", show_default=False)) -> None:
    """Load a plan file into the database; a running bot follows it within a minute."""
    settings = _settings()
    try:
        spec = read_plan(path)  # a bad file is refused before the database is touched
    except PlanError as exc:
        raise _fail(str(exc)) from None
    loaded: list[tuple[PlanChanges, int]] = []
    _run(_plan_load(settings, spec, loaded))
    changes, revision = loaded[0]
    typer.echo(describe_changes(spec.plan.key, path, changes, revision))
    if path.resolve() != settings.plan.resolve():
        typer.echo(f"note: a restart loads NHACVIEC_PLAN ({settings.plan}); point it at {path} to keep this plan.")


async def _plan_load(settings: Settings, spec: PlanSpec, loaded: list[tuple[PlanChanges, int]]) -> None:
    async with (
        db.engine_for(settings.database_url, sqlite_fast_path=settings.sqlite_fast_path) as engine,
        db.starting(engine),  # one load at a time, and none while an instance starts
        db.session_factory(engine)() as session,
    ):
        try:
            changes = await load_plan(session, spec)
        except SQLAlchemyError as exc:  # nothing was written
            raise db.DatabaseError(f"cannot load the plan, nothing was changed: {exc.__class__.__name__}") from exc
        loaded.append((changes, await plan_revision(session)))


def describe_changes(key: str, path: Path, changes: PlanChanges, revision: int) -> str:
    """What a load changed, one line per kind of change, for the operator."""
    if not changes.changed:
        return f"plan {key} from {path}: nothing changed (revision {revision})"
    lines = [f"plan {key} from {path} loaded (revision {revision}); the running bot follows it within a minute:"]
    for label, items in (
        ("units added", changes.added_units),
        ("units updated", changes.updated_units),
        ("units no longer in the plan", changes.retired_units),
        ("duties added", changes.added_duties),
        ("duties updated", changes.updated_duties),
        ("duties no longer in the plan", changes.retired_duties),
        ("groups changed", changes.changed_groups),
        ("calendar days added", changes.added_days),
        ("calendar days changed", changes.updated_days),
        ("calendar days removed", changes.removed_days),
    ):
        if items:
            lines.append(f"  {label}: {', '.join(str(item) for item in items)}")
    return "\n".join(lines)


@app.command()
def report(
    output: Path = typer.Option(Path("report.txt"), "-o", "--output", help="Where to write the report."),
    fmt: str = typer.Option("text", "--format", help="xlsx, docx or text."),
    duty: str | None = typer.Option(None, "--duty", help="One duty, by its key in the plan file."),
    at: str | None = typer.Option(None, "--at", help="The report's day (YYYY-MM-DD); today by default."),
) -> None:
    """The office's report for its PC: an Excel workbook, a Word follow-up letter, or plain text."""
    if fmt not in ("xlsx", "docx", "text"):
        raise _fail(f"--format wants xlsx, docx or text, not {fmt!r}")
    settings = _settings()
    try:
        day = date.fromisoformat(at) if at else datetime.now(settings.tz).date()
    except ValueError:
        raise _fail(f"--at wants a date such as 2025-01-13, not {at!r}") from None
    content: list[bytes] = []
    _run(_report(settings, content, fmt, duty, day))
    output.write_bytes(content[0])
    typer.echo(f"wrote {output}")


async def _report(settings: Settings, content: list[bytes], fmt: str, duty: str | None, day: date) -> None:
    from bot.core.exports import reply_by, views_at
    from messages import exports

    noon = datetime.combine(day, time(12, 0), tzinfo=settings.tz)
    async with running(settings, clock=FakeClock(noon.astimezone(UTC))) as application:
        core = application.core
        async with application.sessions() as session:
            views = await views_at(
                session,
                cal=core.calendar,
                tz=core.config.tz,
                cache=core.cache,
                today=day,
                duty=duty,
                locale=settings.locale,
            )
    if fmt == "xlsx":
        content.append(exports.workbook(views, at=noon, letterhead=core.config.letterhead, locale=settings.locale))
    elif fmt == "docx":
        by = reply_by(core.calendar, day)
        content.append(exports.follow_up_letter(views, today=day, reply_by=by, letterhead=core.config.letterhead))
    else:
        content.append((exports.text_report(views, settings.locale) + "\n").encode("utf-8"))


@app.command("parse-status")
def parse_status_command(
    text: str,
    today: str | None = typer.Option(None, "--today", help="Read dates as of this day (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """How the bot reads a reply: status, percent, expected date, note."""
    from messages.parser import parse_status

    try:
        day = date.fromisoformat(today) if today else datetime.now(_settings().tz).date()
    except ValueError:
        raise _fail(f"--today wants a date such as 2025-01-06, not {today!r}") from None
    reading = parse_status(text, today=day)
    data = reading.as_json()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    for key, value in data.items():
        typer.echo(f"{key}: {'' if value is None else value}")


def main() -> None:
    # python-telegram-bot 22 warns unless told to give durations (retry_after) as timedelta.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    app()
