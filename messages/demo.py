"""Words of the terminal demo."""

from __future__ import annotations

from datetime import datetime

from messages.formatting import moment
from messages.i18n import gettext_for


def intro(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "Nhắc việc: terminal demo. Nothing leaves this computer.\n"
        "You are the office admin. Try:\n"
        "  /moi Bần Yên Nhân          invite the official of a unit\n"
        "  /as Bần Yên Nhân           play that unit's official\n"
        "  /dangky <code>             register with the code you got\n"
        "  /toi                       who am I\n"
        "  /as                        back to the admin; then /donvi\n"
        "  /time +7d                  move the clock: reminders arrive on the way\n"
        "A number picks one of the [choices] shown. /quit ends the demo.\n"
    )


def playing_admin(locale: str) -> str:
    _ = gettext_for(locale)
    return _("You are the office admin again.")


def playing_official(unit: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("You are now a person at {unit}. If not registered yet, send /dangky <code>.").format(unit=unit)


def no_unit(query: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("No single unit matches “{query}”. Try /donvi as the admin to see them.").format(query=query[:100])


def to_other(chat: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("[to {chat}] ").format(chat=chat)


def no_time_travel(locale: str) -> str:
    _ = gettext_for(locale)
    return _("The clock cannot be moved here.")


def time_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Move the clock forward with /time +3d, /time +2h or /time 2025-01-09 08:00.")


def time_now(now: datetime, locale: str) -> str:
    _ = gettext_for(locale)
    return _("The demo's clock now reads {moment}.").format(moment=moment(now, locale))


def time_backwards(now: datetime, locale: str) -> str:
    _ = gettext_for(locale)
    return _("The demo's clock only moves forward; it cannot go back. It now reads {moment}.").format(
        moment=moment(now, locale)
    )


def web_page(url: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("The office's web page: {url} (send /web here for a sign-in link).").format(url=url)


def port_taken(port: int, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Port {port} is used by another program; the web page takes a free port.").format(port=port)


def no_web_page(host: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("The web page could not be opened on {host}; the chat works without it.").format(host=host)
