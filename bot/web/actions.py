"""What the office does on the page, each as the same command in chat would do it, through `Core.handle`
as the signed-in account: the downloads (/xuat, /congvan, /bieudo), a task (/giao, with its preview
and its ✅), and a plan sheet (the Excel import). Same rules, same words, same files."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.core.types import Attachment, Incoming, Outcome
from bot.web.office import OfficeWeb, Visitor

DOWNLOADS = {"workbook": "/xuat", "letter": "/congvan", "chart": "/bieudo"}
DECISIONS = ("/giao ", "/nhapkehoach ", "/nhiemvu ")  # the buttons a task's, a sheet's or a change's answer carries
MAX_SHEET = 5 * 1024 * 1024  # bytes: a plan sheet is a few kilobytes; Telegram's own bots get 20 MB


class Routes:
    def __init__(self, office: OfficeWeb) -> None:
        self.office = office

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/download/{kind}", self.download),
            web.get("/task", self.task_form),
            web.post("/task", self.task),
        ]

    async def office_visitor(self, request: web.Request) -> Visitor | web.Response:
        async with self.office.core.stores() as store:
            visitor = await self.office.visitor(request, store)
        if visitor is None:
            return self.office.sentence(request, "send_web", status=401)
        if not visitor.office:
            return self.office.sentence(request, "forbidden", status=403, visitor=visitor)
        return visitor

    async def download(self, request: web.Request) -> web.StreamResponse:
        visitor = await self.office_visitor(request)
        command = DOWNLOADS.get(request.match_info["kind"])
        if not isinstance(visitor, Visitor):
            return visitor
        if command is None:
            return self.office.sentence(request, "not_found", status=404, visitor=visitor)
        outcome = await ask(self.office, visitor, f"{command} {await self.chosen(request)}".strip())
        for reply in outcome.replies:
            found = reply.document or reply.photo
            if found is not None:
                disposition = f"attachment; filename*=UTF-8''{quote(found.file_name)}"
                return web.Response(body=found.content, headers={"Content-Disposition": disposition})
        return self.office.render(request, "answer.html", visitor.locale, visitor=visitor, outcome=outcome)

    async def chosen(self, request: web.Request) -> str:
        """The overview's choices as a command's words: the duty's key (it names its plan too), else
        the plan's key; then the deadline's date, for one column's chart."""
        query = request.query
        words = query.get("duty", "").strip()
        plan = query.get("plan", "").strip()
        if not words and plan.isdigit() and len(plan) < 12:
            async with self.office.core.stores() as store:
                found = [item for item in await store.plans(active_only=False) if item.id == int(plan)]
            words = found[0].key if found else ""
        try:
            deadline = date.fromisoformat(query.get("deadline", "").strip())
        except ValueError:
            return words
        return f"{words} {deadline:%d/%m/%Y}"

    async def task_form(self, request: web.Request) -> web.Response:
        visitor = await self.office_visitor(request)
        if not isinstance(visitor, Visitor):
            return visitor
        return self.office.render(request, "task.html", visitor.locale, visitor=visitor, outcome=None, words="")

    async def task(self, request: web.Request) -> web.Response:
        visitor = await self.office_visitor(request)
        if not isinstance(visitor, Visitor):
            return visitor
        posted = await self.office.form(request, visitor)
        if posted is None:
            return self.office.sentence(request, "csrf", status=403, visitor=visitor)
        said = str(posted.get("words", "")).strip()
        command = str(posted.get("command", ""))
        if command.startswith(DECISIONS):  # a preview's ✅ or ❌
            outcome = await ask(self.office, visitor, command)
        elif isinstance(sheet := posted.get("sheet"), web.FileField):
            outcome = await _sheet(self.office, visitor, sheet)
        elif str(posted.get("duty", "")).strip():
            outcome = await _change(self.office, visitor, posted)
        else:
            outcome = await ask(self.office, visitor, f"/giao {said}")
        return self.office.render(request, "task.html", visitor.locale, visitor=visitor, outcome=outcome, words=said)


async def ask(office: OfficeWeb, visitor: Visitor, text: str, attachment: Attachment | None = None) -> Outcome:
    """The core's answer to this text from the signed-in account, as if sent in its private chat."""
    incoming = visitor.actor.incoming
    return await office.core.handle(
        Incoming(incoming.channel, incoming.user_id, incoming.chat_id, text=text, attachment=attachment, via_web=True)
    )


async def _sheet(office: OfficeWeb, visitor: Visitor, sheet: web.FileField) -> Outcome:
    content = sheet.file.read(MAX_SHEET + 1)
    name = sheet.filename or "ke-hoach.xlsx"
    attachment = Attachment("document", f"web:{name}", name, sheet.content_type or "", content=content[:MAX_SHEET])
    return await ask(office, visitor, "", attachment)


async def _change(office: OfficeWeb, visitor: Visitor, posted: Any) -> Outcome:
    """A task changed as `/nhiemvu <số> hạn ...`, `... đơn vị ...` or `... kết thúc` would change it, each
    answered as in chat (an end asks to confirm, with its button)."""
    number = str(posted.get("duty", "")).strip()
    asked = [
        f"/nhiemvu {number} {verb} {value}".strip()
        for verb, value in (("hạn", posted.get("deadline", "")), ("đơn vị", posted.get("units", "")))
        if str(value).strip()
    ]
    if posted.get("end"):
        asked.append(f"/nhiemvu {number} kết thúc")
    outcome = Outcome([])
    for text in asked or [f"/nhiemvu {number}"]:  # nothing to change: the task as it is
        answer = await ask(office, visitor, text)
        outcome.replies += answer.replies
    return outcome
