"""The office's details on the page (`/office`): shown as a form, saved as `/vanphong` in chat would
change them, through `Core.handle` as the signed-in account. Same rules, same answer."""

from __future__ import annotations

from aiohttp import web

from bot.web.actions import ask
from bot.web.office import OfficeWeb, Visitor
from messages.office import MAY_BE_EMPTY, field_labels
from storage.models import OfficeIdentity


class Routes:
    def __init__(self, office: OfficeWeb) -> None:
        self.office = office

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/office", self.form), web.post("/office", self.save)]

    async def _visitor(self, request: web.Request) -> Visitor | web.Response:
        async with self.office.core.stores() as store:
            visitor = await self.office.visitor(request, store)
        if visitor is None:
            return self.office.sentence(request, "send_web", status=401)
        if not visitor.office:
            return self.office.sentence(request, "forbidden", status=403, visitor=visitor)
        return visitor

    async def _identity(self) -> OfficeIdentity:
        async with self.office.core.stores() as store:
            return await store.office_identity()

    async def form(self, request: web.Request) -> web.Response:
        visitor = await self._visitor(request)
        if not isinstance(visitor, Visitor):
            return visitor
        return self._page(request, visitor, await self._identity(), None)

    async def save(self, request: web.Request) -> web.Response:
        visitor = await self._visitor(request)
        if not isinstance(visitor, Visitor):
            return visitor
        posted = await self.office.form(request, visitor)
        if posted is None:
            return self.office.sentence(request, "csrf", status=403, visitor=visitor)
        before = await self._identity()
        changes = []
        for name, _label, typed in field_labels(visitor.locale):
            value = " ".join(str(posted.get(name, "")).split())
            if value == str(getattr(before, name)):
                continue
            changes.append(f"{typed} = {value or ('-' if name in MAY_BE_EMPTY else '')}")
        outcome = await ask(self.office, visitor, f"/vanphong {'; '.join(changes)}".strip())
        return self._page(request, visitor, await self._identity(), outcome)

    def _page(self, request: web.Request, visitor: Visitor, identity: OfficeIdentity, outcome: object) -> web.Response:
        fields = [(name, label, getattr(identity, name)) for name, label, _typed in field_labels(visitor.locale)]
        return self.office.render(
            request, "identity.html", visitor.locale, visitor=visitor, fields=fields, outcome=outcome
        )
