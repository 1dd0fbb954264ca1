"""Units and groups named in a command ("Nội vụ, Kinh tế, theo dõi cam kết", "tất cả"): each name is a
group's key (with or without diacritics or dashes) or a unit matched as everywhere (bot/core/names.py:
with or without diacritics, aliases, unique prefix, an old unit's single successor)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.core.names import current, match_units, split_names
from messages.text import fold
from storage.models import OFFICE_KIND, Unit

_SEPARATORS = ",;\n"
_EVERYONE = ("tat ca", "tatca", "all", "moi don vi")
_KINDS = ("phuong", "xa", "phong")  # "phòng" alone names every department (names.match_names)


@dataclass
class NamedUnits:
    """What the names found: units by key, groups by key, and the names that found none or several."""

    units: list[Unit] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    ambiguous: list[tuple[str, list[Unit]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.units or self.groups) and not self.unknown and not self.ambiguous


def group_named(name: str, groups: list[str]) -> str | None:
    folded = fold(name).replace("-", " ")
    return next((group for group in groups if fold(group).replace("-", " ") == folded), None)


def named_units(text: str, units: list[Unit], groups: list[str], *, today: date) -> NamedUnits:
    """Every unit and group the comma-separated names name; each name must name one (or a kind word all)."""
    found = NamedUnits()
    for name in split_names(text, units, separators=_SEPARATORS):
        if not name:
            continue
        folded = fold(name)
        if folded in _EVERYONE:
            _add(found, [u for u in units if u.kind != OFFICE_KIND and current(u, today)])
        elif (group := group_named(name, groups)) is not None:
            if group not in found.groups:
                found.groups.append(group)
        else:
            matched = match_units(name, units, today=today).units
            if not matched:
                found.unknown.append(name)
            elif len(matched) > 1 and folded not in _KINDS:
                found.ambiguous.append((name, matched))
            else:
                _add(found, matched)
    return found


def _add(found: NamedUnits, units: list[Unit]) -> None:
    keys = {unit.key for unit in found.units}
    found.units += [unit for unit in units if unit.key not in keys]
