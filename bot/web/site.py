"""The office's web page as routes of the service's aiohttp application, and its public address."""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web

from bot.core import Core
from bot.settings import Settings
from bot.web import actions, file_links, identity, pages, sign_in
from bot.web.office import HERE, OfficeWeb
from bot.web.server import WebServer


def office_routes(core: Core, *, public_url: str | None) -> list[web.AbstractRouteDef]:
    office = OfficeWeb(core, public_url=public_url)
    return [
        *sign_in.Routes(office).routes(),
        *pages.Routes(office).routes(),
        *actions.Routes(office).routes(),
        *file_links.Routes(office).routes(),
        *identity.Routes(office).routes(),
        web.static("/static", HERE / "static"),
    ]


async def start_page(settings: Settings, core: Core, *, also: Iterable[web.AbstractRouteDef] = ()) -> WebServer:
    """Listen on NHACVIEC_WEB_HOST:NHACVIEC_WEB_PORT with the page (and `also`); `/web` then gives links
    to NHACVIEC_WEB_URL, or to the address it listens on when that is not set."""
    public = str(settings.web_url).rstrip("/") if settings.web_url else None
    server = WebServer(settings.web_host, settings.web_port, [*also, *office_routes(core, public_url=public)])
    await server.start()
    core.config.web_url = public or server.url
    return server
