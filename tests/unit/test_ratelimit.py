"""The rate limiter's slots, on a virtual clock: nothing sleeps for real."""

import asyncio

import pytest

from scheduler.ratelimit import Limits, RateLimiter


class VirtualTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sends: list[tuple[float, str]] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def _send_all(limiter: RateLimiter, clock: VirtualTime, chats: list[str]) -> None:
    for chat in chats:
        await limiter.acquire(chat)
        clock.sends.append((clock.now, chat))


def _max_in_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


async def test_the_overall_rate_stays_under_30_a_second() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(Limits(), monotonic=clock.monotonic, sleep=clock.sleep)
    await _send_all(limiter, clock, [f"chat{i}" for i in range(300)])
    times = [t for t, _ in clock.sends]
    assert _max_in_window(times, 1.0) <= 30
    assert times[-1] >= 299 / 29.0 - 1e-9  # and no faster than the 29/s it aims for


async def test_one_chat_gets_at_most_one_message_a_second() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(Limits(), monotonic=clock.monotonic, sleep=clock.sleep)
    await _send_all(limiter, clock, ["same"] * 5)
    assert [round(t, 6) for t, _ in clock.sends] == [0.0, 1.0, 2.0, 3.0, 4.0]


async def test_groups_get_20_a_minute() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(Limits(), monotonic=clock.monotonic, sleep=clock.sleep)
    for _ in range(21):
        await limiter.acquire("-100", group=True)
        clock.sends.append((clock.now, "-100"))
    assert clock.sends[-1][0] >= 60.0


async def test_concurrent_senders_never_share_a_slot() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(Limits(per_second=10), monotonic=clock.monotonic, sleep=clock.sleep)
    waits = [limiter.reserve(f"c{i}") for i in range(20)]
    assert waits == sorted(waits)
    assert len(set(waits)) == 20
    assert abs(waits[-1] - 1.9) < 1e-9


async def test_retry_after_pauses_everyone() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(Limits(), monotonic=clock.monotonic, sleep=clock.sleep)
    limiter.pause(7)
    await limiter.acquire("other")
    assert clock.now == 7


async def test_limits_off_never_wait() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(Limits.off(), monotonic=clock.monotonic, sleep=clock.sleep)
    await asyncio.gather(*(limiter.acquire("same") for _ in range(100)))
    assert clock.now == 0


async def test_sends_booked_before_a_429_wait_for_the_pause() -> None:
    clock = VirtualTime()
    sleeping = asyncio.Event()
    release = asyncio.Event()

    async def sleep(seconds: float) -> None:
        sleeping.set()
        await release.wait()
        clock.now += seconds

    limiter = RateLimiter(Limits(per_second=10), monotonic=clock.monotonic, sleep=sleep)
    limiter.reserve("first")  # the slot at 0.0 is taken
    waiting = asyncio.create_task(limiter.acquire("second"))  # booked for 0.1
    await sleeping.wait()
    limiter.pause(5)  # a 429 arrives while "second" waits for its slot
    release.set()
    await waiting
    assert clock.now >= 5  # it booked again after the pause instead of going out at 0.1


class SharedRow:
    """The row two instances share (what storage/pace.py keeps in the database), on the virtual clock."""

    def __init__(self, clock: VirtualTime) -> None:
        self.clock = clock
        self.next_at = 0.0
        self.away = False  # the database does not answer
        self.paused: list[float] = []


class SharedPace:
    def __init__(self, row: SharedRow) -> None:
        self.row = row

    async def book(self, step: float) -> float | None:
        if self.row.away:
            return None
        slot = max(self.row.next_at, self.row.clock.now)
        self.row.next_at = slot + step
        return slot - self.row.clock.now

    async def pause(self, seconds: float) -> None:
        self.row.paused.append(seconds)
        self.row.next_at = max(self.row.next_at, self.row.clock.now + seconds)

    async def close(self) -> None:
        pass


def _instances(clock: VirtualTime, row: SharedRow) -> list[RateLimiter]:
    return [
        RateLimiter(Limits(), monotonic=clock.monotonic, sleep=clock.sleep, shared=SharedPace(row)) for _ in range(2)
    ]


async def test_two_instances_with_a_shared_pace_keep_to_the_bots_limit_together() -> None:
    clock = VirtualTime()
    row = SharedRow(clock)
    first, second = _instances(clock, row)
    for i in range(150):  # in turns, each instance one send at a time (its dispatcher's way)
        await _send_all(first, clock, [f"a{i}"])
        await _send_all(second, clock, [f"b{i}"])
    times = sorted(t for t, _ in clock.sends)
    assert _max_in_window(times, 1.0) <= 30  # alone, each would have sent 29 a second: 58 together
    assert times[-1] >= 299 / 29.0 - 1e-9


async def test_without_the_database_an_instance_keeps_its_own_pace() -> None:
    clock = VirtualTime()
    row = SharedRow(clock)
    row.away = True
    [limiter, _other] = _instances(clock, row)
    await _send_all(limiter, clock, [f"chat{i}" for i in range(60)])
    times = [t for t, _ in clock.sends]
    assert _max_in_window(times, 1.0) <= 30


async def test_a_429_pauses_every_instance_through_the_shared_pace() -> None:
    clock = VirtualTime()
    row = SharedRow(clock)
    first, second = _instances(clock, row)
    first.pause(7)
    await first.close()  # the pause has reached the shared pace
    assert row.paused == [7]
    await second.acquire("chat")
    assert clock.now >= 7


async def test_a_shared_slot_woken_up_to_too_late_is_booked_again() -> None:
    clock = VirtualTime()
    row = SharedRow(clock)
    row.next_at = 1.0  # another instance's slots run to 1.0: ours is 1.0
    other = SharedPace(row)
    late = [0.05]  # the machine kept this process from running 50 ms past its slot, once

    async def sleep(seconds: float) -> None:
        if late:  # meanwhile the other instance booked the slot after ours
            await other.book(1 / 29)
        clock.now += seconds + (late.pop() if late else 0.0)

    limiter = RateLimiter(Limits(), monotonic=clock.monotonic, sleep=sleep, shared=SharedPace(row))
    await limiter.acquire("chat")
    # Sent at 1.05 it would have crowded the other's slot at 1.034: it took the next one, 1.069.
    assert clock.now == pytest.approx(1.0 + 2 / 29)
