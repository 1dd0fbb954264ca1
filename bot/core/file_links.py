"""What a channel can carry, and the adapter for one that cannot carry files (Zalo): decided here only.

A file answer (`/xuat`, `/congvan`, `/bieudo`, `/maukehoach`) on such a channel becomes a one-time link
to the office's web page: valid 10 minutes, opened once, for the account that asked (the page runs the
same command as that account when the link is opened: the file has that person's rights, then). The
chart also goes as a picture by URL when the channel sends pictures from a public https address."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from bot.core.context import Context
from bot.core.types import Capabilities, Outcome, Reply
from bot.core.web_sign_in import LINK_VALID, hashed, new_token
from messages import file_links as words

FILE_PATH = "/tep/"  # a file to download once, after a confirm page (a link preview spends nothing)
PHOTO_PATH = "/anh/"  # the chart as a picture, fetched by the channel's servers while the link lives
UPLOAD_PATH = "/tai-len/"  # the plan sheet's upload page (/taikehoach)
FILE, PHOTO, UPLOAD = "file", "photo", "upload"  # web_link.purpose


def public_https(url: str | None) -> bool:
    """Whether a chat platform's servers could fetch a picture from this address."""
    if not url:
        return False
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "https" or not host or host == "localhost" or "." not in host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return address.is_global


async def adapted(ctx: Context, outcome: Outcome) -> Outcome:
    """The answer as this channel can carry it: each file replaced by its one-time link."""
    incoming = ctx.actor.incoming
    capabilities = ctx.config.capabilities.get(incoming.channel)
    if capabilities is None or capabilities.files or incoming.via_web:
        return outcome
    part = 0
    for reply in outcome.replies:
        if reply.document is None and reply.photo is None:
            continue
        if reply.channel in (None, incoming.channel):
            await _as_link(ctx, reply, capabilities, part)
        part += 1  # the link opens the answer's file of this number (a chart a deadline, say)
    return outcome


async def _as_link(ctx: Context, reply: Reply, capabilities: Capabilities, part: int) -> None:
    base, photo = ctx.config.web_url, reply.photo is not None
    reply.document = reply.photo = None
    if base is None:
        reply.text = words.no_page(ctx.locale)
        return
    url = await new_link(ctx, FILE, FILE_PATH, part)
    minutes = int(LINK_VALID.total_seconds() // 60)
    reply.text = "\n\n".join(part for part in (reply.text, words.file_link(url, minutes, ctx.locale)) if part)
    if photo and capabilities.photos_by_url and public_https(base):
        reply.photo_url = await new_link(ctx, PHOTO, PHOTO_PATH, part)


async def new_link(ctx: Context, purpose: str, path: str, part: int = 0) -> str:
    """A one-time link of the web page for this account and this message's command (its file `part`)."""
    base = ctx.config.web_url or ""
    token = new_token()
    incoming = ctx.actor.incoming
    await ctx.store.add_web_link(
        token_hash=hashed(token),
        channel=incoming.channel,
        user_id=incoming.user_id,
        created_at=ctx.now,
        expires_at=ctx.now + LINK_VALID,
        purpose=purpose,
        command=incoming.text[:300],
        part=part,
    )
    await ctx.audit(f"web_{purpose}_link")
    return base.rstrip("/") + path + token


async def upload_page(ctx: Context, _args: str) -> Outcome:
    """`/taikehoach`: a one-time link to the page that takes the filled-in plan sheet (a channel without
    files cannot bring it); the page shows the same preview as a sheet sent in chat, and its ✅ applies it."""
    if ctx.config.web_url is None:
        return Outcome([Reply(words.no_page(ctx.locale))])
    url = await new_link(ctx, UPLOAD, UPLOAD_PATH)
    return Outcome([Reply(words.upload_link(url, int(LINK_VALID.total_seconds() // 60), ctx.locale))])
