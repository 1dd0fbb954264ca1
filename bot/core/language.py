"""`/ngonngu vi|en`: the language a person reads the bot in."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.types import Outcome, Reply
from messages import common
from messages.i18n import LOCALES


async def choose(ctx: Context, args: str) -> Outcome:
    wanted = args.strip().lower()
    person = ctx.actor.person
    if wanted not in LOCALES:
        return Outcome([Reply(common.language_usage(ctx.locale))])
    if person is None:  # a stranger has no record to keep it in: answer in the language asked
        return Outcome([Reply(common.not_registered(wanted))])
    await ctx.store.set_locale(person_id=person.id or 0, locale=wanted)
    return Outcome([Reply(common.language_set(wanted))])
