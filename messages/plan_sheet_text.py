"""What the office reads about a plan sheet: the preview of an import (what it will create, change and
end), the cells it cannot read, and the answers around it. The sheet's cells are messages/plan_sheet.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal

from messages.cycles import Deadline, next_deadlines
from messages.i18n import gettext_for, ngettext_for
from messages.plan_sheet import COLUMNS, PLAN_FIELDS, label
from messages.text import shorten

SHOWN = 10  # rows of each kind listed in a preview: a 500-row sheet still fits one message
SHOWN_PROBLEMS = 25


@dataclass(frozen=True)
class Problem:
    """A cell that cannot be read: `row` None for the plan's header (then `column` is its field)."""

    row: int | None
    column: str
    kind: str  # "title", "long", "unit", "ambiguous", "deadline", "repeat", "date", "key"
    # the unit's name as written, why the deadline cannot be read ("date", "past", "words"), or the limit
    detail: str = ""
    cell: str = ""  # the plan header's cell ("B4")


@dataclass
class Preview:
    """A sheet read against the plan: what ✅ will write (`content`), and what it could not read."""

    plan_key: str
    plan_title: str
    new_plan: bool
    plan_values: dict[str, Any] = field(default_factory=dict)  # all of a new plan's; a plan's changes
    created: list[dict[str, Any]] = field(default_factory=list)  # each with its "row"
    changed: list[dict[str, Any]] = field(default_factory=list)  # {"key", "row", "title", "values"}
    ended: list[dict[str, Any]] = field(default_factory=list)  # {"key", "title"}
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    upcoming: dict[int, list[Deadline]] = field(default_factory=dict)  # a new recurring row's next deadlines

    @property
    def nothing(self) -> bool:
        return not (self.created or self.changed or self.ended or self.plan_values)

    def content(self) -> dict[str, Any]:
        """What ✅ applies, as JSON."""
        keys = ("plan_key", "plan_title", "new_plan", "plan_values", "created", "changed", "ended")
        return {key: getattr(self, key) for key in keys}


def preview_text(preview: Preview, locale: str, *, tap: bool = True) -> str:
    """The import's preview: counts first, then the first rows of each kind (and the buttons to tap)."""
    _ = gettext_for(locale)
    head = _("New plan “{title}”") if preview.new_plan else _("Plan “{title}”")
    lines = [
        "📥 " + head.format(title=shorten(preview.plan_title, 120)),
        _("To create: {created} tasks; to change: {changed}; to end: {ended}; unchanged: {same}.").format(
            created=len(preview.created), changed=len(preview.changed), ended=len(preview.ended), same=preview.unchanged
        ),
    ]
    if preview.plan_values and not preview.new_plan:
        fields = ", ".join(label(name, locale, PLAN_FIELDS) for name in preview.plan_values if name != "active")
        lines.append(_("The plan's header changes: {fields}.").format(fields=fields or _("it is in force again")))
    created = [_row_line(item, locale, preview.upcoming.get(item["row"], [])) for item in preview.created]
    lines += _listed(_("Created:"), created, locale)
    lines += _listed(_("Changed:"), [_changed_line(item, locale) for item in preview.changed], locale)
    ended = ["• " + shorten(item["title"], 100) for item in preview.ended]
    lines += _listed(_("Ended (not in the sheet; their history is kept):"), ended, locale)
    if tap:
        lines.append(_("Tap ✅ Apply to write it, or ❌ Cancel."))
    return "\n".join(lines)


def _listed(title: str, lines: Sequence[str], locale: str) -> list[str]:
    ngettext = ngettext_for(locale)
    if not lines:
        return []
    more = len(lines) - SHOWN
    tail = [ngettext("… and {n} more.", "… and {n} more.", more).format(n=more)] if more > 0 else []
    return ["", title, *lines[:SHOWN], *tail]


def _row_line(item: dict[str, Any], locale: str, upcoming: Sequence[Deadline] = ()) -> str:
    _ = gettext_for(locale)
    units = shorten(item["shown_units"], 60)
    line = _("• row {row}: {title} ({units}; {deadline})").format(
        row=item["row"], title=shorten(item["title"], 80), units=units, deadline=item["shown"]
    )
    return "\n  ".join([line, *next_deadlines(upcoming, locale)])


_CHANGES = {"title": "title", "rule": "deadline", "groups": "units", "units": "units", "note": "note"}


def _changed_line(item: dict[str, Any], locale: str) -> str:
    _ = gettext_for(locale)
    names = list(dict.fromkeys(label(_CHANGES[name], locale) for name in item["values"] if name in _CHANGES))
    if "in_plan" in item["values"]:
        names.append(_("back in the plan"))
    return _("• row {row}: {title} ({what})").format(
        row=item["row"], title=shorten(item["title"], 80), what=", ".join(names)
    )


def problems_text(problems: Sequence[Problem], locale: str) -> str:
    """Every cell that cannot be read (the first ones, and how many more): nothing was applied."""
    ngettext = ngettext_for(locale)
    _ = gettext_for(locale)
    lines = [
        ngettext(
            "Nothing was applied: {n} cell cannot be read. Correct it and send the file again.",
            "Nothing was applied: {n} cells cannot be read. Correct them and send the file again.",
            len(problems),
        ).format(n=len(problems))
    ]
    lines += ["• " + problem_line(problem, locale) for problem in problems[:SHOWN_PROBLEMS]]
    more = len(problems) - SHOWN_PROBLEMS
    if more > 0:
        lines.append(ngettext("… and {n} more.", "… and {n} more.", more).format(n=more))
    return "\n".join(lines)


def problem_line(problem: Problem, locale: str) -> str:
    """'row 12, column Units: no unit is called “Phòng ABC”'."""
    _ = gettext_for(locale)
    if problem.row is None:
        where = _("cell {cell} ({name})").format(cell=problem.cell, name=label(problem.column, locale, PLAN_FIELDS))
    else:
        name = label(problem.column, locale, COLUMNS)
        where = _("row {row}, column {name}").format(row=problem.row, name=name)
    return f"{where}: {_why(problem, locale)}"


def _why(problem: Problem, locale: str) -> str:
    _ = gettext_for(locale)
    detail = shorten(problem.detail, 80)
    if problem.kind == "title":
        return _("empty: write the title")
    if problem.kind == "long":
        return _("longer than {limit} characters: shorten it").format(limit=problem.detail)
    if problem.kind == "unit":
        return _("no unit or group is called “{name}”").format(name=detail) if detail else _("empty: name the units")
    if problem.kind == "ambiguous":
        return _("“{name}” names several units: write more of the name").format(name=detail)
    if problem.kind == "repeat":
        return _("“{words}” is not a repetition: write không, hằng tháng, hằng quý or hằng năm").format(words=detail)
    if problem.kind == "date":
        return _("“{words}” is not a date: write dd/mm/yyyy").format(words=detail)
    if problem.kind == "key":
        return _("the code {key} belongs to a task of another plan").format(key=detail)
    return deadline_problem(problem.detail, locale)


def deadline_problem(problem: str, locale: str) -> str:
    """Why a deadline cannot be read (messages.deadline_words' problem)."""
    _ = gettext_for(locale)
    if problem == "date":
        return _("no such day (such as 31/02)")
    if problem == "past":
        return _("that day is already over")
    return _(
        "not a deadline: write “trước 04/12/2026”, “chậm nhất 04/12/2026”, “ngày 20 hằng tháng” or “15/6 hằng năm”"
    )


def sheet_error(problem: str, missing: Sequence[str], locale: str, *, limit: int = 0) -> str:
    """A file that is not a plan sheet at all, or one past a limit (`limit` names it)."""
    _ = gettext_for(locale)
    if problem == "columns":
        names = ", ".join(f"“{label(key, locale)}”" for key in missing)
        return _("The sheet has no column {names}: use the template (/maukehoach) and send it again.").format(
            names=names
        )
    if problem == "rows":
        text = _("The sheet has more than {limit} rows, too many for a plan: keep one row a task and send it again.")
        return text.format(limit=format_decimal(limit, locale=locale))
    if problem == "wide":
        text = _("The sheet has more than {limit} columns: use the template (/maukehoach) and send it again.")
        return text.format(limit=limit)
    if problem == "size":
        text = _("The file unpacks to more than {limit} MB, too big for a plan: send the plan's sheet alone.")
        return text.format(limit=limit)
    if problem == "strings":
        text = _("The file holds more than {limit} texts, too many for a plan: keep one row a task and send it again.")
        return text.format(limit=format_decimal(limit, locale=locale))
    return _("Cannot read the Excel file: send the plan as an .xlsx workbook (the template: /maukehoach).")


def nothing_to_change(title: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("📥 Plan “{title}”: nothing to change, the sheet says what the plan says.").format(
        title=shorten(title, 120)
    )


def applied(preview: dict[str, Any], locale: str) -> str:
    _ = gettext_for(locale)
    return _("✅ Plan “{title}” applied: {created} tasks created, {changed} changed, {ended} ended.").format(
        title=shorten(preview["plan_title"], 120),
        created=len(preview["created"]),
        changed=len(preview["changed"]),
        ended=len(preview["ended"]),
    )


def confirm_apply(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Apply it?")


def cancelled(locale: str) -> str:
    _ = gettext_for(locale)
    return _("❌ The sheet was not applied: nothing changed.")


def already_decided(locale: str) -> str:
    _ = gettext_for(locale)
    return _("This sheet was applied or cancelled already.")


def decide_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Send the plan sheet (an .xlsx file) to the bot; the template: /maukehoach.")


def apply_label(locale: str) -> str:
    _ = gettext_for(locale)
    return _("✅ Apply")


def cancel_label(locale: str) -> str:
    _ = gettext_for(locale)
    return _("❌ Cancel")


def template_caption(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "The plan sheet: fill the plan's header and one row a task (units: names, groups or “tất cả”; "
        "deadline: as in /giao), then send the file back here."
    )


def export_caption(title: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("The plan “{title}” as a sheet: change it and send it back to apply.").format(title=shorten(title, 120))


def no_download(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "Files cannot be sent in this chat: send /taikehoach for a link to the page that takes the plan sheet "
        "(or use `nhacviec plan import`)."
    )


def download_failed(locale: str) -> str:
    _ = gettext_for(locale)
    return _("The file could not be downloaded: send it again.")
