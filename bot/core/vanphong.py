"""`/vanphong`: the office's identity (who it is, as its letters, workbooks and tasks name it), shown
and changed field by field: `/vanphong cấp trên = UBND phường Mỹ Hào; địa danh = Mỹ Hào`."""

from __future__ import annotations

from datetime import date

from bot.core.context import Context
from bot.core.types import Outcome, Reply
from messages import office as words
from messages.bodies import reporting_body
from storage.models import OFFICE_KIND, OfficeIdentity
from storage.store import Store

CLEARED = "-"  # the value that empties a field that may be empty (MAY_BE_EMPTY)


async def vanphong(ctx: Context, args: str) -> Outcome:
    if not args.strip():
        return Outcome([Reply(words.identity_text(await ctx.store.office_identity(), ctx.locale))])
    values, problem = read_changes(args, ctx.locale)
    if problem:
        return Outcome([Reply(problem)])
    values = following(await ctx.store.office_identity(), values)
    identity = await ctx.store.change_office_identity(values=values, now=ctx.now)
    await ctx.audit("office_identity_changed", **values)
    return Outcome([Reply(words.identity_text(identity, ctx.locale, changed=True))], plan_changed=True)


def following(old: OfficeIdentity, values: dict[str, str]) -> dict[str, str]:
    """The changes, with the place and where reports go following a new parent body when they were
    the old one's (or empty) and are not named: `cấp trên = UBND phường Mỹ Hào` alone renames all three."""
    if "parent" not in values and "agency" not in values:
        return values
    new = OfficeIdentity(**{**old.model_dump(), **values})
    if "place" not in values and old.place.strip() in ("", words.place_of(old.parent)):
        values = {**values, "place": words.place_of(new.parent) or old.place}
    if "report_to" not in values and (not old.report_to.strip() or old.report_to.startswith(old.agency or "\0")):
        values = {**values, "report_to": words.full_agency(new) or old.report_to}
    return values


def read_changes(args: str, locale: str) -> tuple[dict[str, str], str | None]:
    """The fields and values of `<field> = <value>; ...`, or the sentence that says what is wrong."""
    values: dict[str, str] = {}
    for part in args.split(";"):
        if not part.strip():
            continue
        said, equals, value = part.partition("=")
        if not equals:
            return {}, words.usage(locale)
        name = words.field_named(said)
        if name is None:
            return {}, words.unknown_field(said.strip()[:100], locale)
        value = " ".join(value.split())
        if value == CLEARED and name in words.MAY_BE_EMPTY:
            value = ""
        elif not value or value == CLEARED:
            return {}, words.empty_value(name, locale)
        values[name] = value
    if not values:
        return {}, words.usage(locale)
    return values, None


async def ended_notice(store: Store, *, today: date, locale: str) -> str | None:
    """When the office's own unit has ended and its identity was not changed since: what to send."""
    identity = await store.office_identity()
    units = await store.units()
    own = next((unit for unit in units if unit.kind == OFFICE_KIND and unit.valid_to is not None), None)
    if own is None or own.valid_to is None or own.valid_to >= today or _changed_since(identity, own.valid_to):
        return None
    by_key = {unit.key: unit for unit in units}
    after = [by_key[key] for key in own.successors if key in by_key and by_key[key].valid_on(today)]
    successor = reporting_body(after[0].name) if after else None
    body = identity.parent.strip() or own.name
    return words.body_ended(body, own.valid_to, successor, locale)


def _changed_since(identity: OfficeIdentity, ended: date) -> bool:
    return identity.changed_at is not None and identity.changed_at.date() > ended


async def set_up_steps(ctx: Context) -> list[words.SetUpStep]:
    """A new office's set-up, in order, each step done or not as the data says."""
    store = ctx.store
    identity = await store.office_identity()
    units = [unit for unit in await store.units() if unit.kind != OFFICE_KIND and unit.valid_on(ctx.today)]
    counts = await store.official_counts()
    tasks = [duty for duty, owing in await store.plan_duties() if owing]
    return [
        words.SetUpStep("/vanphong", bool(identity.parent.strip())),
        words.SetUpStep("/themdonvi", bool(units)),
        words.SetUpStep("/moi", any(counts.get(unit.id or 0) for unit in units)),
        words.SetUpStep("/giao", bool(tasks)),
    ]


async def set_up_text(ctx: Context) -> str | None:
    """The set-up steps for the office while one is missing; None once all are done (or for an official)."""
    if not ctx.actor.is_office:
        return None
    steps = await set_up_steps(ctx)
    return None if all(step.done for step in steps) else words.set_up_steps(steps, ctx.locale)
