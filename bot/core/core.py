"""The channel-agnostic core: every message from every channel comes through `Core.handle`."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.core import evidence, file_links, giao, invitations, plan_import, updates
from bot.core.cache import CoreCache
from bot.core.codes import normalize
from bot.core.commands import COMMANDS, split_command
from bot.core.context import Context, CoreConfig
from bot.core.digests import digest_reply
from bot.core.names import match_units
from bot.core.plan_import import is_sheet
from bot.core.reminders import reminder_reply
from bot.core.targets import my_units
from bot.core.types import Actor, Attachment, Incoming, Outcome, Reply
from messages import common
from messages.text import printable, visible
from scheduler.calendar import WorkCalendar
from scheduler.clock import Clock
from scheduler.loaded_plan import LoadedPlan
from scheduler.sending import ReminderMessage
from scheduler.steps import StepKey
from storage.identity import Identity
from storage.models import DutyDocument, Unit
from storage.store import Store, StoreFactory

log = logging.getLogger(__name__)


class Core:
    # Told after each message with its channel and the seconds the core took (bot/web/metrics.py counts them).
    on_handled: Callable[[str, float], None] | None = None

    def __init__(
        self,
        *,
        stores: StoreFactory,
        clock: Clock,
        config: CoreConfig,
        plan: LoadedPlan,
    ) -> None:
        self.stores = stores  # each message is one unit of work on a store of its own
        self.clock = clock
        self.config = config
        self.plan = plan
        self.calendar: WorkCalendar = plan.calendar  # one object: a newer plan's corrections replace its own
        self.cache = CoreCache()
        self.cache.follow(plan.revision)
        self._warming = asyncio.Lock()  # one task fills the day's cache while the others wait: see _open_occurrences

    async def handle(self, incoming: Incoming) -> Outcome:
        """Answer one message; never raises, so no failure reaches a person as silence."""
        began = time.perf_counter()
        outcome = await self._handle(incoming)
        if self.on_handled is not None:
            self.on_handled(incoming.channel, time.perf_counter() - began)
        return outcome

    async def _handle(self, incoming: Incoming) -> Outcome:
        locale = self.config.locale
        try:
            incoming = _printable(incoming)
            now = self.clock.now()
            await self.follow_plan(now)
            async with self.stores() as store:  # one unit of work: all of it, or none
                found = await store.identity(
                    channel=incoming.channel,
                    user_id=incoming.user_id,
                    latest_of=await self._open_occurrences(store, incoming, now),
                    admins=self.config.admins,
                )
                actor = await self._actor(store, incoming, found)
                locale = actor.locale
                ctx = Context(actor, store, now, self.config, self.calendar, self.cache, found.latest)
                outcome = await file_links.adapted(ctx, await self._route(ctx, incoming))
                await store.commit()
            if outcome.plan_changed:  # every view, the planner and the digests follow it now, not in a minute
                await self.plan.refresh(self.stores, now, every=timedelta(0))
                self.cache.follow(self.plan.revision)
            if outcome.menu is None:
                outcome.menu = actor.top_role
            outcome.locale = locale
            return _shown(outcome)
        except Exception:
            log.exception("failed to handle a message from %s:%s", incoming.channel, incoming.user_id)
            self.cache.forget()  # the rows it wrote were rolled back
            return Outcome([Reply(common.internal_error(locale))], locale=locale)

    async def unit_named(self, query: str) -> Unit | None:
        """The one unit these words name, as everywhere (with or without diacritics, alias, prefix)."""
        async with self.stores() as store:
            units = await store.units()
        return match_units(query, units, today=self.clock.now().astimezone(self.config.tz).date()).unique

    async def actor_of(self, store: Store, *, channel: str, user_id: str) -> Actor:
        """Who the web page acts as: the account that asked for its link, as a message from it is read."""
        found = await store.identity(channel=channel, user_id=user_id, admins=self.config.admins)
        chat_id = found.account.chat_id if found.account else user_id
        return await self._actor(store, Incoming(channel, user_id, chat_id), found)

    async def first_delivery(self, channel: str, message_id: str) -> bool:
        """Whether a channel delivers this message for the first time (a channel that redelivers,
        like Zalo, asks before handling it); its id is kept a week."""
        async with self.stores() as store:
            first = await store.first_delivery(channel=channel, message_id=message_id, now=self.clock.now())
            await store.commit()
        return first

    async def count_sent(self, channel: str, messages: int) -> None:
        """Count messages sent on a channel with a monthly quota (the planner warns the office near it)."""
        month = self.clock.now().astimezone(self.config.tz).strftime("%Y-%m")
        async with self.stores() as store:
            await store.count_sent(channel=channel, month=month, messages=messages)
            await store.commit()

    async def quota_spent(self, channel: str) -> None:
        """The channel refused a message for its monthly quota: the month counts as spent, so the planner
        tells the office (once a month) and nothing more is counted as sendable."""
        month = self.clock.now().astimezone(self.config.tz).strftime("%Y-%m")
        async with self.stores() as store:
            await store.quota_spent(channel=channel, month=month, quota=self.config.quotas.get(channel, 0))
            await store.commit()

    async def word_reminder(self, message: ReminderMessage) -> ReminderMessage:
        """The dispatcher's renderer (scheduler/sending.py): the message with its finished words, and the
        task's incoming document when the message tells a unit of a task and that channel holds it."""
        documents = await self._task_documents(message)
        reply = await self.render_reminder(message, documents=documents)
        buttons = tuple(tuple((button.label, button.data) for button in row) for row in reply.buttons)
        kept = [row for row in documents if row.channel == message.channel and row.kind in ("document", "photo")]
        attachment = (kept[0].kind, kept[0].file_id) if kept else None
        return replace(message, text=visible(reply.text), buttons=_labels_shown(buttons), attachment=attachment)

    async def render_reminder(self, message: ReminderMessage, *, documents: list[DutyDocument] | None = None) -> Reply:
        """The words of an outbox row: a reminder, or the office's digest (worked out when it is sent)."""
        if message.audience != "digest":
            rows = await self._task_documents(message) if documents is None else documents
            return reminder_reply(message, documents=[row.file_name or row.kind for row in rows])
        now = self.clock.now()
        await self.follow_plan(now)
        try:
            async with self.stores() as store:
                reply = await digest_reply(
                    store, message, now=now, config=self.config, calendar=self.calendar, cache=self.cache
                )
                await store.commit()  # the occurrence rows it may have written
        except Exception:
            self.cache.forget()
            raise
        return reply

    async def _task_documents(self, message: ReminderMessage) -> list[DutyDocument]:
        """The documents given with a task, for the message that tells its units of it."""
        if StepKey(message.step).kind != "new":  # a step written as a plain string too
            return []
        async with self.stores() as store:
            found = await store.deadline(message.occurrence_id)
            rows = await store.task_documents(duty_id=found[1].id) if found is not None else []
        return list(rows)

    async def follow_plan(self, now: datetime) -> None:
        """Work from the plan loaded last: the database is asked at most once a minute (a query per
        message would cost status updates), and the cache forgets the old plan when it moved."""
        await self.plan.refresh(self.stores, now)
        self.cache.follow(self.plan.revision)

    async def _open_occurrences(self, store: Store, incoming: Incoming, now: datetime) -> list[int]:
        """For a message that may be a status update in words: the deadlines that take reports now.

        Their units' latest updates are then read with the identity, in the same round trip.
        """
        text = incoming.text.strip()
        if not incoming.private or incoming.attachment or incoming.reply_to or not text or split_command(text):
            return []
        today = now.astimezone(self.config.tz).date()
        # The first messages of a day (or after a start) find the cache empty; 64 at once each worked
        # the plan out again (~320 statements before the first answer). One does it, the others wait.
        # No session here holds a connection yet, so the one filling never waits for the pool on a
        # task that waits for it. Once filled, this takes no time and never suspends.
        async with self._warming:
            found = await updates.open_occurrences(store, self.cache, self.calendar, self.config.tz, today)
        return [row.id for row, _item in found if row.id is not None]

    async def _actor(self, store: Store, incoming: Incoming, found: Identity) -> Actor:
        link, person, memberships = found.account, found.person, found.memberships
        admin = f"{incoming.channel}:{incoming.user_id}" in self.config.admins or found.stored_admin
        if admin and link is None and incoming.private:  # so the office's copies and digests can reach them
            person, link = await store.ensure_person(
                channel=incoming.channel,
                user_id=incoming.user_id,
                chat_id=incoming.chat_id,
                display_name=incoming.display_name or incoming.user_id,
                username=incoming.username,
                now=self.clock.now(),
            )
        locale = (person.locale if person else None) or self.config.locale
        return Actor(incoming, person, link, memberships, admin, locale)

    async def _route(self, ctx: Context, incoming: Incoming) -> Outcome:
        locale = ctx.locale
        if not incoming.private:
            return Outcome([Reply(common.private_only(locale))])
        text = incoming.text.strip()
        if len(text) > self.config.max_text:
            return Outcome([Reply(common.too_long(len(text), self.config.max_text, locale))])
        if incoming.attachment is not None:
            sheet = is_sheet(incoming.attachment)  # a plan sheet even while a task's preview waits
            if not sheet and (kept := await giao.attached(ctx)) is not None:
                return kept  # the incoming document of a task the office is giving
            if (filed := await _file(ctx, incoming.attachment)) is not None:
                return filed
        if not text:
            return Outcome([Reply(common.text_only(locale))])
        command = split_command(text)
        if command is None:
            return await self._free_text(ctx, text)
        name, args = command
        spec = COMMANDS.get(name)
        if spec is None:
            return Outcome([Reply(common.unknown_command(name, locale))])
        if spec.office_only and not ctx.actor.is_office:
            return Outcome([Reply(common.office_only(name, locale))])
        if spec.registered_only and not ctx.actor.registered:
            return Outcome([Reply(common.not_registered(locale))])
        return await spec.handler(ctx, args)

    async def _free_text(self, ctx: Context, text: str) -> Outcome:
        if not ctx.actor.registered:
            if normalize(text):  # a bare code typed without /dangky
                return await invitations.register(ctx, text)
            return Outcome([Reply(common.welcome_unregistered(ctx.locale))])
        return await updates.free_text(ctx, text)


async def _file(ctx: Context, attachment: Attachment) -> Outcome | None:
    """A spreadsheet from the office is a plan sheet (so is any document from the office's own people,
    who owe no report); any other file from a registered person is a report's evidence (an official's
    spreadsheet too). A stranger's sheet is refused; their other files are read as their words."""
    actor = ctx.actor
    if actor.is_office and attachment.kind == "document" and (is_sheet(attachment) or not my_units(ctx)):
        return await plan_import.received_sheet(ctx)
    if actor.registered:
        return await evidence.received_file(ctx)
    if is_sheet(attachment):
        return Outcome([Reply(common.not_registered(ctx.locale))])
    return None


def _printable(incoming: Incoming) -> Incoming:
    """The message without control characters, at the edge: what any channel brings is stored or
    looked up (the id of the message replied to too: NUL or a lone surrogate fails a query)."""
    attachment = incoming.attachment
    if attachment is not None:
        attachment = replace(
            attachment, file_id=printable(attachment.file_id), file_name=printable(attachment.file_name)
        )
    return replace(
        incoming,
        text=printable(incoming.text),
        display_name=visible(printable(incoming.display_name)),  # a name from a profile, as it shows
        username=printable(incoming.username) if incoming.username else incoming.username,
        reply_to=printable(incoming.reply_to) if incoming.reply_to else incoming.reply_to,
        attachment=attachment,
    )


def _shown(outcome: Outcome) -> Outcome:
    """The answer without characters that show nothing or turn the text around (a name kept before
    names were checked, a person's own words quoted back): what a person reads reads as it is."""
    for reply in outcome.replies:
        reply.text = visible(reply.text)
        reply.buttons = [[replace(button, label=visible(button.label)) for button in row] for row in reply.buttons]
    if outcome.tapped_note is not None:
        outcome.tapped_note = visible(outcome.tapped_note)
    return outcome


def _labels_shown(buttons: tuple[tuple[tuple[str, str], ...], ...]) -> tuple[tuple[tuple[str, str], ...], ...]:
    return tuple(tuple((visible(label), data) for label, data in row) for row in buttons)
