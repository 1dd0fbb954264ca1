"""The FakeStore itself (tests/fakes/store.py): it replaces every operation of the Store, its unit of
work is all or nothing, and its writes keep the rules the SQL keeps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from storage.models import Invitation, Occurrence, Person, StatusUpdate
from storage.store import Store
from storage.store_reads import Reads
from tests.fakes.seed import seed
from tests.fakes.store import FakeStore
from tests.fakes.store_reads import FakeReads
from tests.fakes.store_tasks import FakeTasks
from tests.fakes.tables import ForeignKeyViolation, UniqueViolation

NOW = datetime(2025, 1, 6, 2, 0, tzinfo=UTC)


def _fake() -> FakeStore:
    """The seeded plan's units and duties, three persons (1, 2, 3) and an occurrence (1) of the plan's first duty."""
    fake = FakeStore()
    seed(fake)
    for name in ("An", "Bình", "Chi"):
        fake.tables.insert("persons", Person(display_name=name, created_at=NOW))
    day = date(2025, 1, 10)
    fake.tables.insert("occurrences", Occurrence(duty_id=1, nominal=day, aim_day=day, legal_last_day=day))
    return fake


def test_every_operation_of_the_store_is_replaced() -> None:
    """No base method is reachable: one left over would use a session the fake does not have."""
    names = {name for base in (Store, Reads) for name in vars(base) if not name.startswith("__")}
    assert {"opened", "record_status", "identity", "units", "_write"} <= names
    replaced = set(vars(FakeStore)) | set(vars(FakeReads)) | set(vars(FakeTasks))
    assert names - replaced == set()


async def test_the_session_is_not_there() -> None:
    fake = FakeStore()
    with pytest.raises(AssertionError, match="a Store method is not faked"):
        await Reads.unit(fake, 1)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.occurrence_reports(),
        lambda s: s.audience_revision(),
        lambda s: s.unreachable_units(),
        lambda s: s.units_done(occurrence_ids=[1]),
        lambda s: s.load_latest([]),
        lambda s: s.load_details([]),
        lambda s: s.submissions(occurrence_id=1, unit_ids=[1]),
    ],
)
async def test_the_reports_queries_say_where_they_are_tested(call: Any) -> None:
    with pytest.raises(NotImplementedError, match="tested on SQLite and PostgreSQL in tests/integration"):
        await call(FakeStore())


async def _invite(fake: FakeStore, **values: Any) -> Invitation:
    row = {"code_hash": "h", "unit_id": 1, "role": "official", "created_by": "telegram:1", "created_at": NOW}
    return await fake.add_invitation(**(row | {"expires_at": NOW + timedelta(days=7)} | values))


async def test_a_committed_unit_of_work_is_kept() -> None:
    fake = _fake()
    async with fake.opened() as store:
        await _invite(store)  # type: ignore[arg-type]
        await store.commit()
    assert list(fake.tables.invitations) == [1]
    assert fake.commits == 1


async def test_an_uncommitted_or_failed_unit_of_work_leaves_nothing() -> None:
    fake = _fake()
    async with fake.opened() as store:
        await _invite(fake)
        await store.commit()
        await fake.claim_invitation(invitation_id=1, now=NOW)  # after the commit: not kept
    with pytest.raises(RuntimeError, match="the handler failed"):
        await _failing_unit_of_work(fake)
    assert list(fake.tables.invitations) == [1]
    assert fake.tables.invitations[1].used_at is None
    assert fake.tables.last_ids["invitations"] == 1  # as SQLite, the next row takes the id again
    assert fake.commits == 1


async def _failing_unit_of_work(fake: FakeStore) -> None:
    async with fake.opened():
        await _invite(fake, code_hash="other")
        raise RuntimeError("the handler failed")


async def test_writes_need_a_unit_of_work_and_one_runs_at_a_time() -> None:
    fake = _fake()
    with pytest.raises(AssertionError, match="outside a unit of work"):
        await _invite(fake)
    async with fake.opened():
        with pytest.raises(AssertionError, match="one unit of work at a time"):
            async with fake.opened():
                pass


async def test_what_a_read_returns_is_a_copy() -> None:
    fake = _fake()
    async with fake.opened() as store:
        invitation = await _invite(fake)
        invitation.revoked_at = NOW  # not asked of the store: not written
        assert (await fake.invitation_by_hash(code_hash="h")) == fake.tables.invitations[1]
        await store.commit()
    assert fake.tables.invitations[1].revoked_at is None


async def test_an_invitation_is_claimed_once_and_only_while_it_may_be() -> None:
    fake = _fake()
    async with fake.opened():
        await _invite(fake, code_hash="a")
        await _invite(fake, code_hash="b", expires_at=NOW)
        await fake.revoke_invitation(await _invite(fake, code_hash="c"), now=NOW)
        assert await fake.claim_invitation(invitation_id=1, now=NOW)
        assert not await fake.claim_invitation(invitation_id=1, now=NOW)
        assert not await fake.claim_invitation(invitation_id=2, now=NOW)  # expires_at > now is wanted
        assert not await fake.claim_invitation(invitation_id=3, now=NOW)
        assert not await fake.claim_invitation(invitation_id=99, now=NOW)
        with pytest.raises(UniqueViolation):
            await _invite(fake, code_hash="a")


async def _update(fake: FakeStore, after: Any = "latest", **values: Any) -> StatusUpdate | None:
    row = {"occurrence_id": 1, "unit_id": 1, "status": "in_progress", "channel": "telegram", "at": NOW}
    return await fake.record_status(after=after, **(row | {"person_id": 1} | values))


async def test_an_update_is_not_written_twice() -> None:
    """As storage.status._appending: not when an update newer than the one the writer saw says the same."""
    fake = _fake()
    async with fake.opened() as store:
        first = await _update(fake, percent=60, expected_date=date(2025, 1, 8))
        assert first is not None
        assert first.seq == 1
        assert await _update(fake, after=None, percent=60, expected_date=date(2025, 1, 8)) is None
        assert await _update(fake, after=None, percent=60) is not None  # another expected date
        assert await _update(fake, person_id=2, percent=60) is not None  # another person
        done = await _update(fake, status="done", person_id=2)
        assert done is not None
        assert await _update(fake, after=first, status="done", person_id=3) is None  # done after done, anyone's
        assert (await _update(fake, status="done", person_id=3, unit_id=2)).seq == 1  # type: ignore[union-attr]
        await store.commit()
    assert [(u.unit_id, u.seq, u.status) for u in fake.tables.updates.values()] == [
        (1, 1, "in_progress"),
        (1, 2, "in_progress"),
        (1, 3, "in_progress"),
        (1, 4, "done"),
        (2, 1, "done"),
    ]


async def test_a_row_naming_no_row_is_refused() -> None:
    """Both databases enforce foreign keys: a row remembered after its unit of work was rolled back
    (an occurrence's id, say) would fail there, and fails here."""
    fake = _fake()
    async with fake.opened():
        with pytest.raises(ForeignKeyViolation, match=r"status_update\.occurrence_id: no occurrence 2"):
            await _update(fake, occurrence_id=2)
        with pytest.raises(ForeignKeyViolation, match=r"invitation\.unit_id: no unit 99"):
            await _invite(fake, unit_id=99)
