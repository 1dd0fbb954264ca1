"""The office's admins as people read about them: an admin code, becoming an admin, and the CLI's list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from messages.formatting import moment
from messages.i18n import gettext_for


def admin_code(*, office: str, code: str, expires_at: datetime, locale: str) -> str:
    """An admin code, from `nhacviec admin invite` or `/moi quản trị`: its line is "Mã: <CODE>" in Vietnamese."""
    _ = gettext_for(locale)
    return "\n".join(
        [
            _("An admin code for {office}").format(office=office),
            _("Code: {code}").format(code=code),
            _("Valid until {moment}, for one person.").format(moment=moment(expires_at, locale)),
            "",
            _("Whoever sends /dangky {code} to the bot, on Zalo or Telegram, becomes an admin of {office}.").format(
                code=code, office=office
            ),
        ]
    )


def became_admin(office: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "You are now an admin of {office}, on every channel you link with /lienket. Send /huongdan to see what "
        "you can do."
    ).format(office=office)


def already_admin(office: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("You already are an admin of {office}. The code was not used.").format(office=office)


def admins_only(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Only an office admin can give an admin code.")


def no_office(locale: str) -> str:
    _ = gettext_for(locale)
    return _("The plan names no office unit (office_unit), so there is no office to be an admin of.")


def admin_line(number: int, name: str | None, accounts: Sequence[str], *, settings: bool, locale: str) -> str:
    """One line of `nhacviec admin list`."""
    _ = gettext_for(locale)
    who = name or _("(has not written to the bot yet)")
    where = ", ".join(accounts)
    if settings:
        return _("- {who}: {accounts} (NHACVIEC_ADMINS)").format(who=who, accounts=where)
    return _("{number}. {who}: {accounts}").format(number=number, who=who, accounts=where)


def no_admins(locale: str) -> str:
    _ = gettext_for(locale)
    return _("No admin yet: run nhacviec admin invite and send its code to the bot.")


def removed(number: int, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Admin {number} removed.").format(number=number)


def no_such_admin(number: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("There is no stored admin {number}: see nhacviec admin list.").format(number=number)


def last_admin(locale: str) -> str:
    _ = gettext_for(locale)
    return _("This is the last admin: the office would have no one to run it. Invite another one first.")


def added(ref: str, *, already: bool, locale: str) -> str:
    _ = gettext_for(locale)
    if already:
        return _("{ref} already was an admin.").format(ref=ref)
    return _("{ref} is now an admin.").format(ref=ref)
