"""Signing in with the link `/web` gave, and signing out.

The link's page signs in with a POST (its script submits it at once; without scripts, a button):
a link preview fetched by a chat app opens only the page, and never spends the link."""

from __future__ import annotations

from aiohttp import web

from bot.core.web_sign_in import SESSION_VALID, hashed, new_token
from bot.web.hardening import SignInBudget, same_origin
from bot.web.office import COOKIE, OfficeWeb


class Routes:
    def __init__(self, office: OfficeWeb) -> None:
        self.office = office
        self.budget = SignInBudget()

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/vao/{token}", self.link),
            web.post("/vao/{token}", self.sign_in),
            web.post("/sign-out", self.sign_out),
        ]

    async def link(self, request: web.Request) -> web.Response:
        return self.office.render(
            request, "sign_in.html", self.office.locale(request), token=request.match_info["token"]
        )

    async def sign_in(self, request: web.Request) -> web.Response:
        """The link's form, posted: from another site it signs nobody in (login CSRF); an address that
        failed too often waits (a link is 256 bits: guessing is slowed, not feared)."""
        if not same_origin(request, self.office.public_url):
            return self.office.sentence(request, "csrf", status=403)
        now, address = self.office.core.clock.now(), request.remote or ""
        if wait := self.budget.wait(address, now):
            response = self.office.sentence(request, "slow_down", status=429)
            response.headers["Retry-After"] = str(wait)
            return response
        async with self.office.core.stores() as store:
            found = await store.take_web_link(token_hash=hashed(request.match_info["token"]), now=now)
            if found is None:
                self.budget.failed(address, now)
                return self.office.sentence(request, "link_used", status=410)
            token = new_token()
            await store.add_web_session(
                token_hash=hashed(token),
                csrf=new_token(),
                channel=found.channel,
                user_id=found.user_id,
                created_at=now,
                expires_at=now + SESSION_VALID,
            )
            actor = await self.office.core.actor_of(store, channel=found.channel, user_id=found.user_id)
            await store.audit(at=now, actor=f"{found.channel}:{found.user_id}", action="web_signed_in")
            await store.commit()
        own = [m.unit.id for m in actor.memberships]
        response = see_other("/" if actor.is_office or not own else f"/unit/{own[0]}")
        response.set_cookie(
            COOKIE,
            token,
            max_age=int(SESSION_VALID.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=self.office.secure,
            path="/",
        )
        return response

    async def sign_out(self, request: web.Request) -> web.Response:
        token = request.cookies.get(COOKIE, "")
        async with self.office.core.stores() as store:
            visitor = await self.office.visitor(request, store)
            if visitor is None:
                return self.office.sentence(request, "send_web", status=401)
            if await self.office.form(request, visitor) is None:
                return self.office.sentence(request, "csrf", status=403, visitor=visitor)
            await store.end_web_session(token_hash=hashed(token), now=self.office.core.clock.now())
            await store.commit()
        response = see_other("/")
        response.del_cookie(COOKIE, path="/")
        return response


def see_other(location: str) -> web.Response:
    """A redirect made as a response (aiohttp deprecates returning its exceptions), so it may carry cookies."""
    return web.Response(status=303, headers={"Location": location})
