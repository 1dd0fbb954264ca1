"""What the office reads about units it adds, renames, ends and merges, and what waits after a merger."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from messages.formatting import short_day
from messages.i18n import N_, gettext_for
from messages.unit_kinds import kind_name
from storage.models import Duty, Unit
from storage.people import OfficialView


def add_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "Write: /themdonvi <unit name>; <kind>[; <group>...]\n"
        "Kinds: phòng, ban, xã, phường, đặc khu, tổ dân phố, thôn, sở, đơn vị.\n"
        "For example: /themdonvi Văn hóa - Xã hội; phòng; phong-ban"
    )


def unknown_kind(kind: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "Unknown kind of unit “{kind}”: write phòng, ban, xã, phường, đặc khu, tổ dân phố, thôn, sở or đơn vị."
    ).format(kind=kind)


def unknown_groups(groups: Sequence[str], known: Sequence[str], locale: str) -> str:
    _ = gettext_for(locale)
    return _("No group named {groups}. The groups: {known}.").format(
        groups=", ".join(f"“{g}”" for g in groups), known=", ".join(known) or "-"
    )


def bad_name(problem: str, name: str, limit: int, locale: str) -> str:
    """Why a name was refused: `problem` is "long" or "invisible" (bot/core/limits.py)."""
    _ = gettext_for(locale)
    if problem == "long":
        text = _("A unit's name can have at most {limit} characters; this one has {length}. Nothing was changed.")
        return text.format(limit=limit, length=len(name))
    return _(
        "A unit's name cannot have invisible characters or ones that change the text's direction "
        "(such as U+202E). Nothing was changed."
    )


def name_taken(unit: Unit, locale: str) -> str:
    _ = gettext_for(locale)
    return _("There is already a unit named so: {name} ({key}). Nothing was added.").format(
        name=unit.name, key=unit.key
    )


def unit_added(unit: Unit, groups: Sequence[str], locale: str) -> str:
    _ = gettext_for(locale)
    lines = [
        _("Added {name} (key {key}, {kind}).").format(name=unit.name, key=unit.key, kind=kind_name(unit.kind, locale))
    ]
    if groups:
        lines.append(_("Groups: {groups}.").format(groups=", ".join(groups)))
    lines.append(_("Invite its official: /moi {key} official").format(key=unit.key))
    return "\n".join(lines)


def unit_facts(unit: Unit, groups: Sequence[str], successors: Sequence[Unit], locale: str) -> str:
    """A unit's kind, groups, validity and successors, under its name in /donvi."""
    _ = gettext_for(locale)
    lines = [_("Key: {key}; {kind}").format(key=unit.key, kind=kind_name(unit.kind, locale))]
    if groups:
        lines.append(_("Groups: {groups}.").format(groups=", ".join(groups)))
    if unit.valid_from:
        lines.append(_("In existence from {day}.").format(day=short_day(unit.valid_from, locale)))
    if unit.valid_to:
        lines.append(_("In existence until the end of {day}.").format(day=short_day(unit.valid_to, locale)))
    if successors:
        lines.append(_("Merged into: {units}.").format(units=", ".join(u.name for u in successors)))
    return "\n".join(lines)


def change_usage(key: str, change: str, locale: str) -> str:
    _ = gettext_for(locale)
    usages = {
        "rename": _("Write: /donvi {key} đổi tên <new name>"),
        "end": _("Write: /donvi {key} kết thúc từ <dd/mm/yyyy> (the first day it no longer exists)"),
        "merge": _("Write: /donvi {key} sắp xếp vào <unit> từ <dd/mm/yyyy>"),
    }
    return usages[change].format(key=key)


def bad_day(problem: str, written: str, locale: str) -> str:
    _ = gettext_for(locale)
    if problem == "date":
        return _("There is no such day: {text}.").format(text=written)
    if problem == "past":
        return _("{text} is already past: name today or a later day.").format(text=written)
    return _("Write the day as dd/mm/yyyy, for example 01/07/2026 (not “{text}”).").format(text=written)


def renamed(old: str, unit: Unit, locale: str) -> str:
    _ = gettext_for(locale)
    return _("{old} is now called {new}; the old name still finds it.").format(old=old, new=unit.name)


def already_ended(unit: Unit, locale: str) -> str:
    _ = gettext_for(locale)
    day = short_day(unit.valid_to + timedelta(days=1), locale) if unit.valid_to else "?"
    return _("{name} no longer exists from {day}.").format(name=unit.name, day=day)


def gone(name: str, last: date, successors: Sequence[str], locale: str) -> str:
    """What a command naming a unit that ended says: that it ended, when, and what took it over."""
    _ = gettext_for(locale)
    text = _("{name} ended on {day}.").format(name=name, day=short_day(last, locale))
    if successors:
        return text + " " + _("It was merged into {successors}.").format(successors=", ".join(successors))
    return text + " " + _("No unit took it over.")


def gone_unit(unit: Unit, successors: Sequence[Unit], locale: str) -> str:
    return gone(unit.name, unit.valid_to or date.min, [successor.name for successor in successors], locale)


def ended(unit: Unit, locale: str) -> str:
    _ = gettext_for(locale)
    last = unit.valid_to or date.min
    return _("{name} exists until the end of {last} and owes no deadline after it (from {first} on).").format(
        name=unit.name, last=short_day(last, locale), first=short_day(last + timedelta(days=1), locale)
    )


def merged(unit: Unit, successor: Unit, locale: str) -> str:
    _ = gettext_for(locale)
    last = unit.valid_to or date.min
    return _("{name} is merged into {successor} from {first}: it exists until the end of {last}.").format(
        name=unit.name,
        successor=successor.name,
        first=short_day(last + timedelta(days=1), locale),
        last=short_day(last, locale),
    )


def not_into_itself(locale: str) -> str:
    _ = gettext_for(locale)
    return _("A unit cannot be merged into itself.")


def successor_not_valid(successor: Unit, first: date, locale: str) -> str:
    _ = gettext_for(locale)
    return _("{name} does not exist on {day}: merge into a unit that exists then.").format(
        name=successor.name, day=short_day(first, locale)
    )


def waiting(
    unit: Unit, successors: Sequence[Unit], officials: Sequence[OfficialView], duties: Sequence[Duty], locale: str
) -> str:
    """What the office has still to decide about an ended unit's officials and tasks."""
    _ = gettext_for(locale)
    into = ", ".join(u.name for u in successors)
    lines = [_("Waiting for the office's decision (merged into {units}):").format(units=into)]
    for view in officials:
        lines.append(
            _("- Does #{id} {name} move to {units}?").format(
                id=view.official.id, name=view.person.display_name, units=into
            )
        )
    if duties:
        titles = "; ".join(duty.title for duty in duties)
        lines.append(_("- Do its tasks move to {units}? ({titles})").format(units=into, titles=titles))
    return "\n".join(lines)


def nothing_waiting(unit: Unit, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Nothing of {name} waits for a decision.").format(name=unit.name)


def official_moved(view: OfficialView, successor: Unit, locale: str) -> str:
    _ = gettext_for(locale)
    return _("#{id} {name} now works for {unit}, and receives its reminders; their role in {old} ended.").format(
        id=view.official.id, name=view.person.display_name, unit=successor.name, old=view.unit.name
    )


def official_not_moved(view: OfficialView, locale: str) -> str:
    _ = gettext_for(locale)
    return _("#{id} {name} does not move: their role in {old} ended.").format(
        id=view.official.id, name=view.person.display_name, old=view.unit.name
    )


def you_moved(old: Unit, successor: Unit, locale: str) -> str:
    _ = gettext_for(locale)
    return _("{old} is merged into {new}: you now receive the reminders of {new}.").format(
        old=old.name, new=successor.name
    )


def tasks_moved(duties: Sequence[Duty], successor: Unit, locale: str) -> str:
    _ = gettext_for(locale)
    return _("These tasks are now {unit}'s: {titles}.").format(
        unit=successor.name, titles="; ".join(d.title for d in duties)
    )


def tasks_dropped(duties: Sequence[Duty], unit: Unit, ended_duties: Sequence[Duty], locale: str) -> str:
    _ = gettext_for(locale)
    lines = [_("{unit} no longer owes: {titles}.").format(unit=unit.name, titles="; ".join(d.title for d in duties))]
    if ended_duties:
        titles = "; ".join(d.title for d in ended_duties)
        lines.append(_("Ended, since no unit is left to report: {titles}.").format(titles=titles))
    return "\n".join(lines)


def no_such_official_here(number: str, unit: Unit, locale: str) -> str:
    _ = gettext_for(locale)
    return _("No official #{number} waits for a decision in {unit}.").format(number=number, unit=unit.name)


_LABELS = {
    "rename": N_("Rename"),
    "end": N_("End"),
    "merge": N_("Merge"),
    "move": N_("✅ moves"),
    "stay": N_("❌ does not"),
    "tasks_move": N_("✅ tasks move"),
    "tasks_stay": N_("❌ tasks do not"),
}


def label(name: str, locale: str) -> str:
    return gettext_for(locale)(_LABELS[name])


def asked_from(unit: Unit, locale: str) -> str:
    _ = gettext_for(locale)
    first = (unit.valid_to or date.min) + timedelta(days=1)
    return _("From {day}, /donvi {key} asks whether its officials and tasks move.").format(
        day=short_day(first, locale), key=unit.key
    )
