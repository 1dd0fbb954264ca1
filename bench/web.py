"""The office's web overview at 1,000 units × 12 deadlines with 100,000 status updates, on SQLite,
measured beside `/tonghop` in the same run on the same data.

    .venv/bin/python -m bench.web                       # full size: about a minute
    .venv/bin/python -m bench.web --units 200 --updates 20000 --runs 5

Target (issue 16): `GET /` (the overview of every open deadline of the plan, signed in as the office,
through aiohttp over loopback: the session's lookup, the views, the HTML) answers in p50 < 200 ms
over --runs requests after one warm-up request. `/tonghop` (every open report, through the core) is
timed in the same run, for comparison, and the overview's column counts are checked against its
"X/Y". The data set is bench/summary.py's (its plan file and its seeding), at this size. Exits 1
when the target is missed.
"""

from __future__ import annotations

import os

os.environ["PTB_TIMEDELTA"] = "true"  # as bench/summary.py

import argparse
import asyncio
import gc
import logging
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.summary import ADMIN_ID, NOW, _incoming, _ms, _positive, _quantile, _say, _uptime, seed, write_plan
from bot.app import running
from bot.settings import load_settings
from bot.web.site import start_page
from scheduler.clock import FakeClock

TARGET_P50 = 0.200  # seconds
LINK = re.compile(r"http\S+/vao/\S+")
COUNT_CHAT = re.compile(r"(\d+/\d+) đơn vị đã nộp")
COUNT_PAGE = re.compile(r'<span class="count">(\d+/\d+) đã nộp</span>')


async def timed(call: object, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return times


def line(name: str, times: list[float], extra: str = "") -> str:
    p50, p90 = statistics.median(times), _quantile(times, 0.9)
    return f"  {name}: p50 {_ms(p50)}  p90 {_ms(p90)}  max {_ms(max(times))}  over {len(times)} calls{extra}"


async def run(args: argparse.Namespace, folder: Path) -> bool:
    url = f"sqlite:///{folder / 'bench-web.db'}"
    settings = load_settings(database_url=url, admins=ADMIN_ID, plan=str(write_plan(folder, args.units)), web_port=0)
    _say(f"== sqlite: {args.units:,} units, {args.updates:,} status updates ==")
    async with running(settings, clock=FakeClock(NOW)) as app:
        started = time.perf_counter()
        seeded = await seed(app, n_units=args.units, n_officials=args.units * 2, n_updates=args.updates, postgres=False)
        _say(f"  seeded in {time.perf_counter() - started:.1f} s; {seeded['occurrences']} occurrences")
        server = await start_page(settings, app.core)
        try:
            found = LINK.search((await app.core.handle(_incoming("/web"))).replies[0].text)
            assert found, "no sign-in link"
            async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:  # an IP: unsafe
                async with client.post(found.group(0), allow_redirects=False) as signed:
                    assert signed.status == 303, signed.status

                async def overview() -> str:
                    async with client.get(f"{server.url}/") as response:
                        assert response.status == 200, response.status
                        return await response.text()

                async def summary() -> str:
                    return (await app.core.handle(_incoming("/tonghop"))).replies[0].text

                page, chat = await overview(), await summary()  # warm-up: the core's cache filled
                columns, rows = COUNT_PAGE.findall(page), page.count('<th scope="row"')
                assert columns == COUNT_CHAT.findall(chat), (columns, COUNT_CHAT.findall(chat))
                _say(f"  overview: {rows:,} unit rows × {len(columns)} deadlines, {len(page) / 1024:,.0f} KiB of HTML")
                _say(f"  column counts equal /tonghop's: {', '.join(columns)}")
                gc.collect()
                gc.freeze()
                _say(f"  load: {_uptime()}")
                page_times = await timed(overview, args.runs)
                chat_times = await timed(summary, args.runs)
        finally:
            await server.stop()
        gc.unfreeze()
    ok = statistics.median(page_times) < TARGET_P50
    verdict = f"  -> target p50 < {TARGET_P50 * 1000:.0f} ms: {'met' if ok else 'MISSED'}"
    _say(line("GET / (the overview)", page_times, verdict))
    _say(line("/tonghop (every open report)", chat_times))
    return ok


async def main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="nhacviec-bench-web-") as tmp:
        ok = await run(args, Path(tmp))
    _say("all targets met" if ok else "target missed")
    return 0 if ok else 1


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=_positive, default=1_000)
    parser.add_argument("--updates", type=_positive, default=100_000)
    parser.add_argument("--runs", type=_positive, default=20)
    sys.exit(asyncio.run(main(parser.parse_args())))
