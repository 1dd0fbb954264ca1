"""The store's operations for the office's web page (bot/web): sign-in links and sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import SQLModel

from storage import unit_record, web_sign_in
from storage.models import WebLink, WebSession
from storage.store_reads import Reads

Row = TypeVar("Row", bound=SQLModel)


class WebSignIns(Reads):
    async def _write(self) -> None:
        raise NotImplementedError  # Store's: the writer turn

    async def _added(self, row: Row) -> Row:
        raise NotImplementedError  # Store's

    async def add_web_link(self, **values: Any) -> WebLink:
        return await self._added(WebLink(**values))

    async def take_web_link(self, *, token_hash: str, now: datetime, purpose: str = "sign_in") -> WebLink | None:
        """The link, used by this call; None when unknown, used already, expired or of another purpose."""
        await self._write()
        return await web_sign_in.take_link(self.session, token_hash=token_hash, now=now, purpose=purpose)

    async def web_link(self, *, token_hash: str, purpose: str, now: datetime) -> WebLink | None:
        """The link while it still works, not spent by reading it."""
        return await web_sign_in.live_link(self.session, token_hash=token_hash, purpose=purpose, now=now)

    async def add_web_session(self, **values: Any) -> WebSession:
        return await self._added(WebSession(**values))

    async def web_session(self, *, token_hash: str, now: datetime) -> WebSession | None:
        return await web_sign_in.live_session(self.session, token_hash=token_hash, now=now)

    async def end_web_session(self, *, token_hash: str, now: datetime) -> None:
        await self._write()
        await web_sign_in.end_session(self.session, token_hash=token_hash, now=now)

    async def unit_evidence(self, *, unit_id: int, limit: int = 30) -> list[unit_record.RecordLine]:
        return await unit_record.unit_evidence(self.session, unit_id=unit_id, limit=limit)

    async def unit_extensions(self, *, unit_id: int, limit: int = 30) -> list[unit_record.RecordLine]:
        return await unit_record.unit_extensions(self.session, unit_id=unit_id, limit=limit)
