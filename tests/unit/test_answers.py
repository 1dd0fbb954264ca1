"""Answers retried like reminders: what is tried again, how long it waits, and the limiter it shares."""

from __future__ import annotations

import pytest

from bot.channels.answers import AnswerSender, Retries
from scheduler.ratelimit import Limits, RateLimiter
from scheduler.sending import Rejected, RetryLater, SendError, Transient, Unreachable


class Server:
    """Answers each call with the next error of `errors`, then with the message id."""

    def __init__(self, *errors: SendError) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def send(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "42"


class Time:
    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


async def test_server_errors_are_tried_again_after_growing_pauses() -> None:
    time = Time()
    server = Server(Transient("500"), Transient("502"), Transient("timed out"))
    sender = AnswerSender(sleep=time.sleep)
    assert await sender.send("7", server.send) == "42"
    assert time.waits == [0.2, 0.4, 0.8]


async def test_a_429_waits_its_retry_after() -> None:
    time = Time()
    sender = AnswerSender(sleep=time.sleep)
    assert await sender.send("7", Server(RetryLater(3), RetryLater(2)).send) == "42"
    assert time.waits == [3, 2]


@pytest.mark.parametrize("error", [Unreachable("Forbidden: bot was blocked by the user"), Rejected("Bad Request")])
async def test_a_403_or_a_400_is_not_tried_again(error: SendError) -> None:
    time = Time()
    server = Server(error)
    with pytest.raises(type(error)):
        await AnswerSender(sleep=time.sleep).send("7", server.send)
    assert (server.calls, time.waits) == (1, [])


async def test_the_waiting_of_one_answer_stays_within_its_budget() -> None:
    time = Time()
    server = Server(*[Transient("500")] * 20)
    with pytest.raises(Transient):
        await AnswerSender(sleep=time.sleep).send("7", server.send)
    assert time.waits == list(Retries().pauses)
    assert sum(time.waits) <= Retries().budget
    server = Server(RetryLater(20), RetryLater(20))
    with pytest.raises(RetryLater):  # the second wait would pass 30 s: given up at once
        await AnswerSender(sleep=time.sleep).send("7", server.send)
    assert server.calls == 2


async def test_once_tries_once() -> None:
    time = Time()
    server = Server(Transient("500"))
    with pytest.raises(Transient):
        await AnswerSender(sleep=time.sleep).send("7", server.send, once=True)
    assert (server.calls, time.waits) == (1, [])


async def test_answers_share_the_dispatchers_limiter() -> None:
    """Each try takes a slot (1 a second per chat), and a 429 on an answer pauses every sender."""
    time = Time()
    limiter = RateLimiter(Limits(), monotonic=lambda: time.now, sleep=time.sleep)
    sender = AnswerSender(limiter=limiter, sleep=time.sleep)
    await sender.send("7", Server().send)
    await sender.send("7", Server().send)
    assert time.waits == [1.0]  # the second answer to the same chat waited for its slot
    server = Server(RetryLater(5))
    await sender.send("7", server.send)
    # its own slot at 2 s, then the 429's 5 s: waited as the limiter's pause, which holds every
    # reminder of the dispatcher sharing it as well
    assert time.now == pytest.approx(7.0)
    assert server.calls == 2
    await limiter.acquire("8")  # another chat: its slot is after the pause, not before
    assert time.now == pytest.approx(7.0 + 1 / 29)


@pytest.mark.parametrize(
    ("description", "code"),
    [
        ("Forbidden: bot was blocked by the user", "blocked"),
        ("Forbidden: user is deactivated", "deactivated"),
        ("Forbidden: bot can't initiate conversation with a user", "never_started"),
        ("Forbidden: bot is not a member of the supergroup chat", "refused"),
    ],
)
def test_telegram_s_refusals_are_kept_as_codes_the_office_reads_in_its_words(description: str, code: str) -> None:
    from telegram.error import Forbidden

    from bot.channels.telegram_errors import send_error
    from messages.channels import unreachable_reason

    error = send_error(Forbidden(description))
    assert isinstance(error, Unreachable)
    assert error.code == code
    assert "Forbidden" not in unreachable_reason(error.code, "vi")
    assert unreachable_reason("Forbidden: an old row's text", "vi") == "Forbidden: an old row's text"
