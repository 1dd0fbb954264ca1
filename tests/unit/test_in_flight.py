"""The sends under way: a new one starts past a slow one, never past a chat's own (issue 27, item 2)."""

from __future__ import annotations

import asyncio
import inspect

from scheduler.in_flight import SEND_TIMEOUT, Flights


async def test_a_send_to_another_chat_starts_beside_one_in_flight_but_not_one_to_the_same_chat() -> None:
    flights = Flights(hold=0.0, most=4)
    answer = asyncio.Event()
    flights.start("a", answer.wait())
    await asyncio.wait_for(flights.room_for("b"), 1)  # past the slow send to "a"
    waiting = asyncio.create_task(flights.room_for("a"))
    await asyncio.sleep(0.01)
    assert not waiting.done()  # "a" keeps its order: its next message waits for its first
    answer.set()
    await asyncio.wait_for(waiting, 1)
    await flights.landed()


async def test_no_more_than_most_are_in_flight() -> None:
    flights = Flights(hold=0.0, most=2)
    answer = asyncio.Event()
    flights.start("a", answer.wait())
    flights.start("b", answer.wait())
    waiting = asyncio.create_task(flights.room_for("c"))
    await asyncio.sleep(0.01)
    assert not waiting.done()
    answer.set()
    await asyncio.wait_for(waiting, 1)
    await flights.landed()


async def test_a_new_send_waits_for_a_young_one_in_flight() -> None:
    flights = Flights(hold=60.0, most=4)
    answer = asyncio.Event()
    flights.start("a", answer.wait())
    waiting = asyncio.create_task(flights.room_for("b"))
    await asyncio.sleep(0.01)
    assert not waiting.done()  # a send answers in milliseconds: the next waits for it, not beside it
    answer.set()
    await asyncio.wait_for(waiting, 1)


def test_a_send_times_out_before_a_poll_would() -> None:
    """A hung send ends at SEND_TIMEOUT, sooner than a long poll's read timeout on either channel, so a
    poll is never mistaken for a hung call and a hung send never outlives a poll."""
    from bot.channels.telegram import TelegramChannel
    from bot.channels.zalo_client import ZaloClient

    zalo = ZaloClient("123:abc", "http://127.0.0.1:1")
    assert zalo._client.timeout.read is not None
    assert zalo._client.timeout.read > SEND_TIMEOUT
    telegram_poll = inspect.signature(TelegramChannel.start).parameters["poll_timeout"].default
    assert telegram_poll > SEND_TIMEOUT  # PTB reads a poll's answer for that long plus its read timeout


async def test_while_answers_come_slowly_a_send_in_flight_holds_the_next_longer() -> None:
    """On a busy machine every answer takes longer than a slot: waiting a slot would put several in flight."""
    now = [0.0]
    flights = Flights(hold=0.01, most=4, monotonic=lambda: now[0])
    assert flights.patience == 0.01
    for _ in range(3):
        answer = asyncio.Event()
        flights.start("a", answer.wait())
        now[0] += 0.2  # each answered after 0.2 s
        answer.set()
        await flights.landed()
    assert abs(flights.patience - 0.6) < 1e-9  # three times the median answer
