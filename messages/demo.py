"""Words of the terminal demo."""

from __future__ import annotations

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
