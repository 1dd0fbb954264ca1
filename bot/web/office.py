"""The office's web page, served by the same aiohttp application as /healthz: who signs in, and how a
page is rendered (Jinja2, autoescaped: a unit named `<script>` shows as text).

A session acts as the chat account that asked for its link (`/web`), with that account's rights read
afresh on every request: the office sees every unit, an official their own unit's page only."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot.core import Core
from bot.core.types import Actor
from bot.core.web_sign_in import hashed
from messages import web as words
from messages.formatting import moment, short_day
from messages.i18n import LOCALES
from messages.text import visible
from storage.models import Role
from storage.store import Store

HERE = Path(__file__).parent
COOKIE = "nhacviec_session"
LANGUAGE_COOKIE = "nhacviec_lang"


@dataclass
class Visitor:
    actor: Actor
    csrf: str
    locale: str

    @property
    def office(self) -> bool:
        return self.actor.is_office

    def may_see(self, unit_id: int) -> bool:
        return self.office or unit_id in self.own_units

    @property
    def own_units(self) -> list[int]:
        return [m.unit.id or 0 for m in self.actor.memberships if m.official.role != Role.OFFICE]


class OfficeWeb:
    def __init__(self, core: Core, *, public_url: str | None = None) -> None:
        self.core = core
        self.public_url = public_url  # NHACVIEC_WEB_URL; None: the address the server listens on
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            finalize=_shown,
        )

    @property
    def secure(self) -> bool:
        """Cookies marked Secure only behind HTTPS: over plain HTTP a browser would drop them."""
        return (self.public_url or "").startswith("https://")

    def locale(self, request: web.Request, preferred: str | None = None) -> str:
        """The switch (`?lang=en`, then remembered), else the person's own language, else Vietnamese."""
        for asked in (request.query.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
            if asked in LOCALES:
                return asked
        return preferred if preferred in LOCALES else self.core.config.locale

    async def visitor(self, request: web.Request, store: Store) -> Visitor | None:
        """Who this browser is signed in as, with their rights now; None without a live session."""
        token = request.cookies.get(COOKIE)
        if not token:
            return None
        found = await store.web_session(token_hash=hashed(token), now=self.core.clock.now())
        if found is None:
            return None
        actor = await self.core.actor_of(store, channel=found.channel, user_id=found.user_id)
        if not actor.registered:  # revoked since the link was given
            return None
        return Visitor(actor, found.csrf, self.locale(request, actor.locale))

    def render(self, request: web.Request, name: str, locale: str, *, status: int = 200, **data: Any) -> web.Response:
        data.setdefault("visitor", None)
        page = self.env.get_template(name).render(
            w=words.labels(locale),
            locale=locale,
            other_locale="en" if locale == "vi" else "vi",
            path=request.path_qs,
            moment=lambda value: moment(value, locale),
            day=lambda value: short_day(value, locale),
            **data,
        )
        response = web.Response(text=page, status=status, content_type="text/html")
        asked = request.query.get("lang")
        if asked in LOCALES:
            response.set_cookie(LANGUAGE_COOKIE, asked, max_age=365 * 86400, httponly=True, samesite="Lax")
        response.headers["Cache-Control"] = "no-store"  # pages show a person's data: never from a shared cache
        return response

    def sentence(
        self, request: web.Request, key: str, *, status: int, locale: str | None = None, visitor: Visitor | None = None
    ) -> web.Response:
        """A page of one sentence: send /web, the link is used, not yours to see, a form refused."""
        locale = locale or self.locale(request)
        return self.render(request, "sentence.html", locale, status=status, key=key, visitor=visitor)

    async def form(self, request: web.Request, visitor: Visitor) -> dict[str, Any] | None:
        """The posted form, when it carries this session's CSRF token; None when it does not."""
        posted = await request.post()
        token = posted.get("csrf")
        if not isinstance(token, str) or not hmac.compare_digest(token, visitor.csrf):
            return None
        return dict(posted)


def _shown(value: object) -> object:
    """Each value a page shows without characters that show nothing or turn the text around (a name
    kept before names were checked), as the chat's answers are (`Core.handle`); Markup stays Markup."""
    return type(value)(visible(value)) if isinstance(value, str) else value
