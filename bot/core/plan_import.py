"""The plan as an Excel sheet, for the office: `/maukehoach` (the sheet to fill), a filled sheet sent to
the bot (its preview, kept until ✅), `/nhapkehoach <n>` (✅ applies it in this message's one unit of
work, ❌ drops it). `nhacviec plan template|export|import` use the same functions."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from typing import Any

from bot.core.context import Context
from bot.core.cycles import upcoming
from bot.core.ids import parse_id
from bot.core.names import current
from bot.core.plan_sheet_read import PlanState, read_plan_sheet, sheet_plan_key
from bot.core.types import Attachment, Button, Document, Outcome, Reply
from messages import plan_sheet_text as words
from messages.deadline_words import deadline_text
from messages.plan_sheet import UnitLine, read_sheet, write_sheet
from messages.plan_sheet_text import Preview
from messages.sheet_limits import SheetError
from messages.text import fold
from storage.models import OFFICE_KIND, Duty, Plan
from storage.store import Store

log = logging.getLogger(__name__)

SHEET_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
)
SHEET_ENDINGS = (".xlsx", ".xlsm", ".xls")
BLANK_ROWS = 50  # rows of a template, ready to fill
_DUTY_COLUMNS = ("key", "title", "rule", "groups", "units", "note")
_DATES = ("issued_on", "valid_from", "valid_to")


def is_sheet(attachment: Attachment) -> bool:
    """A spreadsheet by its name or its type (what the channel says of it)."""
    return attachment.kind == "document" and (
        attachment.file_name.lower().endswith(SHEET_ENDINGS) or attachment.mime_type in SHEET_TYPES
    )


async def template(ctx: Context, _args: str) -> Outcome:
    """`/maukehoach`: the sheet to fill, with the units and groups one may name."""
    content = await workbook(ctx.store, None, today=ctx.today, locale=ctx.locale)
    document = Document("mau-ke-hoach.xlsx", content)
    return Outcome([Reply(words.template_caption(ctx.locale), document=document)])


async def workbook(store: Store, plan: Plan | None, *, today: date, locale: str) -> bytes:
    """The plan sheet: `plan`'s header and tasks (its duties in the plan), or empty rows to fill."""
    units = [u for u in await store.units() if current(u, today)]
    by_key = {unit.key: unit for unit in units}
    groups = await store.group_unit_keys()
    rows: list[dict[str, str]] = []
    header: dict[str, str] = {}
    if plan is not None:
        header = {name: str(getattr(plan, name) or "") for name in ("key", "title", "number", "issuer", "report_to")}
        header |= {name: f"{getattr(plan, name):%d/%m/%Y}" for name in _DATES if getattr(plan, name)}
        everyone = sorted(u.key for u in units if u.kind != OFFICE_KIND)
        rows = [_row(duty, by_key, everyone) for duty in await store.duties_of_plan(plan.id or 0)]
    named = {group: [by_key[k].short_name for k in members if k in by_key] for group, members in groups.items()}
    return write_sheet(
        header,
        rows,
        [UnitLine(u.key, u.name, u.kind) for u in units],
        named,
        locale=locale,
        blank_rows=0 if plan is not None else BLANK_ROWS,
    )


def _row(duty: Duty, units: dict[str, Any], everyone: list[str]) -> dict[str, str]:
    if not duty.groups and sorted(duty.units) == everyone:
        named = "tất cả"  # read back as every unit (EVERYONE)
    else:
        named = ", ".join([*duty.groups, *(units[k].short_name if k in units else k for k in duty.units)])
    kind = duty.rule.get("kind")
    repeat = "không"
    if kind in ("monthly", "quarterly") or (kind == "yearly" and not duty.rule.get("year")):
        repeat = {"monthly": "hằng tháng", "quarterly": "hằng quý"}.get(str(kind), "hằng năm")
    return {
        "key": duty.key,
        "title": duty.title,
        "units": named,
        "deadline": deadline_text(duty.rule),
        "repeat": repeat,
        "note": duty.note,
    }


async def sheet_preview(store: Store, content: bytes, *, today: date) -> Preview:
    """The sheet read against the plan of its key; raises SheetError for a file that is no plan sheet."""
    sheet = await asyncio.to_thread(read_sheet, content)  # openpyxl's parsing holds the loop otherwise
    key = sheet_plan_key(sheet)
    plan = await store.plan_by_key(key) if key else None
    duties = await store.duties_of_plan(plan.id or 0, in_plan_only=False) if plan is not None else []
    state = PlanState(await store.units(), await store.group_unit_keys(), plan, duties, await store.duty_keys(), today)
    return read_plan_sheet(sheet, state)


async def apply_import(store: Store, content: dict[str, Any], *, actor: str, now: datetime) -> None:
    """Write what a preview showed: the plan, its new tasks, the changed ones, the ended ones; audited."""
    values = _plan_columns(content["plan_values"])
    plan = await store.plan_by_key(content["plan_key"])
    if plan is None:
        plan = await store.add_plan(**values)
    elif values:
        plan = await store.change_plan(plan, **values)
    duties = {duty.key: duty for duty in await store.duties_of_plan(plan.id or 0, in_plan_only=False)}
    for item in content["created"]:
        columns = {name: item[name] for name in _DUTY_COLUMNS}
        await store.add_duty(
            **columns, wording=item["shown"][:200], plan_id=plan.id, created_by=actor[:64], created_at=now
        )
    for item in content["changed"]:
        if (duty := duties.get(item["key"])) is not None:
            await store.change_duty(duty, **item["values"])
    for item in content["ended"]:
        if (duty := duties.get(item["key"])) is not None and duty.in_plan:
            await store.change_duty(duty, in_plan=False)
    await store.audit(
        at=now,
        actor=actor,
        action="plan_import",
        plan=content["plan_key"],
        created=[item["key"] for item in content["created"]],
        changed=[item["key"] for item in content["changed"]],
        ended=[item["key"] for item in content["ended"]],
    )


def _plan_columns(values: dict[str, Any]) -> dict[str, Any]:
    return {name: date.fromisoformat(value) if name in _DATES and value else value for name, value in values.items()}


async def received_sheet(ctx: Context) -> Outcome:
    """A spreadsheet the office sent: fetched from its channel, read, and shown before anything is applied."""
    incoming = ctx.actor.incoming
    assert incoming.attachment is not None
    if incoming.attachment.content is not None:  # uploaded on the web page: the bytes came with it
        return await preview_reply(ctx, incoming.attachment.content)
    fetch = ctx.config.fetch_file.get(incoming.channel)
    if fetch is None:
        return Outcome([Reply(words.no_download(ctx.locale))])
    try:
        content = await fetch(incoming.attachment.file_id)
    except Exception:  # the channel's errors: too big, gone, the network
        log.warning("could not download the sheet %r", incoming.attachment.file_name, exc_info=True)
        return Outcome([Reply(words.download_failed(ctx.locale))])
    return await preview_reply(ctx, content)


async def preview_reply(ctx: Context, content: bytes) -> Outcome:
    try:
        preview = await sheet_preview(ctx.store, content, today=ctx.today)
        for item in preview.created:
            preview.upcoming[item["row"]] = upcoming(item["rule"], ctx.calendar, today=ctx.today)
    except SheetError as exc:
        return Outcome([Reply(words.sheet_error(exc.problem, exc.missing, ctx.locale, limit=exc.limit))])
    if preview.problems:
        return Outcome([Reply(words.problems_text(preview.problems, ctx.locale))])
    if preview.nothing:
        return Outcome([Reply(words.nothing_to_change(preview.plan_title, ctx.locale))])
    pending = await ctx.store.add_plan_import(content=preview.content(), created_by=ctx.actor.ref, created_at=ctx.now)
    buttons = [
        Button(words.apply_label(ctx.locale), f"/nhapkehoach {pending.id}"),
        Button(words.cancel_label(ctx.locale), f"/nhapkehoach {pending.id} huy"),
    ]
    return Outcome([Reply(words.preview_text(preview, ctx.locale), [buttons])])


async def decide(ctx: Context, args: str) -> Outcome:
    """`/nhapkehoach <n>` applies a previewed sheet, `/nhapkehoach <n> huy` drops it; either once."""
    parts = args.split()
    import_id = parse_id(parts[0]) if parts else None
    if import_id is None:
        return Outcome([Reply(words.decide_usage(ctx.locale))])
    cancel = len(parts) > 1 and fold(parts[1]) in ("huy", "cancel")
    taken = await ctx.store.take_plan_import(import_id=import_id, apply=not cancel, now=ctx.now)
    if taken is None:
        return Outcome([Reply(words.already_decided(ctx.locale))])
    if cancel:
        text = words.cancelled(ctx.locale)
        return Outcome([Reply(text)], tapped_note=text)
    await apply_import(ctx.store, taken.content, actor=ctx.actor.ref, now=ctx.now)
    text = words.applied(taken.content, ctx.locale)
    return Outcome([Reply(text)], tapped_note=text, plan_changed=True)
