"""Storage on a real database: migrations, the plan file, time zones."""

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.settings import SHIPPED_PLAN
from storage import db, people
from storage.models import Duty, Official, Person, Unit
from storage.plan import holiday_overrides, load_plan
from storage.plan_file import PlanError, read_plan
from storage.store import Store


async def test_migrations_match_the_models(database_url: str) -> None:
    async with db.opened(database_url) as engine, engine.connect() as conn:
        diff = await conn.run_sync(lambda sync: compare_metadata(MigrationContext.configure(sync), SQLModel.metadata))
    assert diff == []


async def test_upgrade_twice_is_harmless(database_url: str) -> None:
    async with db.opened(database_url) as engine:
        await db.upgrade(engine)


async def test_datetimes_come_back_aware_and_in_utc(database_url: str) -> None:
    hanoi = timezone(timedelta(hours=7))
    async with db.opened(database_url) as engine:
        sessions = db.session_factory(engine)
        async with sessions() as session:
            session.add(Person(display_name="A", created_at=datetime(2025, 1, 2, 8, 0, tzinfo=hanoi)))
            await session.commit()
        async with sessions() as session:
            person = (await session.exec(select(Person))).one()
    assert person.created_at == datetime(2025, 1, 2, 1, 0, tzinfo=UTC)
    assert person.created_at.tzinfo is not None


async def test_naive_datetimes_are_refused(database_url: str) -> None:
    async with db.opened(database_url) as engine, db.session_factory(engine)() as session:
        session.add(Person(display_name="A", created_at=datetime(2025, 1, 2, 8, 0)))  # noqa: DTZ001
        with pytest.raises(Exception, match="naive datetime"):
            await session.commit()


async def test_the_shipped_plan_loads_once_and_reloads_without_changes(database_url: str) -> None:
    spec = read_plan(SHIPPED_PLAN)
    async with db.opened(database_url) as engine, db.session_factory(engine)() as session:
        first = await load_plan(session, spec)
        second = await load_plan(session, spec)
        units = await people.units(session)
    assert len(first.added_units) == 28  # 16 xã/phường, 11 phòng, the Văn phòng
    assert len(first.added_duties) == 4
    assert second == type(second)()
    assert len(units) == 28
    my_hao = next(unit for unit in units if unit.key == "my-hao")
    ban_yen_nhan = next(unit for unit in units if unit.key == "ban-yen-nhan")
    assert ban_yen_nhan.successors == ["my-hao"]
    assert my_hao.stat_code == ban_yen_nhan.stat_code == "12103"  # a code alone is not a key


async def test_editing_the_plan_updates_in_place_and_keeps_officials(database_url: str, tmp_path: Path) -> None:
    original = SHIPPED_PLAN.read_text(encoding="utf-8")
    edited = tmp_path / "plan.toml"
    # rename a unit, drop a department, move a deadline
    text = original.replace('name = "Phòng Kinh tế"', 'name = "Phòng Kinh tế, Hạ tầng và Đô thị"')
    text = text.replace('"kinh-te", ', "").replace(', "kinh-te"', "")
    text = text.replace(
        '[[units]]\nkey = "kinh-te"\nname = "Phòng Kinh tế, Hạ tầng và Đô thị"\nshort = "Kinh tế"\nkind = "phong"\n'
        "valid_to = 2025-06-30\n\n",
        "",
    )
    text = text.replace('kind = "monthly", day = 20', 'kind = "monthly", day = 25')
    text = text.replace('name = "Phòng Nội vụ"', 'name = "Phòng Nội vụ (mới)"')
    edited.write_text(text, encoding="utf-8")
    now = datetime(2025, 1, 2, tzinfo=UTC)
    async with db.opened(database_url) as engine, db.session_factory(engine)() as session:
        await load_plan(session, read_plan(SHIPPED_PLAN))
        noi_vu = await people.unit_by_key(session, key="noi-vu")
        assert noi_vu is not None
        person = Person(display_name="B", created_at=now)
        session.add(person)
        await session.flush()
        session.add(Official(person_id=person.id or 0, unit_id=noi_vu.id or 0, role="official", created_at=now))
        await session.commit()

        changes = await load_plan(session, read_plan(edited))
        assert changes.updated_units == ["noi-vu"]
        assert changes.retired_units == ["kinh-te"]
        assert changes.updated_duties == ["bao-cao-thang-cam-ket"]
        assert changes.changed_groups == ["phong-ban", "theo-doi-cam-ket"]  # without kinh-te
        assert (changes.added_days, changes.updated_days, changes.removed_days) == ([], [], [])

        units = {unit.key: unit for unit in await people.units(session, in_plan_only=False)}
        assert units["noi-vu"].name == "Phòng Nội vụ (mới)"
        assert units["noi-vu"].id == noi_vu.id
        assert units["kinh-te"].in_plan is False
        assert "kinh-te" not in {unit.key for unit in await people.units(session)}
        officials = await people.active_officials(session, unit_id=noi_vu.id or 0)
        assert [view.person.display_name for view in officials] == ["B"]
        monthly = (await session.exec(select(Duty).where(Duty.key == "bao-cao-thang-cam-ket"))).one()
        assert monthly.rule["day"] == 25
        duties = await people.duties_for_unit(session, unit_id=noi_vu.id or 0)
        assert "bao-cao-thang-cam-ket" in {duty.key for duty in duties}


async def test_duties_apply_by_group(database_url: str) -> None:
    async with db.opened(database_url) as engine, db.session_factory(engine)() as session:
        await load_plan(session, read_plan(SHIPPED_PLAN))
        by_key = {unit.key: unit for unit in await people.units(session)}

        async def duties(key: str) -> list[str]:
            return [d.key for d in await people.duties_for_unit(session, unit_id=by_key[key].id or 0)]

        assert await duties("ban-yen-nhan") == ["ke-hoach-2025", "bao-cao-6-thang", "bao-cao-nam"]
        assert await duties("noi-vu") == ["ke-hoach-2025", "bao-cao-thang-cam-ket", "bao-cao-6-thang", "bao-cao-nam"]
        assert await duties("van-phong") == []
        overrides = await holiday_overrides(session)
    assert overrides == {datetime(2026, 1, 2).date(): True, datetime(2026, 1, 10).date(): False}  # noqa: DTZ001


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (lambda t: t.replace('successors = ["my-hao"]', 'successors = ["nowhere"]', 1), "unknown successor 'nowhere'"),
        (lambda t: t.replace('groups = ["theo-doi-cam-ket"]', 'groups = ["typo"]'), "unknown group 'typo'"),
        (lambda t: t.replace("day = 20,", "day = 32,"), "less than or equal to 31"),
        (lambda t: t.replace('key = "noi-vu"', 'key = "ban-yen-nhan"'), "unit keys used twice: ban-yen-nhan"),
        (lambda t: t.replace("[plan]", "[plan\n"), "is not valid TOML"),
        (lambda t: t.replace('kind = "once", date = 2025-01-10', 'kind = "once"'), "a 'once' deadline needs a date"),
        (lambda t: t + "\nsurprise = 1\n", "Extra inputs are not permitted"),
        (
            lambda t: t.replace("day = 20, inclusive = false,", "day = 20, year = 2025, inclusive = false,"),
            "duties.1.deadline: year is for a yearly deadline only, not a monthly one",
        ),
        (
            lambda t: t.replace("year = 2025, inclusive", "year = 2026, until = 2025-12-31, inclusive", 1),
            "duties.2.deadline: the deadline never falls between 2026-01-01 and 2025-12-31",
        ),
        (
            lambda t: t.replace('office_unit = "van-phong"', 'office_unit = "noi-vu"'),
            "plan.office_unit: unit 'noi-vu' must have kind = 'van-phong'",
        ),
        (
            lambda t: t.replace("valid_from = 2025-07-01", "valid_from = 2025-07-01\nvalid_to = 2025-06-30", 1),
            "units.13: valid_to (2025-06-30) is before valid_from (2025-07-01)",
        ),
    ],
)
def test_a_broken_plan_file_is_explained(tmp_path: Path, mutation, message: str) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "plan.toml"
    broken.write_text(mutation(SHIPPED_PLAN.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(PlanError, match=r"plan\.toml") as caught:
        read_plan(broken)
    assert message in str(caught.value)


def test_a_missing_plan_file_is_explained(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="cannot read the plan file"):
        read_plan(tmp_path / "nothing.toml")


async def test_an_unreachable_database_is_one_sentence() -> None:
    with pytest.raises(db.DatabaseError) as caught:
        async with db.opened("postgresql://nobody:PASSWORD@127.0.0.1:1/none"):
            pass
    assert str(caught.value) == (
        "cannot reach the database at 127.0.0.1:1: connection refused; check NHACVIEC_DATABASE_URL"
    )


def test_unsupported_database_urls_are_refused() -> None:
    with pytest.raises(db.DatabaseError, match="unsupported database 'mysql'"):
        db.async_url("mysql://root@localhost/test")
    with pytest.raises(db.DatabaseError, match="not a database URL"):
        db.async_url("not a url")
    assert db.async_url("postgresql://u@h/d").startswith("postgresql+asyncpg://")


async def test_units_keep_their_json_lists(database_url: str) -> None:
    async with db.opened(database_url) as engine, db.session_factory(engine)() as session:
        await load_plan(session, read_plan(SHIPPED_PLAN))
        unit = (await session.exec(select(Unit).where(Unit.key == "tai-nguyen-moi-truong"))).one()
    assert unit.aliases == ["TNMT", "TN&MT", "Tài nguyên Môi trường"]


async def test_unit_status_follows_every_update_and_the_migration_fills_it(database_url: str) -> None:
    """A trigger moves `unit_status` on each insert into `status_update`; the summary reads only it."""
    from datetime import date

    from storage import outbox
    from storage.models import StatusUpdate, UnitStatus
    from storage.store import Store

    async with db.opened(database_url) as engine, db.session_factory(engine)() as session:
        await load_plan(session, read_plan(SHIPPED_PLAN))
        duty = (await session.exec(select(Duty))).first()
        units = (await people.units(session))[:3]
        assert duty is not None
        days = [date(2025, 1, 10), date(2025, 2, 20)]
        occurrences = [
            await outbox.ensure_occurrence(
                session, duty_id=duty.id or 0, nominal=day, aim_day=day, legal_last_day=day, inclusive=False
            )
            for day in days
        ]
        at = datetime(2025, 1, 6, 2, 0, tzinfo=UTC)
        steps = ["not_started", "in_progress", "done"]
        store = Store(session)
        for occurrence in occurrences:
            for index, unit in enumerate(units):
                for step in steps[: index + 1]:
                    await store.record_status(
                        occurrence_id=occurrence.id, unit_id=unit.id, status=step, channel="console", at=at
                    )
        # a second unit of the first occurrence goes back to work after "done": the newest wins
        await store.record_status(
            occurrence_id=occurrences[0].id,
            unit_id=units[2].id,
            status="in_progress",
            channel="console",
            at=at,
        )
        await store.commit()
        kept = {
            (row.occurrence_id, row.unit_id): (row.update_id, row.status) for row in await _all(session, UnitStatus)
        }
        latest: dict[tuple[int, int], tuple[int, str]] = {}
        for update in await _all(session, StatusUpdate):
            latest[(update.occurrence_id, update.unit_id)] = (update.id or 0, update.status)
        assert kept == latest
        assert kept[(occurrences[0].id, units[2].id)][1] == "in_progress"
        assert kept[(occurrences[1].id, units[2].id)][1] == "done"
        assert len(kept) == 6

        # downgraded below 0007 and upgraded again, the table is filled from the history
        connection = await session.connection()
        await connection.run_sync(lambda sync: db.command.downgrade(db._alembic_config(sync), "0006"))
        await connection.run_sync(lambda sync: db.command.upgrade(db._alembic_config(sync), "head"))
        await session.commit()
        refilled = {
            (row.occurrence_id, row.unit_id): (row.update_id, row.status) for row in await _all(session, UnitStatus)
        }
        assert refilled == latest


async def _all(session, model):  # type: ignore[no-untyped-def]
    return list((await session.exec(select(model).order_by(*model.__table__.primary_key.columns))).all())


async def test_the_audience_revision_moves_with_units_officials_and_accounts(database_url: str) -> None:
    from sqlalchemy import update

    from storage.models import ChannelAccount
    from storage.summary import audience_revision

    async with db.opened(database_url) as engine, db.session_factory(engine)() as session:
        start = await audience_revision(session)
        await load_plan(session, read_plan(SHIPPED_PLAN))  # units added
        after_plan = await audience_revision(session)
        assert after_plan > start
        now = datetime(2025, 1, 6, 2, 0, tzinfo=UTC)
        person, _account = await people.ensure_person(
            session, channel="telegram", user_id="77", chat_id="77", display_name="Lan", username=None, now=now
        )
        await session.commit()
        after_account = await audience_revision(session)
        assert after_account > after_plan
        unit = (await people.units(session))[0]
        session.add(Official(person_id=person.id or 0, unit_id=unit.id or 0, role="official", created_at=now))
        await session.commit()
        after_official = await audience_revision(session)
        assert after_official > after_account
        await session.exec(update(ChannelAccount).values(unreachable_reason="blocked"))  # type: ignore[call-overload]
        await session.commit()
        assert await audience_revision(session) > after_official
        unchanged = await audience_revision(session)
        assert await audience_revision(session) == unchanged  # reading moves nothing


async def test_a_sqlite_connection_comes_back_to_the_pool_without_an_open_write(tmp_path: Path) -> None:
    """The pool rolls back only what is still open (SQLite says so), and what was committed stays."""
    async with db.opened(f"sqlite:///{tmp_path / 'pool.db'}") as engine:
        async with engine.begin() as conn:
            await conn.exec_driver_sql("CREATE TABLE note (body TEXT)")
        async with engine.connect() as conn:
            raw = (await conn.get_raw_connection()).driver_connection
            assert raw is not None
            await raw.execute("INSERT INTO note VALUES ('left open')")  # behind SQLAlchemy's back
            assert raw.in_transaction
        async with db.session_factory(engine)() as session:
            await session.exec(text("INSERT INTO note VALUES ('committed')"))  # type: ignore[call-overload]
            await session.commit()
        # every pooled connection can write at once: none still holds SQLite's write lock
        for _ in range(8):
            async with engine.begin() as conn:
                await conn.exec_driver_sql("INSERT INTO note VALUES ('later')")
        async with engine.connect() as conn:
            bodies = (await conn.exec_driver_sql("SELECT body FROM note ORDER BY rowid")).scalars().all()
    assert bodies == ["committed"] + ["later"] * 8


async def test_sqlite_writers_of_one_process_take_turns(tmp_path: Path) -> None:
    """So they queue in the process instead of sleeping in SQLite's busy handler."""
    inside, most = 0, 0

    async def write(sessions: async_sessionmaker[AsyncSession]) -> None:
        nonlocal inside, most
        async with Store.opened(sessions) as store:
            await store.audit(at=datetime(2025, 1, 6, tzinfo=UTC), actor="test", action="turn")
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.01)
            inside -= 1
            await store.commit()

    async with db.opened(f"sqlite:///{tmp_path / 'turns.db'}") as engine:
        await asyncio.gather(*(write(db.session_factory(engine)) for _ in range(5)))
    assert most == 1
