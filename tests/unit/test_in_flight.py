"""The sends under way: a new one starts past a slow one, never past a chat's own (issue 27, item 2)."""

from __future__ import annotations

import asyncio

from scheduler.in_flight import Flights


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
