"""A file answer on a channel without files (Zalo): its one-time link, and the web page's sentences."""

from __future__ import annotations

from messages.i18n import gettext_for


def file_link(url: str, minutes: int, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Download the file here (the link works once, for {minutes} minutes, for you only):\n{url}").format(
        minutes=minutes, url=url
    )


def no_page(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "Files cannot be sent in this chat, and the office's web page that would give them is not running: "
        "ask whoever runs the bot to start it (NHACVIEC_WEB_URL), then send the command again."
    )


def upload_link(url: str, minutes: int, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "Open this link to upload the filled-in plan sheet (for {minutes} minutes). The page shows what the sheet "
        "would change, and its ✅ applies it:\n{url}"
    ).format(minutes=minutes, url=url)
