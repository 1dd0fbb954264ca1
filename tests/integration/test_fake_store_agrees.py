"""The FakeStore (tests/fakes/store.py) answers as the SQL store does: the same operations, played on a
Store on the database and on a FakeStore seeded with the same plan, give the same results.

The core's rules are tested on the fake (tests/unit/test_core_rules.py); this keeps the fake honest.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from storage import db
from storage.plan import load_plan
from storage.plan_file import read_plan
from storage.store import Store, StoreFactory
from tests.fakes.seed import SHIPPED_PLAN, seed
from tests.fakes.store import FakeStore

NOW = datetime(2025, 1, 6, 2, 0, tzinfo=UTC)
DAY = date(2025, 1, 10)


@pytest.fixture
async def sql(database_url: str) -> AsyncIterator[StoreFactory]:
    async with db.opened(database_url) as engine:
        sessions = db.session_factory(engine)
        async with sessions() as session:
            await load_plan(session, read_plan(SHIPPED_PLAN))
        yield Store.factory(sessions)


def fake() -> StoreFactory:
    store = FakeStore()
    seed(store, tuple(unit.key for unit in read_plan(SHIPPED_PLAN).units))  # every unit: the same ids
    return store.opened


async def _people(stores: StoreFactory) -> list[Any]:
    async with stores() as s:
        lan, account = await s.ensure_person(
            channel="telegram", user_id="2002", chat_id="2002", display_name="Lan", username=None, now=NOW
        )
        again, _same = await s.ensure_person(
            channel="telegram", user_id="2002", chat_id="77", display_name="Other", username="lan", now=NOW
        )
        office, _ = await s.ensure_person(
            channel="zalo", user_id="z1", chat_id="z1", display_name="VP", username=None, now=NOW
        )
        await s.add_official(person_id=lan.id, unit_id=1, role="official", created_at=NOW)
        await s.add_official(person_id=office.id, unit_id=28, role="office", created_at=NOW)
        gone = await s.add_official(person_id=lan.id, unit_id=2, role="head", created_at=NOW)
        await s.end_official(gone, now=NOW)
        await s.set_locale(person_id=lan.id or 0, locale="en")
        await s.commit()
    async with stores() as s:
        me = await s.identity(channel="telegram", user_id="2002")
        stranger = await s.identity(channel="telegram", user_id="404", latest_of=[1])
        return [
            (stranger.person, stranger.memberships, stranger.stored_admin, stranger.latest),
            (len(await s.units()), len(await s.units(in_plan_only=False)), getattr(await s.unit(28), "key", None)),
            (lan.id, again.id, account.id, again.display_name),
            [(a.chat_id, a.username) for a in await s.accounts_of(person_id=lan.id or 0)],
            (me.person.locale if me.person else None, [(m.unit.key, m.official.role) for m in me.memberships]),
            await s.official_counts(),
            [(v.person.display_name, v.unit.key, len(v.accounts)) for v in await s.active_officials()],
            [a.user_id for a in await s.office_accounts(admins=["telegram:2002", "telegram:404"])],
            (await s.office_unit_id(), [d.key for d in await s.duties_for_unit(unit_id=1)]),
            [(d.key, len(units)) for d, units in await s.plan_duties()],
        ]


async def _invitations(stores: StoreFactory) -> list[Any]:
    week = NOW + timedelta(days=7)
    async with stores() as s:
        for code, expires in (("a", week), ("b", NOW), ("c", week), ("d", week)):
            await s.add_invitation(
                code_hash=code, unit_id=3, role="official", created_by="telegram:1", created_at=NOW, expires_at=expires
            )
        revoked = await s.invitation_by_hash(code_hash="c")
        assert revoked is not None
        await s.revoke_invitation(revoked, now=NOW)
        claims = [await s.claim_invitation(invitation_id=number, now=NOW) for number in (1, 1, 2, 3, 99)]
        await s.invitation_used_by(invitation_id=1, person_id=1)
        for minutes in (3, 1, 2):
            await s.audit(at=NOW - timedelta(minutes=minutes), actor="telegram:5", action="register_failed")
        await s.audit(at=NOW, actor="telegram:5", action="invite", until=DAY.isoformat())
        await s.commit()
    async with stores() as s:
        used = await s.invitation_by_hash(code_hash="a")
        return [
            claims,
            (used.used_at, used.used_by_person_id) if used else None,
            [(inv.code_hash, unit.key) for inv, unit in await s.pending_invitations(now=NOW - timedelta(seconds=1))],
            await s.failed_codes(actor="telegram:5", since=NOW - timedelta(minutes=2, seconds=30)),
        ]


async def _updates(stores: StoreFactory) -> list[Any]:
    async with stores() as s:
        occurrence, kept = await s.occurrence(
            duty_id=1, nominal=DAY, aim_day=DAY, legal_last_day=DAY - timedelta(days=1)
        )
        same, kept_again = await s.occurrence(
            duty_id=1, nominal=DAY, aim_day=DAY, legal_last_day=DAY - timedelta(days=1)
        )
        assert kept  # the plan's row is written apart, committed at once
        assert kept_again
        row: dict[str, Any] = {"occurrence_id": occurrence.id, "unit_id": 1, "channel": "telegram", "at": NOW}
        first = await s.record_status(after=None, **row, status="in_progress", person_id=1, percent=60)
        written = [
            first,
            await s.record_status(after=None, **row, status="in_progress", person_id=1, percent=60),
            await s.record_status(**row, status="in_progress", person_id=1, percent=60),  # after the newest
            await s.record_status(after=first, **row, status="in_progress", person_id=2, percent=60),
            await s.record_status(**row, status="done", person_id=2),
            await s.record_status(after=first, **row, status="done", person_id=1),  # done after done
            await s.record_status(**row | {"unit_id": 2}, status="done", person_id=1, raw_text="x" * 3000),
        ]
        await s.commit()
    async with stores() as s:
        me = await s.identity(channel="telegram", user_id="2002", latest_of=[occurrence.id or 0])
        return [
            (occurrence.id, same.id),
            [(u.seq, u.status, u.person_id, len(u.raw_text)) if u else None for u in written],
            me.latest.updates[(occurrence.id or 0, 1)].seq if me.latest else None,
            {pair: u.seq for pair, u in (await s.latest_statuses(pairs=[(occurrence.id or 0, 1), (9, 9)])).items()},
            [
                (line.update.seq, line.duty.key, line.person.display_name if line.person else None)
                for line in await s.unit_history(unit_id=1, limit=3)
            ],
            (last.seq, last.unit_id) if (last := await s.last_update_by(person_id=1)) else None,
        ]


async def _requests(stores: StoreFactory) -> list[Any]:
    async with stores() as s:
        draft = await s.add_draft(account_id=1, text="ok", status="unclear", created_at=NOW)
        drafts = [bool(await s.take_draft(draft_id=draft.id or 0, account_id=a, now=NOW)) for a in (2, 1, 1)]
        extension = await s.add_extension(occurrence_id=1, unit_id=1, requested_at=NOW, until=DAY)
        decided = [
            await s.decide_extension(extension_id=extension.id or 0, decision=d, person_id=2, now=NOW)
            for d in ("granted", "refused")
        ]
        evidence = await s.add_evidence(
            occurrence_id=1, unit_id=1, channel="telegram", kind="document", file_id="F", file_name="n" * 400, at=NOW
        )
        received = [bool(await s.mark_received(evidence_id=evidence.id or 0, person_id=2, now=NOW)) for _ in "12"]
        await s.commit()
    async with stores() as s:
        return [
            drafts,
            [(e.decision, e.decided_by) if e else None for e in decided],
            (len(evidence.file_name), received),
            await s.granted_days(unit_id=1, since=DAY),
            await s.granted_days(unit_id=1, since=DAY + timedelta(days=1)),
        ]


async def _outbox_and_traffic(stores: StoreFactory) -> list[Any]:
    base = {"occurrence_id": 1, "unit_id": 1, "account_id": 1, "audience": "official", "due_at": NOW}
    base |= {"next_attempt_at": NOW, "created_at": NOW}
    async with stores() as s:
        added = [
            await s.add_reminders([base | {"step": "-3w", "local_day": DAY}]),
            await s.add_reminders([base | {"step": "-3w", "local_day": DAY + timedelta(days=1)}]),  # same step
            await s.add_reminders([base | {"step": "-1w", "local_day": DAY}]),  # same day
            await s.add_reminders([base | {"step": "-1w"}, base | {"step": "0", "local_day": DAY + timedelta(1)}]),
        ]
        deliveries = [await s.first_delivery(channel="zalo", message_id=m, now=NOW) for m in ("m1", "m1", "m2")]
        later = NOW + timedelta(days=8)
        deliveries.append(await s.first_delivery(channel="zalo", message_id="m3", now=later))  # forgets m1, m2
        deliveries.append(await s.first_delivery(channel="zalo", message_id="m1", now=later))
        counts = [await s.count_sent(channel="zalo", month="2025-01", messages=n) for n in (2, 3)]
        await s.commit()
    async with stores() as s:
        context = await s.reminder_context(reminder_id=1)
        return [
            added,
            deliveries,
            counts,
            await s.sent_in_month(channel="zalo", month="2025-01"),
            (context.unit.key, context.duty.key, context.reminder.step) if context else None,
        ]


async def _fails(stores: StoreFactory, work: Callable[[Store], Awaitable[Any]]) -> str:
    """What becomes of a unit of work the database should refuse."""
    try:
        async with stores() as s:
            await work(s)
            await s.commit()
    except Exception:
        return "refused"
    return "kept"


async def _decided_by_nobody(s: Store) -> None:
    extension = await s.add_extension(occurrence_id=1, unit_id=2, requested_at=NOW, until=DAY)
    assert await s.decide_extension(extension_id=extension.id or 0, decision="granted", person_id=99, now=NOW)


async def _refusals(stores: StoreFactory) -> list[str]:
    row: dict[str, Any] = {"unit_id": 1, "status": "done", "channel": "telegram"}
    account = {"person_id": 1, "channel": "telegram", "user_id": "2002", "chat_id": "2"}
    return [
        await _fails(stores, lambda s: s.record_status(occurrence_id=99, **row, at=NOW)),  # no such occurrence
        await _fails(stores, _decided_by_nobody),
        await _fails(stores, lambda s: s.record_status(occurrence_id=1, **row, at=NOW.replace(tzinfo=None))),
        await _fails(stores, lambda s: s.link_account(**account, linked_at=NOW)),  # the same account twice
        await _fails(stores, lambda s: s.audit(at=NOW, actor="a", action="b", day=DAY)),  # not JSON
    ]


async def _unit_of_work(stores: StoreFactory) -> list[Any]:
    async with stores() as s:
        await s.set_locale(person_id=1, locale="vi")  # not committed: dropped

    async def fails_after_a_commit(s: Store) -> None:
        await s.set_locale(person_id=1, locale="vi")
        await s.commit()
        await s.set_locale(person_id=1, locale="fr")  # after the commit: dropped with the failure
        raise RuntimeError("the handler failed")

    assert await _fails(stores, fails_after_a_commit) == "refused"
    async with stores() as s:
        person = await s.person(1)
        return [person.locale if person else None, await s.plan_revision(), await s.holiday_overrides()]


SCENARIOS = [_people, _invitations, _updates, _requests, _outbox_and_traffic, _refusals, _unit_of_work]


async def test_the_fake_store_answers_as_the_database(sql: StoreFactory) -> None:
    on_fake = fake()
    for scenario in SCENARIOS:
        assert await scenario(on_fake) == await scenario(sql), scenario.__name__
