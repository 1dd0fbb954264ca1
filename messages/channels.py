"""Channels as people read and type them: /lienket, /kenh, and the names of Telegram, Zalo and the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from messages.formatting import moment
from messages.i18n import LOCALES, N_, gettext_for
from messages.text import fold

_NAMES = {"telegram": "Telegram", "zalo": "Zalo", "console": N_("terminal")}
# Why an account cannot be reached, by the code the dispatcher keeps (scheduler/sending.py Unreachable).
_UNREACHABLE = {
    "blocked": N_("has blocked the bot"),
    "never_started": N_("has not opened a chat with the bot yet (never pressed Start)"),
    "deactivated": N_("the account has been deleted or deactivated"),
    "not_found": N_("the channel does not know this account"),
    "refused": N_("the channel refuses messages to this account"),
}


def unreachable_reason(stored: str, locale: str) -> str:
    """Why an account cannot be reached, in the reader's words (a reason kept before codes, as it was)."""
    words = _UNREACHABLE.get(stored)
    return gettext_for(locale)(words) if words else stored


def channel_name(channel: str, locale: str) -> str:
    return gettext_for(locale)(_NAMES.get(channel, channel))


def link_code(code: str, expires_at: datetime, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "To get reminders on another channel too (Zalo or Telegram), send /dangky {code} to the bot there. "
        "The code works once, until {moment}."
    ).format(code=code, moment=moment(expires_at, locale))


def linked(channels: Sequence[str], locale: str) -> str:
    _ = gettext_for(locale)
    names = ", ".join(channel_name(channel, locale) for channel in channels)
    return _("Linked. You now reach the bot on: {channels}. Send /kenh to choose where reminders go.").format(
        channels=names
    )


def already_linked(locale: str) -> str:
    _ = gettext_for(locale)
    return _("This account is already linked to you.")


def channels(channels: Sequence[str], chosen: str | None, locale: str) -> str:
    _ = gettext_for(locale)
    names = ", ".join(channel_name(channel, locale) for channel in channels)
    where = channel_name(chosen, locale) if chosen else _("every linked channel")
    return _("Your channels: {channels}. Reminders go to: {where}.").format(channels=names, where=where)


def channel_usage(channels: Sequence[str], locale: str) -> str:
    _ = gettext_for(locale)
    choices = ", ".join(channel_name(channel, locale).lower() for channel in channels)  # as they are typed
    return _("Send /kenh followed by one of: {choices}, or all.").format(choices=choices)


ALL = "all"  # /kenh's choice of every linked channel
_ALL_WORDS = ("all", "tat ca", "tatca")


def read_channel(text: str, channels: Sequence[str]) -> str | None:
    """The channel `/kenh <text>` names among the person's `channels` (its key or its name in any
    language, with or without diacritics), ALL, or None."""
    wanted = fold(text)
    if wanted in _ALL_WORDS:
        return ALL
    for channel in channels:
        if wanted == channel or wanted in (fold(channel_name(channel, locale)) for locale in LOCALES):
            return channel
    return None
