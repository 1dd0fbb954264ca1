"""The core's unit of work: the named operations the core's rules ask of the database, on one session.

`Store.opened(sessions)` gives a store whose writes all land in one transaction: `commit()` keeps them,
leaving without it drops them. The core (bot/core) commits once per message. On SQLite the store takes
this process's writer turn (`db.writer_lock`) at its first write and gives it back at the end, so a
message's writes wait for no other writer of this process while they are open (`db.writer_lock` says why).
Its questions (people, updates, the plan's duties, the reports) are in `storage/store_reads.py`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import (
    admins,
    audit,
    channel_traffic,
    identity,
    invitations,
    outbox,
    people,
    status,
)
from storage.db import kept, writer_lock
from storage.models import (
    ChannelAccount,
    Draft,
    Evidence,
    Extension,
    Invitation,
    Occurrence,
    Official,
    Person,
    StatusUpdate,
)
from storage.store_plans import PlanWrites
from storage.store_web import WebSignIns

Row = TypeVar("Row", bound=SQLModel)
LATEST = "latest"  # record_status(after=LATEST): after whatever update is the newest when it is written


class Store(PlanWrites, WebSignIns):
    def __init__(self, session: AsyncSession, sessions: async_sessionmaker[AsyncSession] | None = None) -> None:
        super().__init__(session)
        self._sessions = sessions  # for the plan's rows, written apart from the message (`occurrence`)
        self._turn: asyncio.Lock | None = None  # this process's SQLite writer turn, while held
        self._wrote = False  # since the last commit

    @classmethod
    @asynccontextmanager
    async def opened(cls, sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Store]:
        """A store on a new session; what is not committed when it closes is rolled back."""
        async with sessions() as session:
            store = cls(session, sessions)
            try:
                yield store
            finally:
                try:  # what was not committed is rolled back as the connection goes back to the pool;
                    await session.close()  # the rows read stay readable (a rollback would expire them)
                finally:
                    store._end_turn()

    @classmethod
    def factory(cls, sessions: async_sessionmaker[AsyncSession]) -> StoreFactory:
        """What the core is given: opens a store (one unit of work) each time it is called."""
        return lambda: cls.opened(sessions)

    async def commit(self) -> None:
        try:
            await self.session.commit()
            self._wrote = False
        finally:
            self._end_turn()

    async def rollback(self) -> None:
        try:
            if self.session.in_transaction():
                await self.session.rollback()
        finally:
            self._end_turn()

    def keep(self, *rows: object) -> None:
        """Rows remembered beyond this store (the core's memory of the day): detached from it."""
        kept(self.session, *rows)

    async def _write(self) -> None:
        """Before any write: on SQLite, wait for this process's writer turn (held until the end)."""
        self._wrote = True
        if self._turn is not None:
            return
        engine = self.session.sync_session.get_bind()
        lock = writer_lock(engine) if isinstance(engine, Engine) else None
        if lock is None:
            return
        await self.session.connection()  # the connection first: never wait for the pool holding the turn
        await lock.acquire()
        self._turn = lock

    def _end_turn(self) -> None:
        if self._turn is not None:
            self._turn.release()
            self._turn = None

    async def _added(self, row: Row) -> Row:
        await self._write()
        self.session.add(row)
        await self.session.flush()
        return row

    # people and their roles
    async def ensure_person(self, **values: Any) -> tuple[Person, ChannelAccount]:
        await self._write()
        return await people.ensure_person(self.session, **values)

    async def add_official(self, **values: Any) -> Official:
        return await self._added(Official(**values))

    async def end_official(self, official: Official, *, now: datetime) -> None:
        official.active = False
        official.revoked_at = now
        await self._added(official)

    async def link_account(self, **values: Any) -> ChannelAccount:
        return await self._added(ChannelAccount(**values))

    async def set_locale(self, *, person_id: int, locale: str) -> None:
        await self._write()
        await people.set_locale(self.session, person_id=person_id, locale=locale)

    async def set_channel(self, *, person_id: int, channel: str | None) -> None:
        await self._write()
        await people.set_channel(self.session, person_id=person_id, channel=channel)

    # invitations and the audit
    async def add_invitation(self, **values: Any) -> Invitation:
        return await self._added(Invitation(**values))

    async def claim_invitation(self, *, invitation_id: int, now: datetime) -> bool:
        """Mark a code used, once: False when another message used it first."""
        await self._write()
        return await invitations.claim_invitation(self.session, invitation_id=invitation_id, now=now)

    async def invitation_used_by(self, *, invitation_id: int, person_id: int) -> None:
        await self._write()
        await invitations.used_by(self.session, invitation_id=invitation_id, person_id=person_id)

    async def revoke_invitation(self, invitation: Invitation, *, now: datetime) -> None:
        invitation.revoked_at = now
        await self._added(invitation)

    async def audit(self, **values: Any) -> None:
        await self._write()
        await audit.audit(self.session, **values)

    # status updates, drafts, extensions, evidence
    async def record_status(self, *, after: StatusUpdate | str | None = LATEST, **values: Any) -> StatusUpdate | None:
        """The one way an update is written: after `after` (the newest the writer saw; LATEST for
        whatever is newest now); None when an update newer than it already says the same."""
        await self._write()
        if after == LATEST:
            after = await self.latest_status(occurrence_id=values["occurrence_id"], unit_id=values["unit_id"])
        assert not isinstance(after, str)
        return await status.append_status(self.session, after=after, **values)

    async def add_draft(self, **values: Any) -> Draft:
        return await self._added(Draft(**values))

    async def take_draft(self, *, draft_id: int, account_id: int, now: datetime) -> Draft | None:
        await self._write()
        return await status.take_draft(self.session, draft_id=draft_id, account_id=account_id, now=now)

    async def add_extension(self, **values: Any) -> Extension:
        return await self._added(Extension(**values))

    async def decide_extension(
        self, *, extension_id: int, decision: str, person_id: int | None, now: datetime
    ) -> Extension | None:
        await self._write()
        return await status.decide_extension(
            self.session, extension_id=extension_id, decision=decision, person_id=person_id, now=now
        )

    async def add_evidence(self, **values: Any) -> Evidence:
        await self._write()
        return await status.add_evidence(self.session, **values)

    async def mark_received(self, *, evidence_id: int, person_id: int | None, now: datetime) -> Evidence | None:
        await self._write()
        return await status.mark_received(self.session, evidence_id=evidence_id, person_id=person_id, now=now)

    # the outbox and the plan's rows
    async def add_reminders(self, rows: Sequence[dict[str, Any]]) -> int:
        await self._write()
        return await outbox.add_reminders(self.session, rows)

    async def occurrence(self, *, duty_id: int, nominal: date, **values: Any) -> tuple[Occurrence, bool]:
        """The occurrence row for a duty's deadline, written the first time it is asked for; and whether it
        is committed. Only a committed row may be remembered beyond this store: another message using an
        id this one has not committed yet would break its foreign key, and a rollback would lose it.

        The row is the plan's, not the message's: it is read, and written if new, apart (a session of its
        own, committed at once), unless this store has written already (it may hold the writer turn)."""
        if self._sessions is None or self._wrote:
            return await self._occurrence(duty_id, nominal, values), False
        async with Store.opened(self._sessions) as apart:
            row = await apart._occurrence(duty_id, nominal, values)
            await apart.commit()
        return row, True

    async def _occurrence(self, duty_id: int, nominal: date, values: dict[str, Any]) -> Occurrence:
        found = await outbox.find_occurrence(self.session, duty_id=duty_id, nominal=nominal)
        if found is not None and all(getattr(found, name) == value for name, value in values.items()):
            return found
        await self._write()
        return await outbox.ensure_occurrence(self.session, duty_id=duty_id, nominal=nominal, **values)

    # a channel's traffic
    async def first_delivery(self, *, channel: str, message_id: str, now: datetime) -> bool:
        await self._write()
        return await channel_traffic.first_delivery(self.session, channel=channel, message_id=message_id, now=now)

    async def count_sent(self, *, channel: str, month: str, messages: int) -> int:
        await self._write()
        return await channel_traffic.count_sent(self.session, channel=channel, month=month, messages=messages)

    async def quota_spent(self, *, channel: str, month: str, quota: int) -> None:
        await self._write()
        await channel_traffic.quota_spent(self.session, channel=channel, month=month, quota=quota)

    async def identity(
        self, *, channel: str, user_id: str, latest_of: Iterable[int] = (), admins: Iterable[str] = ()
    ) -> identity.Identity:
        return await identity.identity(
            self.session, channel=channel, user_id=user_id, latest_of=list(latest_of), admins=admins
        )

    async def make_admin(self, *, person_id: int, channel: str, user_id: str, now: datetime) -> bool:
        """The person becomes an office admin (an admin code); False when they already were one."""
        await self._write()
        return await admins.make_admin(self.session, person_id=person_id, channel=channel, user_id=user_id, now=now)


StoreFactory = Callable[[], AbstractAsyncContextManager[Store]]
