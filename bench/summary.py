"""`/tonghop` and `/xuat` for one occurrence at the scale of a province: 10,000 units, 100,000
officials, 1,000,000 status updates, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.summary                                   # both backends, full size
    .venv/bin/python -m bench.summary --backend sqlite --units 500 --officials 5000 --updates 50000
    .venv/bin/python -m bench.summary --profile                         # + cProfile and SQL of one /tonghop

Targets (issue): the office's `/tonghop ke-hoach-2025` through the real core answers in p50 < 100 ms
(p90 and max printed too, over --runs calls after one warm-up call that fills the core's cache and
registers the admin), and `/xuat ke-hoach-2025` returns the workbook in < 5 s (the slowest of
--export-runs calls). Exits 1 when a target is missed on any backend that answered; a PostgreSQL that
does not answer is skipped with a note.

The data set: a synthetic plan file (the shipped plan's [plan] section, "van-phong", N xã/phường in one
group, the shipped "ke-hoach-2025" duty and one monthly duty) is loaded by `bot.app.running` as the
bot loads its plan; then people, Telegram accounts, officials (round robin over the units, about 1%
of accounts unreachable and every account of one unit in 200 unreachable, so each group of the
summary shows up), the occurrence rows (through `storage.outbox.ensure_occurrence`) and the status
updates are bulk-inserted with `sqlalchemy.insert()` in chunks, one transaction per chunk. Updates
are spread over 12 occurrences (ke-hoach-2025 and 11 monthly ones), each occurrence hearing from 90%
of the units, with `seq` 1, 2, 3... per (occurrence, unit) and `at` rising with the row id. The clock
is 09:00 on 13/01/2025 in Hà Nội, after the 09/01 last day, so overdue counts are worked out.

PostgreSQL runs against the `nhacviec_bench` database (created if missing; its public schema is
dropped and recreated at the start; VACUUM ANALYZE after seeding, as autovacuum would do soon after a
bulk load). SQLite is a file in a temporary directory and is left as the app leaves it (no ANALYZE).
The `test` database of the test suite is never touched.

Before measuring, `gc.collect(); gc.freeze()` as `nhacviec run` does once started (`--no-gc-freeze`
to skip it). `/quahan` (every late unit, no target) is timed too. `--profile` adds, after the
measurements: the steps of one warm `/tonghop` called one by one with file:line, the garbage
collector's share of one call, the SQL of one call statement by statement, a cProfile of it, and a
cProfile of one `/xuat`.

The printed baselines (a bare `count(*)` and the bare latest-per-unit GROUP BY on the same database)
show what the database alone costs for this data set.
"""

from __future__ import annotations

import os

os.environ["PTB_TIMEDELTA"] = "true"  # PTB 22 warns when it builds RetryAfter without it (read at use)

import argparse
import asyncio
import cProfile
import gc
import io
import json
import logging
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert, text
from sqlmodel import select

from bot.app import App, running
from bot.core import Incoming
from bot.settings import SHIPPED_PLAN, load_settings
from scheduler.calendar import DeadlineRule, occurrences
from scheduler.clock import FakeClock
from storage import outbox
from storage.models import ChannelAccount, Duty, Official, Person, Role, StatusUpdate, Unit

ADMIN_ID = "1001"
NOW = datetime(2025, 1, 13, 2, 0, tzinfo=UTC)  # 09:00 on Monday 13/01/2025 in Hà Nội
DUTY_KEY = "ke-hoach-2025"
MONTHLY_KEY = "bao-cao-thang-thu"
GROUP = "xa-phuong"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "nhacviec_bench"
PG_URL = f"postgresql://postgres@127.0.0.1:5432/{PG_DB}"
CHUNK = 5_000
FIRST_USER = 5_000_000  # Telegram user ids of the seeded officials, far from the admin's 1001
SUMMARY_P50 = 0.100  # seconds
EXPORT_MAX = 5.0  # seconds
UPDATES_FROM = datetime(2024, 12, 1, tzinfo=UTC)
UPDATES_TO = datetime(2025, 1, 13, 1, 0, tzinfo=UTC)
UNREACHABLE = "Forbidden: bot was blocked by the user"
STATUSES = ("done", "in_progress", "no_data", "waiting_signature", "extension_requested")
STATUS_WEIGHTS = (40, 35, 8, 10, 7)


def _say(line: str = "") -> None:
    print(line, flush=True)


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "uptime unavailable"


# --------------------------------------------------------------------------------------------------- the plan
def _toml(value: Any) -> str:
    """A TOML value for strings, dates, booleans, ints, lists and inline tables (what a plan uses)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return str(value) if not isinstance(value, datetime) else value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {_toml(item)}" for key, item in value.items()) + " }"
    raise TypeError(f"no TOML for {value!r}")


def unit_key(index: int) -> str:
    return f"u{index + 1:05d}"


def write_plan(directory: Path, n_units: int) -> Path:
    """The shipped plan's [plan] section, the office, N xã/phường in one group, two duties."""
    shipped = tomllib.loads(SHIPPED_PLAN.read_text(encoding="utf-8"))
    office = next(u for u in shipped["units"] if u["key"] == shipped["plan"]["office_unit"])
    duty = next(d for d in shipped["duties"] if d["key"] == DUTY_KEY)
    out = ["[plan]"]
    out += [f"{key} = {_toml(value)}" for key, value in shipped["plan"].items()]
    units = [office]
    for index in range(n_units):
        kind = "xa" if index % 3 else "phuong"
        word = "Xã" if kind == "xa" else "Phường"
        units.append(
            {
                "key": unit_key(index),
                "name": f"{word} Thử {index + 1:05d}",
                "short": f"Thử {index + 1:05d}",
                "kind": kind,
            }
        )
    for unit in units:
        out += ["", "[[units]]"] + [f"{key} = {_toml(value)}" for key, value in unit.items()]
    out += ["", "[groups]", f"{GROUP} = {_toml([unit_key(i) for i in range(n_units)])}"]
    kehoach = {key: duty[key] for key in ("key", "title", "title_en", "wording") if key in duty}
    kehoach |= {"groups": [GROUP], "deadline": duty["deadline"]}
    monthly = {
        "key": MONTHLY_KEY,
        "title": "Báo cáo tháng tình hình thực hiện nhiệm vụ (thử)",
        "title_en": "Monthly progress report (bench)",
        "wording": "trước ngày 20 hằng tháng",
        "groups": [GROUP],
        "deadline": {"kind": "monthly", "day": 20, "inclusive": False, "from": date(2024, 3, 1), "period": "monthly"},
    }
    for item in (kehoach, monthly):
        out += ["", "[[duties]]"] + [f"{key} = {_toml(value)}" for key, value in item.items()]
    path = directory / "plan-bench.toml"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------------- seeding
def _chunks(rows: Iterator[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def _insert(app: App, model: Any, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    for chunk in _chunks(rows):
        async with app.engine.begin() as conn:  # one transaction per chunk
            await conn.execute(insert(model), chunk)
        count += len(chunk)
    return count


async def seed(app: App, *, n_units: int, n_officials: int, n_updates: int, postgres: bool) -> dict[str, Any]:
    """Bulk-insert the people, accounts, officials, occurrences and updates; returns what the checks need."""
    now = NOW
    async with app.sessions() as session:
        keyed = {unit.key: unit.id for unit in (await session.exec(select(Unit))).all()}
        duties = {duty.key: duty for duty in (await session.exec(select(Duty))).all()}
        rows = []
        for key in (DUTY_KEY, MONTHLY_KEY):
            duty = duties[key]
            rule = DeadlineRule.from_dict(duty.rule)
            for found in occurrences(key, rule, app.core.calendar, start=date(2024, 3, 1), end=date(2025, 1, 31)):
                row = await outbox.ensure_occurrence(
                    session,
                    duty_id=duty.id or 0,
                    nominal=found.nominal,
                    aim_day=found.aim_day,
                    legal_last_day=found.legal_last_day,
                    inclusive=found.inclusive,
                    period_start=found.period_start,
                    period_end=found.period_end,
                )
                rows.append((key, row))
        await session.commit()
    assert [key for key, _row in rows].count(DUTY_KEY) == 1
    assert rows[0][0] == DUTY_KEY
    target = rows[0][1]
    assert (target.nominal, target.legal_last_day) == (date(2025, 1, 10), date(2025, 1, 9)), target
    occurrence_ids = [row.id or 0 for _key, row in rows]
    unit_ids = [keyed[unit_key(i)] for i in range(n_units)]

    # Officials round robin: official i (person i + 1, account i + 1) belongs to unit i % n_units.
    dark_units = {u for u in range(n_units) if u % 200 == 7}

    def reason(i: int) -> str | None:
        return UNREACHABLE if (i % n_units) in dark_units or i % 97 == 13 else None

    people = (
        {"id": i + 1, "display_name": f"Cán bộ {i + 1:06d}", "locale": None, "created_at": now}
        for i in range(n_officials)
    )
    accounts = (
        {
            "id": i + 1,
            "person_id": i + 1,
            "channel": "telegram",
            "user_id": str(FIRST_USER + i),
            "chat_id": str(FIRST_USER + i),
            "username": None,
            "linked_at": now,
            "unreachable_reason": reason(i),
        }
        for i in range(n_officials)
    )
    officials = (
        {
            "id": i + 1,
            "person_id": i + 1,
            "unit_id": unit_ids[i % n_units],
            "role": Role.OFFICIAL.value,
            "active": True,
            "created_at": now,
        }
        for i in range(n_officials)
    )
    counts = {"person": await _insert(app, Person, people)}
    counts["channel_account"] = await _insert(app, ChannelAccount, accounts)
    counts["official"] = await _insert(app, Official, officials)

    rng = random.Random(2025)
    heard = [rng.sample(range(n_units), max(1, n_units * 9 // 10)) for _ in occurrence_ids]  # 90% of units
    seq: dict[tuple[int, int], int] = {}
    per_unit = max(1, n_officials // n_units) if n_officials >= n_units else 0
    span = (UPDATES_TO - UPDATES_FROM) / max(1, n_updates)
    tally: Counter[str] = Counter()
    latest_of_target: dict[int, str] = {}

    def updates() -> Iterator[dict[str, Any]]:
        for i in range(n_updates):
            o = rng.randrange(len(occurrence_ids))
            u = heard[o][rng.randrange(len(heard[o]))]
            n = seq[(o, u)] = seq.get((o, u), 0) + 1
            status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
            tally[status] += 1
            if o == 0:
                latest_of_target[u] = status
            percent = rng.randrange(10, 95, 5) if status == "in_progress" else None
            expected = (
                date(2025, 1, 15) + timedelta(days=n % 7)
                if status in ("waiting_signature", "extension_requested")
                else None
            )
            person = (u + 1 + rng.randrange(per_unit) * n_units) if per_unit else None
            yield {
                "occurrence_id": occurrence_ids[o],
                "unit_id": unit_ids[u],
                "seq": n,
                "status": status,
                "percent": percent,
                "expected_date": expected,
                "note": "" if i % 5 else "đã trình lãnh đạo ký",
                "raw_text": f"{status} {percent or ''}".strip(),
                "channel": "telegram",
                "person_id": person,
                "by_office": False,
                "reminder_id": None,
                "at": UPDATES_FROM + span * i,
            }

    counts["status_update"] = await _insert(app, StatusUpdate, updates())
    if postgres:  # the ids above were given explicitly: move the sequences past them
        async with app.engine.begin() as conn:
            for table in ("person", "channel_account", "official", "status_update"):
                await conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
        async with app.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))
    ke_hoach = Counter(latest_of_target.values())
    return {
        "counts": counts,
        "occurrence_id": target.id,
        "occurrences": len(occurrence_ids),
        "statuses": tally,
        "target_latest": ke_hoach,
        "dark_units": len(dark_units),
    }


# ------------------------------------------------------------------------------------------------ measuring
def _incoming(text_: str) -> Incoming:
    return Incoming(channel="telegram", user_id=ADMIN_ID, chat_id=ADMIN_ID, text=text_, display_name="VP")


async def _timed_sql(app: App, sql: str, params: dict[str, Any], runs: int = 5) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        async with app.engine.connect() as conn:
            started = time.perf_counter()
            result = (await conn.execute(text(sql), params)).all()
            times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


async def baselines(app: App, occurrence_id: int) -> None:
    count_s, count = await _timed_sql(app, "SELECT count(*) FROM status_update", {})
    group_s, groups = await _timed_sql(
        app,
        "SELECT unit_id, max(id) FROM status_update WHERE occurrence_id = :o GROUP BY unit_id",
        {"o": occurrence_id},
    )
    _say(f"  baseline SELECT count(*) FROM status_update           {_ms(count_s)}  ({count[0][0]:,} rows, median of 5)")
    _say(
        f"  baseline SELECT unit_id, max(id) ... GROUP BY unit_id  {_ms(group_s)}  ({len(groups):,} units, median of 5)"
    )


async def summary_runs(app: App, runs: int, n_units: int) -> tuple[list[float], float, str]:
    command = _incoming(f"/tonghop {DUTY_KEY}")
    started = time.perf_counter()
    first = await app.core.handle(command)  # registers the admin, fills the core's cache
    first_s = time.perf_counter() - started
    answer = first.replies[0].text
    headline = answer.splitlines()[0]
    if f"/{n_units} " not in headline:
        raise AssertionError(f"/tonghop did not list the {n_units} units: {answer[:300]!r}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        outcome = await app.core.handle(command)
        times.append(time.perf_counter() - started)
        if outcome.replies[0].text != answer:
            raise AssertionError("/tonghop answered differently on a second call")
    groups = [line for line in answer.splitlines() if line and not line.startswith("•")][1:]
    return times, first_s, f"{headline}\n    groups: {' | '.join(groups)}\n    answer: {len(answer):,} characters"


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def export_runs(app: App, runs: int, n_units: int) -> tuple[list[float], int]:
    from openpyxl import load_workbook

    from messages.workbook import HEADER_ROW

    times, content = [], b""
    for _ in range(runs):
        started = time.perf_counter()
        outcome = await app.core.handle(_incoming(f"/xuat {DUTY_KEY}"))
        times.append(time.perf_counter() - started)
        document = outcome.replies[0].document
        if document is None:
            raise AssertionError(f"/xuat sent no file: {outcome.replies[0].text[:300]!r}")
        content = document.content
    book = load_workbook(io.BytesIO(content), read_only=True)
    sheets = book.sheetnames
    if len(sheets) != 3 or sheets[2] != "Tỷ lệ đúng hạn":
        raise AssertionError(f"the workbook should have a summary, one occurrence sheet and the rates: {sheets}")
    rows = list(book[sheets[1]].iter_rows(values_only=True))
    units = [row[1] for row in rows[HEADER_ROW:]]  # below the title block and the header; after the number
    if len(units) != n_units or not all(isinstance(u, str) and " Thử " in u for u in units):
        raise AssertionError(f"the occurrence sheet has {len(units)} unit rows, expected {n_units}: {units[:3]}")
    book.close()
    return times, len(content)


async def overdue_runs(app: App, runs: int) -> tuple[list[float], str]:
    """`/quahan` (no target in the issue): every late unit with its officials and last update."""
    times, answer = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        outcome = await app.core.handle(_incoming("/quahan"))
        times.append(time.perf_counter() - started)
        answer = "\n".join(reply.text for reply in outcome.replies)
    return times, answer


async def stages(app: App) -> None:
    """The steps of a warm `/tonghop <duty>` (bot/core/summaries.py:summary), called one by one and timed."""
    from bot.core.summaries import classify, duty_matches
    from bot.core.updates import OPEN_BEFORE, RECENT
    from messages import summary as words
    from messages.summary import OccurrenceView, UnitLine
    from storage.identity import identity
    from storage.summary import UnitReport, _contacts, load_latest, units_by_status

    core, tz = app.core, app.core.config.tz
    today = NOW.astimezone(tz).date()
    marks: list[tuple[str, float]] = []
    clock = time.process_time()

    def mark(name: str, where: str) -> None:
        nonlocal clock
        now = time.process_time()
        marks.append((f"{name:<46} {where}", now - clock))
        clock = now

    async with app.sessions() as session:
        await identity(session, channel="telegram", user_id=ADMIN_ID)
        mark("repo.identity (the admin)", "bot/core/core.py, Core._actor")
        planned = await core.cache.planned(session, core.calendar, tz, today - RECENT, today + OPEN_BEFORE, today=today)
        mark("cache.planned", "bot/core/summaries.py, _open")
        planned = [item for item in planned if duty_matches(DUTY_KEY, item)]
        item = planned[0]
        row = await core.cache.occurrence_row(session, item)
        keys = core.cache.unit_keys(item)
        ids = [unit_id for unit_id, _name in keys]
        mark("duty_matches, occurrence_row, unit_keys", "bot/core/summaries.py, summary")
        reports = {unit_id: UnitReport(unit_id, row.id or 0) for unit_id in ids}
        grouped = await units_by_status(session, occurrence_id=row.id or 0, units=ids)
        for status, members in grouped.items():
            for unit_id in members:
                if unit_id in reports:
                    reports[unit_id].status = status
        mark(f"latest status per unit ({len(grouped)} rows)", "storage/summary.py, units_by_status")
        unreachable = await core.cache.unreachable_units(session)
        for unit_id, report in reports.items():
            report.reachable_known = unit_id not in unreachable
        mark(f"units nobody can reach ({len(unreachable):,}, cached)", "bot/core/cache.py, unreachable_units")
        contacts = await _contacts(session, sorted(unreachable))
        for unit_id, contact in contacts:
            reports[unit_id].contacts += (contact,)
        mark(f"their officials ({len(contacts):,} Contact objects)", "storage/summary.py, _contacts")
        lines = []
        legal = row.legal_last_day
        late = core.calendar.working_days_between(legal, today) if today > legal else 0
        for unit_id, name in keys:
            report = reports[unit_id]
            own = report.granted_until or legal
            lines.append(UnitLine(name, classify(report, legal_last_day=own, today=today), report, late, own))
        mark("a line per unit, classified", "bot/core/summaries.py, occurrence_views")
        view = OccurrenceView(item.duty.title, row.nominal, row.inclusive, row.aim_day, row.legal_last_day, lines)
        shown = words.listed(view)
        await load_latest(session, [line.report for line in shown])
        mark(f"latest updates of the {len(shown)} lines shown", "storage/summary.py, load_latest")
        rendered = words.summary([view], "vi")
        mark(f"messages.summary.summary ({len(rendered):,} chars)", "messages/summary.py, summary")
    total = sum(seconds for _name, seconds in marks)
    _say(f"  stages of one warm /tonghop, called one by one ({total * 1000:.0f} ms in all):")
    for name, seconds in marks:
        _say(f"    {_ms(seconds)}  {name}")


async def collections(app: App) -> None:
    """How much of a warm /tonghop is the cyclic garbage collector: one call watched, one with it off."""
    spent: list[tuple[int, float]] = []
    started: list[float] = [0.0]

    def watch(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent.append((info["generation"], time.perf_counter() - started[0]))

    command = _incoming(f"/tonghop {DUTY_KEY}")
    gc.callbacks.append(watch)
    try:
        clock = time.perf_counter()
        await app.core.handle(command)
        total = time.perf_counter() - clock
    finally:
        gc.callbacks.remove(watch)
    by_generation = {g: (sum(1 for k, _s in spent if k == g), sum(s for k, s in spent if k == g)) for g in (0, 1, 2)}
    described = ", ".join(f"gen{g} x{n} {s * 1000:.0f} ms" for g, (n, s) in by_generation.items())
    gc.disable()
    try:
        clock = time.perf_counter()
        await app.core.handle(command)
        without = time.perf_counter() - clock
    finally:
        gc.enable()
    _say(
        f"  garbage collector: one /tonghop {_ms(total)}, of which collections {described}; with gc off {_ms(without)}"
    )


async def profile_one(app: App) -> None:
    """cProfile of one warm /tonghop call, and the time of each SQL statement it ran."""
    statements: list[tuple[float, int, str]] = []
    starts: dict[int, float] = {}

    def before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        starts[id(cursor)] = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        rows = getattr(cursor, "rowcount", -1)
        statements.append((time.perf_counter() - starts.pop(id(cursor), time.perf_counter()), rows, statement))

    engine = app.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    await app.core.handle(_incoming(f"/tonghop {DUTY_KEY}"))
    profiler.disable()
    total = time.perf_counter() - started
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    # execute() only: fetching the rows (and building ORM objects) is counted in Python below.
    _say(f"  profile: one /tonghop {total * 1000:.0f} ms (under cProfile); SQL execute() time per statement:")
    for seconds, _rows, statement in statements:
        flat = " ".join(statement.split())
        _say(f"    {_ms(seconds)}  {flat[:150]}{'…' if len(flat) > 150 else ''}")
    _say(f"    {_ms(sum(s for s, _r, _st in statements))}  in {len(statements)} statements")
    for order in ("tottime", "cumulative"):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(order).print_stats(20)
        lines = buffer.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        _say(f"  cProfile, top 20 by {order}:")
        for line in lines[start:]:
            if line.strip():
                _say(f"    {line}")


async def profile_export(app: App) -> None:
    """cProfile of one /xuat call: the top entries by own time."""
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    await app.core.handle(_incoming(f"/xuat {DUTY_KEY}"))
    profiler.disable()
    _say(f"  profile: one /xuat {time.perf_counter() - started:.1f} s (under cProfile), top 12 by tottime:")
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats("tottime").print_stats(12)
    lines = buffer.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    for line in lines[start:]:
        if line.strip():
            _say(f"    {line}")


async def reset_postgres() -> bool:
    """Create nhacviec_bench if missing and empty its public schema; False when PostgreSQL does not answer."""
    import asyncpg

    try:
        admin = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        _say(f"postgresql: skipped, {PG_ADMIN_URL} does not answer ({type(exc).__name__}: {exc})")
        return False
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", PG_DB):
            await admin.execute(f'CREATE DATABASE "{PG_DB}"')
    finally:
        await admin.close()
    assert PG_DB != "test"
    connection = await asyncpg.connect(PG_URL, timeout=5)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()
    return True


async def run_backend(backend: str, args: argparse.Namespace, folder: Path) -> list[str]:
    """Seed, measure, check; returns the targets missed."""
    if backend == "postgresql":
        if not await reset_postgres():
            return []
        url = PG_URL
    else:
        url = f"sqlite:///{folder / 'bench-summary.db'}"
    plan = write_plan(folder, args.units)
    settings = load_settings(database_url=url, admins=ADMIN_ID, plan=str(plan))
    _say(f"\n== {backend}: {args.units:,} units, {args.officials:,} officials, {args.updates:,} status updates ==")
    missed = []
    started = time.perf_counter()
    async with running(settings, clock=FakeClock(NOW)) as app:
        plan_s = time.perf_counter() - started
        started = time.perf_counter()
        seeded = await seed(
            app,
            n_units=args.units,
            n_officials=args.officials,
            n_updates=args.updates,
            postgres=backend == "postgresql",
        )
        seed_s = time.perf_counter() - started
        counts = ", ".join(f"{n:,} {table}" for table, n in seeded["counts"].items())
        _say(
            f"  plan loaded in {plan_s:.1f} s; seeded in {seed_s:.1f} s ({counts}; {seeded['occurrences']} occurrences)"
        )
        mix = ", ".join(f"{status} {n:,}" for status, n in seeded["statuses"].most_common())
        latest = ", ".join(f"{status} {n:,}" for status, n in seeded["target_latest"].most_common())
        _say(f"  statuses of all updates: {mix}")
        silent = args.units - sum(seeded["target_latest"].values())
        _say(f"  latest status per unit for {DUTY_KEY}: {latest}; {silent:,} units never reported")
        _say(f"  units whose every account is unreachable: {seeded['dark_units']}; about 1% of other accounts too")
        if backend == "sqlite":
            _say(f"  database file: {(folder / 'bench-summary.db').stat().st_size / 1e6:.0f} MB")
        if args.gc_freeze:  # as `nhacviec run` does once started (bot/app.py, serve), before any message
            gc.collect()
            gc.freeze()
        _say(f"  load: {_uptime()}; gc.freeze() before measuring: {'yes' if args.gc_freeze else 'no'}")
        await baselines(app, seeded["occurrence_id"])

        times, first_s, what = await summary_runs(app, args.runs, args.units)
        p50, p90, worst = statistics.median(times), _quantile(times, 0.9), max(times)
        ok = p50 < SUMMARY_P50
        _say(f"  /tonghop {DUTY_KEY}: first call {_ms(first_s)} (registers the admin, fills the cache)")
        _say(
            f"  /tonghop {DUTY_KEY}: p50 {_ms(p50)}  p90 {_ms(p90)}  max {_ms(worst)}  over {len(times)} calls"
            f"  -> target p50 < {SUMMARY_P50 * 1000:.0f} ms: {'met' if ok else 'MISSED'}"
        )
        _say(f"    {what}")
        if not ok:
            missed.append(f"{backend} /tonghop p50 {p50 * 1000:.0f} ms >= {SUMMARY_P50 * 1000:.0f} ms")

        export_times, size = await export_runs(app, args.export_runs, args.units)
        worst_export = max(export_times)
        ok = worst_export < EXPORT_MAX
        each = ", ".join(f"{t:.2f} s" for t in export_times)
        _say(
            f"  /xuat {DUTY_KEY}: {each} (slowest {worst_export:.2f} s); {size / 1024:,.0f} KiB, "
            f"{args.units:,} unit rows checked with openpyxl"
            f"  -> target < {EXPORT_MAX:.0f} s: {'met' if ok else 'MISSED'}"
        )
        if not ok:
            missed.append(f"{backend} /xuat {worst_export:.2f} s >= {EXPORT_MAX:.0f} s")
        late_times, late_answer = await overdue_runs(app, args.export_runs)
        _say(
            f"  /quahan: {', '.join(_ms(t) for t in late_times)} (no target); "
            f"{late_answer.count(chr(10)) + 1:,} lines, {len(late_answer):,} characters"
        )
        _say(f"  load: {_uptime()}")
        if args.profile:
            await stages(app)
            await collections(app)
            await profile_one(app)
            await profile_export(app)
    if args.gc_freeze:
        gc.unfreeze()
    return missed


async def main(args: argparse.Namespace) -> int:
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    missed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nhacviec-bench-summary-") as tmp:
        for backend in backends:
            missed += await run_backend(backend, args, Path(tmp))
    _say()
    if missed:
        _say("targets missed: " + "; ".join(missed))
        return 1
    _say("all targets met")
    return 0


def _positive(text_: str) -> int:
    value = int(text_)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--units", type=_positive, default=10_000)
    parser.add_argument("--officials", type=_positive, default=100_000)
    parser.add_argument("--updates", type=_positive, default=1_000_000)
    parser.add_argument("--runs", type=_positive, default=20, help="measured /tonghop calls (after one warm-up)")
    parser.add_argument("--export-runs", type=_positive, default=3)
    parser.add_argument("--profile", action="store_true", help="also profile one /tonghop call and one /xuat")
    parser.add_argument(
        "--no-gc-freeze",
        dest="gc_freeze",
        action="store_false",
        help="skip the gc.freeze() that `nhacviec run` does once started (to see what it is worth)",
    )
    sys.exit(asyncio.run(main(parser.parse_args())))
