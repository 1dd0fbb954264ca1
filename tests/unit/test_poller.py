"""A channel's poller follows its lock (bot/instances.py): polls while it holds it, stops when another
instance does, and goes on as the database last said while the database does not answer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.instances import Poller


class FakeLock:
    """What the database answers, one answer per `take` (the last repeats); an exception for no answer."""

    def __init__(self, *answers: bool | Exception) -> None:
        self.answers = list(answers)
        self.released = 0

    async def take(self) -> bool:
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def release(self, *, within: float = 5.0) -> None:
        self.released += 1


class FakeChannel:
    def __init__(self, *, fail_starts: int = 0) -> None:
        self.polling = False
        self.starts = 0
        self.fail_starts = fail_starts

    async def start_polling(self) -> None:
        self.starts += 1
        if self.starts <= self.fail_starts:
            raise RuntimeError("Telegram did not answer deleteWebhook")
        self.polling = True

    async def stop_polling(self) -> None:
        self.polling = False


async def run(lock: FakeLock, channel: FakeChannel, *, holder: bool = False, turns: int = 5) -> Poller:
    poller = Poller("telegram", channel, lock, every=0.01, holder=holder)  # type: ignore[arg-type]
    for _ in range(turns):
        await poller._turn()
    return poller


async def until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(2):
        while not condition():  # noqa: ASYNC110  # the fakes' state, polled
            await asyncio.sleep(0.01)


async def test_the_holder_polls_and_stops_when_another_instance_holds_the_lock() -> None:
    channel = FakeChannel()
    poller = await run(FakeLock(True), channel)
    assert channel.polling
    assert channel.starts == 1  # started once, kept while held
    poller.lock = FakeLock(False)  # type: ignore[assignment]
    await poller._turn()
    assert not channel.polling


async def test_an_instance_that_waits_takes_over_when_the_lock_comes_free() -> None:
    channel = FakeChannel()
    await run(FakeLock(False, False, False, True), channel)
    assert channel.polling


async def test_while_the_database_does_not_answer_the_holder_polls_and_the_others_wait() -> None:
    away = ConnectionRefusedError("the database does not answer")
    holder, other = FakeChannel(), FakeChannel()
    await run(FakeLock(away), holder, holder=True)  # it held the lock before the database went away
    await run(FakeLock(away), other, holder=False)
    assert holder.polling
    assert not other.polling
    await run(FakeLock(True, away, away), holder)
    assert holder.polling


async def test_a_start_that_fails_lets_go_of_the_lock_and_is_tried_again() -> None:
    channel = FakeChannel(fail_starts=1)
    lock = FakeLock(True)
    await run(lock, channel, turns=2)
    assert lock.released == 1
    assert channel.polling
    assert channel.starts == 2


async def test_stop_ends_polling_and_lets_go_of_the_lock() -> None:
    channel, lock = FakeChannel(), FakeLock(True)
    poller = Poller("telegram", channel, lock, every=0.01)  # type: ignore[arg-type]
    poller.start()
    await until(lambda: channel.polling)
    await poller.stop()
    assert not channel.polling
    assert lock.released == 1
