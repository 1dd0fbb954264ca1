"""`/nhiemvu <n> theo dõi <người>`: the office's staff member who follows a duty ("chuyên viên theo dõi").

That person, not every admin, gets the duty's escalations (the planner's office copies) and its lines in
the digests. `/nhiemvu <n> theo dõi bỏ` lets everyone follow it again.
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.types import Outcome, Reply
from messages import followers as words
from messages.text import fold
from storage.models import Duty, Person

NOBODY = ("bo", "khong", "none", "xoa")


async def office_people(ctx: Context) -> list[Person]:
    """The office's staff and admins with an account, each once, in the order they came."""
    found: dict[int, Person] = {}
    for account in await ctx.store.office_accounts(admins=ctx.config.admins):
        if account.person_id is not None and account.person_id not in found:
            person = await ctx.store.person(account.person_id)
            if person is not None:
                found[account.person_id] = person
    return list(found.values())


async def follower_name(ctx: Context, duty: Duty) -> str | None:
    if duty.follower_id is None:
        return None
    person = await ctx.store.person(duty.follower_id)
    return person.display_name if person is not None else None


async def follow(ctx: Context, duty: Duty, text: str) -> Outcome:
    """Name (or clear) the duty's follower among the office's people: one clear sentence otherwise."""
    number, query = duty.id or 0, fold(text)
    people = await office_people(ctx)
    if not query:
        return Outcome([Reply(words.usage(number, [person.display_name for person in people], ctx.locale))])
    if query in NOBODY:
        await ctx.store.change_duty(duty, follower_id=None)
        await ctx.audit("duty_follower", duty_id=duty.id, duty=duty.key, follower=None)
        return Outcome([Reply(words.nobody_follows(number, ctx.locale))], plan_changed=True)
    found = [person for person in people if fold(person.display_name) == query]
    found = found or [person for person in people if query in fold(person.display_name)]
    if len(found) != 1:
        names = [person.display_name for person in (found or people)]
        return Outcome([Reply(words.who(text.strip(), names, ambiguous=len(found) > 1, locale=ctx.locale))])
    person = found[0]
    await ctx.store.change_duty(duty, follower_id=person.id)
    await ctx.audit("duty_follower", duty_id=duty.id, duty=duty.key, follower=person.id)
    return Outcome([Reply(words.follows(number, person.display_name, ctx.locale))], plan_changed=True)
