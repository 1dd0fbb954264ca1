"""The composition root: the one place that reads the clock and wires settings, storage and the core."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import instances
from bot.channels import RoutingSender, connect
from bot.core import Core, CoreConfig
from bot.logs import redactor, secrets_of
from bot.settings import Settings, SettingsError
from bot.web import service as web
from messages import formatting
from messages.office import place_of
from scheduler.clock import Clock, SystemClock
from scheduler.dispatcher import Dispatcher
from scheduler.loaded_plan import LoadedPlan
from scheduler.observer import Observer
from scheduler.planner import Planner
from scheduler.ratelimit import Limits, RateLimiter
from scheduler.runner import ReminderService
from scheduler.sending import Sender
from storage import db, office
from storage.plan import load_plan, plans
from storage.plan_file import PlanSpec, read_plan
from storage.store import Store

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    core: Core
    clock: Clock

    def reminders(
        self,
        sender: Sender,
        *,
        limits: Limits | None = None,
        limiter: RateLimiter | None = None,
        limiters: dict[str, RateLimiter] | None = None,
        observer: Observer | None = None,
    ) -> ReminderService:
        """The planner and dispatcher, sending through `sender` (within `limits`, or with `limiter`, or
        with each channel's own of `limiters`), the core wording every message; `observer` is told what
        they did (bot/web/metrics.py)."""
        core = self.core
        planner = Planner(
            sessions=self.sessions,
            calendar=core.calendar,
            tz=core.config.tz,
            office_refs=core.config.admins,
            quotas=core.config.quotas,
            plan=core.plan,
            observer=observer,
        )
        dispatcher = Dispatcher(
            sessions=self.sessions,
            sender=sender,
            render=core.word_reminder,
            clock=self.clock,
            calendar=core.calendar,
            tz=core.config.tz,
            locale=core.config.locale,
            limiter=limiter or RateLimiter(limits or Limits()),
            limiters=limiters,
            observer=observer,
            lease=timedelta(seconds=self.settings.claim_lease_seconds),
            redact=redactor(secrets_of(self.settings)),
        )
        return ReminderService(planner=planner, dispatcher=dispatcher, clock=self.clock)


def core_config(settings: Settings, *, extra_admins: frozenset[str] = frozenset()) -> CoreConfig:
    admins = settings.admin_refs | extra_admins
    return CoreConfig(
        admins=admins,
        tz=settings.tz,
        locale=settings.locale,
        invite_days=settings.invite_days,
        quotas={"zalo": settings.zalo_monthly_quota},
    )


def first_identity(settings: Settings, issued: tuple[str, str] = ("", "")) -> dict[str, str]:
    """The office's identity at the first start: the settings, else what the plan names (`issued`: its
    issuer and where its reports go), else what is the same for every Văn phòng; `/vanphong` changes it
    afterwards."""
    parent = settings.letter_parent or issued[0]
    agency = settings.letter_issuer
    place = settings.letter_place or place_of(parent)
    report_to = settings.letter_report_to or issued[1]
    if not report_to and parent.startswith("UBND "):
        report_to = f"{agency} {parent.removeprefix('UBND ')}"
    return {
        "parent": parent,
        "agency": agency,
        "place": place,
        "number_code": settings.letter_number_code,
        "signer_authority": settings.letter_signer_authority,
        "signer_title": settings.letter_signer_title,
        "signer_name": settings.letter_signer_name,
        "report_to": report_to,
        "filed": settings.letter_filed,
    }


async def _first_start(session: AsyncSession, settings: Settings, spec: PlanSpec | None) -> None:
    """Load the plan file named (if any); seed the identity once; give the office a unit of its own."""
    if spec is not None:
        changes = await load_plan(session, spec)
        log.info(
            "plan %s loaded: %d units added, %d updated; %d duties added, %d updated",
            spec.plan.key,
            len(changes.added_units),
            len(changes.updated_units),
            len(changes.added_duties),
            len(changes.updated_duties),
        )
    else:
        log.info("no plan file named (NHACVIEC_PLAN): the office gives its tasks in chat or by the plan sheet")
    if spec is not None:
        issued = (spec.plan.issuer, spec.plan.report_to)
    else:  # a database a plan file was loaded into before (when one was loaded at every start)
        found = [plan for plan in await plans(session, active_only=True) if plan.source == "file"]
        issued = (found[0].issuer, found[0].report_to) if found else ("", "")
    identity = first_identity(settings, issued)
    await office.seed_office_identity(session, identity)
    await office.ensure_office_unit(session, name=identity["agency"] or "Văn phòng")
    await session.commit()


@asynccontextmanager
async def running(
    settings: Settings, *, clock: Clock | None = None, extra_admins: frozenset[str] = frozenset()
) -> AsyncIterator[App]:
    """Open and migrate the database, load the plan (when one is named), build the core; dispose of it
    all on exit."""
    formatting.use_time_zone(settings.tz)
    spec = read_plan(settings.plan) if settings.plan is not None else None
    async with db.engine_for(settings.database_url, sqlite_fast_path=settings.sqlite_fast_path) as engine:
        sessions = db.session_factory(engine)
        async with db.starting(engine), sessions() as session:  # one instance at a time migrates and loads
            await _first_start(session, settings, spec)
            plan = await LoadedPlan.read(session)
        core = Core(
            stores=Store.factory(sessions),
            clock=clock or SystemClock(),
            config=core_config(settings, extra_admins=extra_admins),
            plan=plan,
        )
        yield App(settings, engine, sessions, core, core.clock)


async def serve(settings: Settings, *, stop: asyncio.Event, clock: Clock | None = None) -> None:
    """`nhacviec run`: every channel whose token is set, and the reminders, until `stop` is set."""
    if settings.telegram_token is None and settings.zalo_token is None:
        raise SettingsError(
            "no channel token is set: set NHACVIEC_TELEGRAM_TOKEN or NHACVIEC_ZALO_TOKEN, or try `nhacviec demo`."
        )
    async with running(settings, clock=clock) as application:
        channels: dict[str, Any] = {}
        limiters = instances.limiters(application.engine)  # one a channel, shared by reminders and answers
        pollers = instances.Pollers(settings, application.engine, channels)  # one instance polls a channel
        ops = await web.start(settings, application, channels=channels, limiters=limiters, stop=stop)
        try:
            await pollers.take()
            await _start_channels(settings, application.core, limiters, channels)
            connect(channels)
            # Everything loaded so far lives as long as the process: keep it out of the collector's full
            # passes, which otherwise stall the event loop for a tenth of a second and bunch up sends.
            gc.freeze()
            sender = ops.metrics.observed(RoutingSender(channels))
            reminders = application.reminders(sender, limiters=limiters, observer=ops.metrics)
            try:
                reminders.start()  # catches up at once, in the background: chats are answered meanwhile
                pollers.start()
                await stop.wait()
            finally:
                # Polling stops (another instance takes over at once) while the sends in flight and the
                # answers on their way get their moments, each wait on the database with a deadline: the
                # process ends within 5 s of a SIGTERM (Docker's stop waits 10 before SIGKILL), even with
                # the database silent (bot/cli/running.py has the last word).
                await asyncio.gather(
                    pollers.stop(), reminders.stop(), *(channel.quiesce() for channel in channels.values())
                )
        finally:
            for channel in channels.values():
                await channel.stop()
            await pollers.stop()  # idle unless the start failed; then it lets go of the locks
            await instances.close(limiters)
            await ops.stop()


async def _start_channels(
    settings: Settings, core: Core, limiters: dict[str, RateLimiter], channels: dict[str, Any]
) -> None:
    """Start each channel whose token is set, adding it to `channels` as it comes up (so a failure
    later stops the ones already started)."""
    if settings.telegram_token is not None:
        from bot.channels import telegram_webhook  # only this path needs python-telegram-bot
        from bot.channels.telegram import TelegramChannel

        telegram = TelegramChannel(
            core,
            token=settings.telegram_token.get_secret_value(),
            base_url=settings.telegram_base_url,
            limiter=limiters["telegram"],
        )
        await telegram.start(polling=False, webhook=telegram_webhook.from_settings(settings))
        channels["telegram"] = telegram
        log.info("Telegram bot @%s is running", telegram.application.bot.username)
    if settings.zalo_token is not None:
        from bot.channels.zalo import ZaloChannel
        from bot.channels.zalo_webhook import from_settings

        zalo = ZaloChannel(
            core,
            token=settings.zalo_token.get_secret_value(),
            api_url=str(settings.zalo_api_url),
            limiter=limiters["zalo"],
        )
        webhook = from_settings(settings)
        await zalo.start(webhook=webhook, polling=False)
        channels["zalo"] = zalo
        log.info("Zalo bot is running (%s)", "webhook" if webhook else "long polling")
