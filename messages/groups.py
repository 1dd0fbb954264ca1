"""The words of `/nhom`: a group of units the office names in `/giao` and the plan's duties."""

from __future__ import annotations

from collections.abc import Sequence

from messages.i18n import gettext_for, ngettext_for


def group_usage(groups: Sequence[str], locale: str) -> str:
    _ = gettext_for(locale)
    text = _(
        "To make a group of units: /nhom <name>: <unit>, <unit>, …\n"
        "For example: /nhom khoi phong: Kinh tế, Văn hóa - Xã hội. /nhom <name> shows a group."
    )
    if groups:
        text += "\n" + _("Groups: {names}").format(names=", ".join(groups))
    return text


def group_shown(key: str, units: Sequence[str], locale: str) -> str:
    ngettext = ngettext_for(locale)
    head = ngettext("Group “{key}” ({n} unit):", "Group “{key}” ({n} units):", len(units)).format(key=key, n=len(units))
    return "\n".join([head, *(f"• {name}" for name in units)])


def group_made(key: str, units: Sequence[str], locale: str) -> str:
    _ = gettext_for(locale)
    use = _("Give it a task with /giao {key}; <deadline>; <task>.").format(key=key)
    return _("✅ Group saved.") + "\n" + group_shown(key, units, locale) + "\n" + use


def no_such_group(key: str, groups: Sequence[str], locale: str) -> str:
    _ = gettext_for(locale)
    return _("There is no group “{key}”.").format(key=key) + "\n" + group_usage(groups, locale)


def unknown_units(names: Sequence[str], locale: str) -> str:
    _ = gettext_for(locale)
    quoted = ", ".join(f"“{name}”" for name in names)
    return _("No current unit is called {names}: nothing was saved. /donvi lists the units.").format(names=quoted)
