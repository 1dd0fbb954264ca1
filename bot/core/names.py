"""Finding a unit by what a person types: any case, with or without diacritics, prefix or alias.

`match_names` looks at names only; `match_units` also follows merges to the units valid on a day.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from messages.text import fold
from storage.models import OFFICE_KIND, Unit

_KIND_WORDS = ("phuong ", "xa ", "phong ", "p. ", "x. ", "p.", "x.")
_KINDS = ("phuong", "xa", "phong")


@dataclass(frozen=True)
class UnitMatch:
    """The units a name points to today; `merged` maps a found old unit to the successor chosen."""

    units: list[Unit]
    merged: dict[str, Unit] = field(default_factory=dict)
    upcoming: list[Unit] = field(default_factory=list)  # when none is valid today: named units that start later

    @property
    def unique(self) -> Unit | None:
        return self.units[0] if len(self.units) == 1 else None


def _names(unit: Unit) -> list[str]:
    """Folded names to compare; the full name also without its kind word ('Phường', 'Xã')."""
    names = [unit.short_name, unit.key, unit.key.replace("-", " "), *unit.aliases]
    folded = [fold(name) for name in names if name]
    return [*folded, _without_kind(fold(unit.name))]


def _without_kind(query: str) -> str:
    for word in _KIND_WORDS:
        if query.startswith(word):
            return query[len(word) :].strip()
    return query


def match_names(query: str, units: list[Unit]) -> list[Unit]:
    folded = fold(query)
    if not folded:
        return []
    if folded in _KINDS:  # "phòng" alone: every department
        return [unit for unit in units if unit.kind == folded]
    queries = {folded, _without_kind(folded)} - {""}
    named = [(unit, _names(unit), fold(unit.name)) for unit in units]
    # The full name with its kind word counts only when typed whole: "Ph" must not match every phường.
    exact = [unit for unit, names, full in named if any(q in (*names, full) for q in queries)]
    if exact:
        return exact
    for test in (lambda name, q: name.startswith(q), lambda name, q: f" {q}" in f" {name}"):
        found = [unit for unit, names, _full in named if any(test(n, q) for n in names for q in queries)]
        if found:
            return found
    return []


def split_names(text: str, units: list[Unit], *, separators: str = ",") -> list[str]:
    """The names a list of units is written as, each part stripped: where parts joined by a separator
    make a known name ("Phòng Kinh tế, Hạ tầng và Đô thị", Decree 150/2025), the longest one is read
    whole, before its first part ("Phòng Kinh tế") could be taken for a unit of its own."""
    pieces = re.split(f"([{re.escape(separators)}]+)", text)
    parts, between = pieces[0::2], pieces[1::2]
    known = {" ".join(name.split()) for unit in units for name in (*_names(unit), fold(unit.name))}
    names: list[str] = []
    start = 0
    while start < len(parts):
        end = next((end for end in range(len(parts), start + 1, -1) if _known(parts, between, start, end, known)), 0)
        end = end or start + 1
        names.append("".join(parts[i] + (between[i] if i < end - 1 else "") for i in range(start, end)).strip())
        start = end
    return [name for name in names if name]


def _known(parts: list[str], between: list[str], start: int, end: int, known: set[str]) -> bool:
    joined = " ".join(fold("".join(parts[i] + (between[i] if i < end - 1 else "") for i in range(start, end))).split())
    return bool(joined) and (joined in known or _without_kind(joined) in known)


def current(unit: Unit, today: date) -> bool:
    """Whether people name the unit today (to invite, find or list it): while it is valid, and the office
    always. The office's people keep working after the plan ends its unit (the thị xã's Văn phòng ended
    with the thị xã); a unit's validity bounds the reminders it gets, and the office gets none."""
    return unit.kind == OFFICE_KIND or unit.valid_on(today)


def match_units(query: str, units: list[Unit], *, today: date) -> UnitMatch:
    """Units current today that `query` names; an old unit's name leads to its single successor."""
    by_key = {unit.key: unit for unit in units}
    now = [unit for unit in units if current(unit, today)]
    found: dict[str, Unit] = {}
    merged: dict[str, Unit] = {}
    for unit in match_names(query, [u for u in units if current(u, today) or _expired(u, today)]):
        if current(unit, today):
            found[unit.key] = unit
            continue
        successors = [by_key[k] for k in unit.successors if k in by_key and current(by_key[k], today)]
        if len(successors) == 1:
            found[successors[0].key] = successors[0]
            merged[unit.key] = successors[0]
    units_found = sorted(found.values(), key=lambda u: now.index(u) if u in now else 0)
    merged_old = {key: target for key, target in merged.items() if target in units_found}
    old_units = {key: by_key[key] for key in merged_old}
    later = [] if units_found else match_names(query, [u for u in units if u.valid_from and u.valid_from > today])
    return UnitMatch(units_found, {old_units[k].name: v for k, v in merged_old.items()}, later)


def predecessors(unit: Unit, units: list[Unit], *, today: date) -> list[Unit]:
    """The units valid today that merge into `unit`."""
    return [other for other in units if unit.key in other.successors and other.valid_on(today)]


def named_exactly(query: str, units: list[Unit], *, today: date) -> Unit | None:
    """The one unit valid today whose name, short name, key or alias is `query` whole (no prefix)."""
    folded = fold(query)
    queries = {folded, _without_kind(folded)} - {""}
    found = [u for u in units if u.valid_on(today) and queries & {*_names(u), fold(u.name)}]
    return found[0] if len(found) == 1 else None


def named_as(query: str, units: list[Unit]) -> list[Unit]:
    """The units, of any validity, whose name, short name, key or alias is `query` whole."""
    folded = fold(query)
    queries = {folded, _without_kind(folded)} - {""}
    return [u for u in units if queries & {*_names(u), fold(u.name)}]


def _expired(unit: Unit, today: date) -> bool:
    return unit.valid_to is not None and unit.valid_to < today


def suggestions(query: str, units: list[Unit], *, today: date, limit: int = 6) -> list[Unit]:
    """Units current today whose names look like `query`, best first; all of them if none does."""
    now = [unit for unit in units if current(unit, today)]
    folded = _without_kind(fold(query))
    scored = []
    for unit in now:
        ratio = max(difflib.SequenceMatcher(None, folded, name).ratio() for name in _names(unit))
        scored.append((ratio, unit))
    close = [unit for ratio, unit in sorted(scored, key=lambda pair: -pair[0]) if ratio >= 0.6]
    return close[:limit] if close else now


def ended_named(query: str, units: list[Unit], *, today: date) -> tuple[Unit, list[Unit]] | None:
    """The unit that ended before today `query` names, when it names no current unit, with its
    successors: what /moi, /giao and /tonghop say instead of "no such unit"."""
    ended = [unit for unit in units if _expired(unit, today) and unit.kind != OFFICE_KIND]
    found = named_as(query, ended) or match_names(query, ended)
    if not found:
        return None
    by_key = {unit.key: unit for unit in units}
    return found[0], [by_key[key] for key in found[0].successors if key in by_key]


def one_unit_named(query: str, units: list[Unit]) -> tuple[Unit | None, list[Unit]]:
    """The one unit, current or ended, that `query` names (a whole name first), else the candidates:
    what the office needs to reach an ended unit's history or close what it owed."""
    found = match_names(query, units)
    exact = [unit for unit in found if fold(query) in (fold(unit.name), fold(unit.short_name))]
    candidates = exact or found
    return (candidates[0] if len(candidates) == 1 else None), candidates
