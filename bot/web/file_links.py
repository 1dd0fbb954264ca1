"""The one-time links a channel without files (Zalo) gives instead of a file (bot/core/file_links.py).

`/tep/<token>` shows a page with one button (a chat app's link preview opens only that page); the button
downloads the file once, made then by the same command as the account that asked. `/anh/<token>` is the
chart as a picture, for the chat platform's servers to fetch while the link lives. `/tai-len/<token>`
uploads a plan sheet (/taikehoach): the page shows what it would change, and its ✅ spends the link.
A browser signed in as someone else is refused any of them: a link is its own account's only."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

from aiohttp import web

from bot.core.file_links import FILE, PHOTO, UPLOAD
from bot.core.types import Attachment, Document, Outcome
from bot.core.web_sign_in import hashed
from bot.web.actions import DECISIONS
from bot.web.office import OfficeWeb
from storage.models import WebLink

# bytes: a plan sheet is a few kilobytes; aiohttp refuses a body over 1 MiB itself (client_max_size)
MAX_UPLOAD = 1024 * 1024


class Routes:
    def __init__(self, office: OfficeWeb) -> None:
        self.office = office

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/tep/{token}", self.confirm),
            web.post("/tep/{token}", self.download),
            web.get("/anh/{token}", self.photo),
            web.get("/tai-len/{token}", self.upload_form),
            web.post("/tai-len/{token}", self.upload),
        ]

    async def _live(self, request: web.Request, purpose: str) -> WebLink | web.Response:
        """The link while it works and belongs to whoever opens it; else the sentence saying why not."""
        now = self.office.core.clock.now()
        async with self.office.core.stores() as store:
            link = await store.web_link(token_hash=hashed(request.match_info["token"]), purpose=purpose, now=now)
            if link is None:
                return self.office.sentence(request, "file_link_gone", status=410)
            visitor = await self.office.visitor(request, store)
        if visitor is not None and visitor.actor.ref != f"{link.channel}:{link.user_id}":
            return self.office.sentence(request, "not_your_link", status=403)
        return link

    async def _take(self, request: web.Request, purpose: str) -> WebLink | None:
        now = self.office.core.clock.now()
        async with self.office.core.stores() as store:
            link = await store.take_web_link(token_hash=hashed(request.match_info["token"]), now=now, purpose=purpose)
            await store.commit()
        return link

    async def confirm(self, request: web.Request) -> web.Response:
        link = await self._live(request, FILE)
        if not isinstance(link, WebLink):
            return link
        return self.office.render(
            request, "file_link.html", self.office.locale(request), token=request.match_info["token"]
        )

    async def download(self, request: web.Request) -> web.Response:
        link = await self._live(request, FILE)
        if not isinstance(link, WebLink):
            return link
        if await self._take(request, FILE) is None:  # another click (or instance) spent it first
            return self.office.sentence(request, "file_link_gone", status=410)
        return self._file(request, await as_account(self.office, link, link.command or ""), link.part)

    async def photo(self, request: web.Request) -> web.Response:
        link = await self._live(request, PHOTO)
        if not isinstance(link, WebLink):
            return link
        outcome = await as_account(self.office, link, link.command or "")
        found = _files(outcome)[link.part] if link.part < len(_files(outcome)) else None
        if found is None or not found.file_name.endswith(".png"):
            return self.office.sentence(request, "file_link_gone", status=410)
        return web.Response(body=found.content, content_type="image/png", headers={"Cache-Control": "no-store"})

    def _file(self, request: web.Request, outcome: Outcome, part: int) -> web.Response:
        files = _files(outcome)
        if part < len(files):
            found = files[part]
            disposition = f"attachment; filename*=UTF-8''{quote(found.file_name)}"
            headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
            return web.Response(body=found.content, headers=headers)
        locale = self.office.locale(request, outcome.locale)
        return self.office.render(request, "answer.html", locale, outcome=outcome)

    async def upload_form(self, request: web.Request) -> web.Response:
        link = await self._live(request, UPLOAD)
        if not isinstance(link, WebLink):
            return link
        token = request.match_info["token"]
        return self.office.render(request, "upload.html", self.office.locale(request), token=token, outcome=None)

    async def upload(self, request: web.Request) -> web.Response:
        link = await self._live(request, UPLOAD)
        if not isinstance(link, WebLink):
            return link
        token = request.match_info["token"]
        if request.content_length is not None and request.content_length > MAX_UPLOAD:
            return self.office.sentence(request, "too_big", status=413)
        try:
            posted = await request.post()
        except web.HTTPRequestEntityTooLarge:  # a body sent without its length
            return self.office.sentence(request, "too_big", status=413)
        command = str(posted.get("command", ""))
        sheet = posted.get("sheet")
        if command.startswith(DECISIONS):  # the preview's ✅ or ❌: the link is spent by it
            if await self._take(request, UPLOAD) is None:
                return self.office.sentence(request, "file_link_gone", status=410)
            outcome = await as_account(self.office, link, command)
        elif isinstance(sheet, web.FileField):
            content = sheet.file.read(MAX_UPLOAD + 1)
            if len(content) > MAX_UPLOAD:
                return self.office.sentence(request, "too_big", status=413)
            name = sheet.filename or "ke-hoach.xlsx"
            attachment = Attachment("document", f"web:{name}", name, sheet.content_type or "", content=content)
            outcome = await as_account(self.office, link, "", attachment)
        else:
            return self.office.render(request, "upload.html", self.office.locale(request), token=token, outcome=None)
        locale = self.office.locale(request, outcome.locale)
        return self.office.render(request, "upload.html", locale, token=token, outcome=outcome)


def _files(outcome: Outcome) -> list[Document]:
    """The answer's files in order: a link names one by its number (`WebLink.part`)."""
    return [found for reply in outcome.replies if (found := reply.document or reply.photo) is not None]


async def as_account(office: OfficeWeb, link: WebLink, text: str, attachment: Attachment | None = None) -> Outcome:
    """The core's answer to `text` from the account the link was made for, as the web page asks it."""
    async with office.core.stores() as store:
        actor = await office.core.actor_of(store, channel=link.channel, user_id=link.user_id)
    incoming = replace(actor.incoming, text=text, attachment=attachment, via_web=True)
    return await office.core.handle(incoming)
