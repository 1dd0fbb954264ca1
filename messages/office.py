"""The words of `/vanphong` (the office's identity: who it is, as its documents name it), its field
names as people type them, the set-up steps of a new office, and the notice that the body it names
has ended."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from messages.bodies import kind_of
from messages.formatting import short_day
from messages.i18n import N_, gettext_for
from messages.text import fold
from storage.models import OfficeIdentity

# (field, its label (msgid), the names people type for it, folded: Vietnamese with and without marks, English)
FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("parent", N_("Parent body"), ("cap tren", "co quan cap tren", "parent")),
    ("agency", N_("Agency"), ("co quan", "ten co quan", "agency")),
    ("place", N_("Place name"), ("dia danh", "place")),
    ("number_code", N_("Number code"), ("ky hieu", "code", "number code")),
    ("signer_authority", N_("Signing authority"), ("quyen ky", "tham quyen ky", "authority")),
    ("signer_title", N_("Signer's title"), ("chuc vu ky", "chuc vu nguoi ky", "chuc vu", "title")),
    ("signer_name", N_("Signer's name"), ("nguoi ky", "ten nguoi ky", "signer")),
    ("report_to", N_("Reports go to"), ("noi nhan bao cao", "noi nhan", "report to", "reports go to")),
    ("filed", N_("Filed"), ("luu", "filed")),
)
MAY_BE_EMPTY = ("signer_authority", "signer_name")  # "-" clears them: the head signs in person, by hand
EXAMPLE = "/vanphong cấp trên = UBND phường Mỹ Hào; cơ quan = Văn phòng HĐND và UBND; địa danh = Mỹ Hào"


def field_named(words: str) -> str | None:
    """The field these words name ('cấp trên', 'cap tren', 'parent'), or None."""
    folded = " ".join(fold(words).split())
    return next((name for name, _label, names in FIELDS if folded in names), None)


def field_labels(locale: str) -> list[tuple[str, str, str]]:
    """(field, its label in the reader's language, the name `/vanphong` reads it by) of each field."""
    _ = gettext_for(locale)
    return [(name, _(label), names[0]) for name, label, names in FIELDS]


def field_names(locale: str) -> str:
    """The fields as a person types them: 'cấp trên, cơ quan, ...'."""
    _ = gettext_for(locale)
    return ", ".join(_(label).lower() for _name, label, _names in FIELDS)


def full_agency(identity: OfficeIdentity) -> str:
    """'Văn phòng HĐND và UBND phường Mỹ Hào': the agency with the body it serves, as a sentence names it."""
    agency, parent = identity.agency.strip(), identity.parent.strip()
    if parent.startswith("UBND "):
        return f"{agency} {parent.removeprefix('UBND ')}".strip()
    return agency or parent


def place_of(parent: str) -> str:
    """'UBND phường Mỹ Hào' → 'Mỹ Hào': the place a letter is dated at, from the body the office serves."""
    body = parent.removeprefix("UBND ").strip()
    return kind_of(body[:1].upper() + body[1:]).rest if body else ""


def identity_text(identity: OfficeIdentity, locale: str, *, changed: bool = False) -> str:
    _ = gettext_for(locale)
    lines = [_("The office's details were changed:") if changed else _("The office's details:")]
    for name, label, _names in FIELDS:
        value = str(getattr(identity, name) or "").strip() or _("(not set)")
        lines.append(f"• {_(label)}: {value}")
    lines += ["", _("To change them: {example}").format(example=EXAMPLE)]
    return "\n".join(lines)


def usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "To change the office's details: /vanphong <field> = <value>; <field> = <value>\nFor example: {example}"
    ).format(example=EXAMPLE)


def unknown_field(words: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("The office's details have no field “{words}”. The fields: {fields}.").format(
        words=words, fields=field_names(locale)
    )


def empty_value(name: str, locale: str) -> str:
    _ = gettext_for(locale)
    label = next(label for field, label, _names in FIELDS if field == name)
    return _("“{field}” was given no value: write it after “=”, for example {example}").format(
        field=_(label).lower(), example=EXAMPLE
    )


def body_ended(body: str, ended: date, successor: str | None, locale: str) -> str:
    """The office's identity still names a body that ended: the line to send to name today's."""
    _ = gettext_for(locale)
    line = "/vanphong cấp trên = {body}".format(body=successor or _("<the parent body's name today>"))
    return _(
        "⚠️ {body} ended on {day}, and the office's letters, workbooks and tasks still name it. "
        "To name the body the office serves today, send:\n{line}"
    ).format(body=body, day=short_day(ended, locale), line=line)


@dataclass(frozen=True)
class SetUpStep:
    command: str  # "/vanphong"
    done: bool


_STEPS = {
    "/vanphong": N_("the office's details: /vanphong (who it is, as its letters name it)"),
    "/themdonvi": N_("the units it follows: /themdonvi <name>; <kind>, or the plan sheet (/maukehoach)"),
    "/moi": N_("invite each unit's official: /moi <unit>"),
    "/giao": N_("give a task: /giao <units>; <deadline>; <task>, or a plan's tasks at once with /maukehoach"),
}


def set_up_steps(steps: Sequence[SetUpStep], locale: str) -> str:
    """The set-up of a new office, in order, each step marked done or not."""
    _ = gettext_for(locale)
    lines = [_("To set up the office, in order:")]
    for number, step in enumerate(steps, start=1):
        mark = "✅" if step.done else "⬜"
        lines.append(f"{mark} {number}. {_(_STEPS[step.command])}")
    return "\n".join(lines)
