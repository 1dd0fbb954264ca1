"""The overview and a unit's page: read only, each read in one store of its own."""

from __future__ import annotations

from datetime import date

from aiohttp import web

from bot.web.office import OfficeWeb
from bot.web.overview import GROUPS, Choice, overview
from messages import web as words
from messages.channels import channel_name, unreachable_reason
from messages.people import role_name
from messages.status import describe
from messages.text import in_language


class Routes:
    def __init__(self, office: OfficeWeb) -> None:
        self.office = office

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/", self.overview_page), web.get("/unit/{unit}", self.unit_page)]

    async def overview_page(self, request: web.Request) -> web.Response:
        async with self.office.core.stores() as store:
            visitor = await self.office.visitor(request, store)
            if visitor is None:
                return self.office.sentence(request, "send_web", status=401)
            if not visitor.office:
                return self.office.sentence(request, "forbidden", status=403, visitor=visitor)
            await self.office.core.follow_plan(self.office.core.clock.now())
            table = await overview(
                self.office.core, store, today=_today(self.office), locale=visitor.locale, choice=_choice(request)
            )
            await store.commit()  # the reports of what ended, if the view closed them first
        groups = [(kind, words.group_name(kind, visitor.locale)) for kind in GROUPS]
        return self.office.render(request, "overview.html", visitor.locale, visitor=visitor, table=table, groups=groups)

    async def unit_page(self, request: web.Request) -> web.Response:
        unit_id = _number(request.match_info["unit"])
        async with self.office.core.stores() as store:
            visitor = await self.office.visitor(request, store)
            if visitor is None:
                return self.office.sentence(request, "send_web", status=401)
            if not visitor.may_see(unit_id):
                return self.office.sentence(request, "forbidden", status=403, visitor=visitor)
            unit = await store.unit(unit_id)
            if unit is None:
                return self.office.sentence(request, "not_found", status=404, visitor=visitor)
            officials = await store.active_officials(unit_id=unit_id)
            occurrence = _number(request.query.get("occurrence", "")) or None  # the overview's cell: that deadline's
            history = await store.unit_history(unit_id=unit_id, limit=200, occurrence_id=occurrence)
            evidence = await store.unit_evidence(unit_id=unit_id)
            extensions = await store.unit_extensions(unit_id=unit_id)
        locale = visitor.locale
        return self.office.render(
            request,
            "unit.html",
            locale,
            visitor=visitor,
            unit=unit,
            officials=officials,
            history=history,
            evidence=evidence,
            extensions=extensions,
            role=lambda value: role_name(value, locale),
            channel=lambda value: channel_name(value, locale),
            reason=lambda value: unreachable_reason(value, locale),
            describe=lambda update: describe(update, locale),
            title=lambda duty: in_language(duty.title, duty.title_en, locale),
            decision=lambda value: words.decision(value, locale),
        )


def _today(office: OfficeWeb) -> date:
    return office.core.clock.now().astimezone(office.core.config.tz).date()


def _choice(request: web.Request) -> Choice:
    query = request.query
    return Choice(
        plan=_number(query.get("plan", "")) or None,
        duty=query.get("duty", ""),
        group=query.get("group", ""),
        late_only=query.get("late") == "1",
        ended=query.get("ended") == "1",
    )


def _number(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 12 else 0
