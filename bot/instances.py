"""What lets several `nhacviec run` share one PostgreSQL: one pace a bot.

Planners and dispatchers run in every instance (the outbox's claims are atomic, storage/claims.py).
A bot's rate limit is the bot's: each channel's limiter books its overall slots in the database
(storage/pace.py).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from scheduler.ratelimit import Limits, RateLimiter
from storage import pace

CHANNELS = ("telegram", "zalo")


def limiters(engine: AsyncEngine) -> dict[str, RateLimiter]:
    """One limiter per channel, for its reminders and its answers: they go to the same chats under the
    same limits, and a 429 on either pauses both; one channel's sends never spend another's budget.
    (Zalo documents no rate limits; Telegram's are the careful default.) On PostgreSQL each keeps the
    bot's overall pace with the other instances."""
    return {name: RateLimiter(Limits(), shared=pace.for_engine(engine, name)) for name in CHANNELS}


async def close(limiters: dict[str, RateLimiter]) -> None:
    for limiter in limiters.values():
        await limiter.close()
