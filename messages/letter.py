"""The follow-up letter (công văn đôn đốc) to the late units, laid out as Decree 30/2020/NĐ-CP asks.

Always in Vietnamese: it goes out on the office's letterhead. Who issues and signs it is the office's
identity of the day (`/vanphong`), the plan it cites the late reports' own (`Letterhead`, built by the
core for each letter).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell

from messages.bodies import kind_of, reporting_body
from messages.docx_layout import Run, borderless_table, columns, first_paragraph, rule, set_up_page, write
from messages.formatting import official_date, official_short_date
from messages.i18n import N_, gettext_for
from messages.summary import OccurrenceView, UnitLine
from messages.text import fold

BLANK = "......"  # what the clerk fills in by hand: the letter's number, a plan's number or date not known


@dataclass(frozen=True)
class PlanCitation:
    """The plan the letter carries out, as its document names it; the office's own tasks (`office`), or
    reports of several plans (an empty title), cite no one document."""

    title: str  # "Kế hoạch tổ chức thực hiện Chủ đề công tác năm 2025"
    issuer: str  # "UBND thị xã Mỹ Hào": who issued the plan (never the office that writes the letter)
    number: str = ""  # "157/KH-UBND"; empty: left blank to fill in
    issued: date | None = None
    office: bool = False  # the tasks the office gave in chat or by sheet


@dataclass(frozen=True)
class Letterhead:
    """Who writes and signs the letter (the office's identity) and the plan it cites."""

    parent: str  # "UBND thị xã Mỹ Hào": cơ quan chủ quản, above the issuer
    issuer: str  # "Văn phòng HĐND và UBND"
    number_code: str  # "VP": the letter is "Số: ..../VP"
    place: str  # "Mỹ Hào"
    signer_authority: str  # "KT. CHÁNH VĂN PHÒNG"; empty when the head signs in person
    signer_title: str  # "PHÓ CHÁNH VĂN PHÒNG"
    signer_name: str  # empty: left for the signer to write
    plan: PlanCitation
    filed: str = "VT"  # "Lưu: VT."
    writer: str = ""  # "Văn phòng HĐND và UBND phường Mỹ Hào", as the body of the letter names it

    @classmethod
    def blank(cls) -> Letterhead:
        """Every name left to fill in by hand."""
        return cls(BLANK, BLANK, BLANK, BLANK, "", "", "", PlanCitation(BLANK, BLANK))


def late_lines(view: OccurrenceView) -> list[UnitLine]:
    return [line for line in view.lines if line.late > 0 and line.group != "done"]


def follow_up_letter(
    views: Sequence[OccurrenceView],
    *,
    today: date,
    reply_by: date,
    letterhead: Letterhead,
    now_called: Mapping[str, str | None] | None = None,
) -> bytes:
    """A draft letter to the late units of `views`, asking for their reports by `reply_by`.

    `now_called`: units that ended before today, with what they are part of now (None: nothing). The
    letter is addressed to units that exist; an ended unit's late report is listed under its old name
    with its successor's, and one that nothing took over is named as ended."""
    ended = now_called or {}
    document = Document()
    set_up_page(document)
    _header(document, letterhead, today)
    # a unit that ended with nothing after it is asked nothing: nobody is left to send its report
    late = [(view, [line for line in late_lines(view) if _now_named(line.unit, ended)]) for view in views]
    late = [(view, lines) for view, lines in late if lines]
    names = {name for _view, lines in late for line in lines for name in _now_named(line.unit, ended)}
    _addressed(document, _addressees(names), one_unit=len(names) == 1)
    _body(document, late, letterhead, today=today, reply_by=reply_by, ended=ended)
    _foot(document, letterhead)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _header(document: DocumentObject, head: Letterhead, today: date) -> None:
    """The two-column header: issuing body, number and subject; national motto, place and date."""
    _ = gettext_for("vi")
    table = borderless_table(document, 2, columns(Mm(68)))
    issuer, nation = table.cell(0, 0), table.cell(0, 1)
    write(first_paragraph(issuer), [Run(head.parent.upper(), size=12)])
    write(first_paragraph(issuer), [Run(head.issuer.upper(), bold=True, size=12)])
    rule(issuer, Mm(22))  # a third to a half of the name above
    write(first_paragraph(nation), [Run(_("SOCIALIST REPUBLIC OF VIETNAM"), bold=True, size=12)])
    write(first_paragraph(nation), [Run(_("Independence - Freedom - Happiness"), bold=True, size=13)])
    rule(nation, Mm(60))  # as long as the motto
    number, dated = table.cell(1, 0), table.cell(1, 1)
    number_line = _("No.: {number}/{code}").format(number=BLANK, code=head.number_code)
    write(first_paragraph(number), [Run(number_line, size=13)])
    cited = head.plan
    subject = _("Re: urging the reports under the {plan}").format(plan=cited.title)
    if cited.office or not cited.title:
        subject = _("Re: urging the reports on the tasks given")
    write(first_paragraph(number), [Run(subject, size=12)], after=12)
    place_date = _("{place}, {date}").format(place=head.place, date=official_date(today))
    write(first_paragraph(dated), [Run(place_date, italic=True)])
    for cell in (number, dated):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)


# Late units grouped as a letter addresses them: "- Các phòng: Nội vụ, Tư pháp;", by the word their names
# start with; a unit alone in its group is named whole ("- UBND phường Dị Sử;").
_GROUPS = {
    "Phòng": N_("Departments: {names}"),
    "Phường": N_("People's Committees of the wards: {names}"),
    "Xã": N_("People's Committees of the communes: {names}"),
    "Thị trấn": N_("People's Committees of the townships: {names}"),
}


def _addressees(names: set[str]) -> list[str]:
    """One line per kind of unit, in Vietnamese order ('Đường Hào' with the D's); other units alone."""
    _ = gettext_for("vi")
    grouped: dict[str, list[str]] = {word: [] for word in _GROUPS}
    alone = []
    for name in sorted(names, key=fold):
        kind = kind_of(name)
        grouped[kind.word].append(name) if kind.word in grouped else alone.append(reporting_body(name))
    lines = []
    for word, found in grouped.items():
        if len(found) == 1:
            lines.append(reporting_body(found[0]))
        elif found:
            lines.append(_(_GROUPS[word]).format(names=", ".join(kind_of(name).rest for name in found)))
    return lines + alone


def _addressed(document: DocumentObject, lines: list[str], *, one_unit: bool) -> None:
    """'Kính gửi: UBND phường Dị Sử.' on one line for one unit; else a line a group under 'Kính gửi:'."""
    _ = gettext_for("vi")
    if one_unit or not lines:
        text = _("To: {units}").format(units=(lines or [BLANK])[0]) + "."
        write(document.add_paragraph(), [Run(text)], after=12)
        return
    write(document.add_paragraph(), [Run(_("To:"))], align=WD_ALIGN_PARAGRAPH.LEFT).paragraph_format.left_indent = Cm(
        2.5
    )
    for index, line in enumerate(lines):
        end = "." if index == len(lines) - 1 else ";"
        paragraph = write(document.add_paragraph(), [Run(f"- {line}{end}")], align=WD_ALIGN_PARAGRAPH.LEFT)
        paragraph.paragraph_format.left_indent = Cm(4.5)
        paragraph.paragraph_format.space_after = Pt(12 if end == "." else 0)


def _body(
    document: DocumentObject,
    late: list[tuple[OccurrenceView, list[UnitLine]]],
    head: Letterhead,
    *,
    today: date,
    reply_by: date,
    ended: Mapping[str, str | None],
) -> None:
    _ = gettext_for("vi")
    _text(document, _cited(head, today))
    for number, (view, lines) in enumerate(late, start=1):
        # the plan's own words ("trước ngày 20/01/2025"), then the legal last day they give
        said = (_("by {day}") if view.inclusive else _("before {day}")).format(day=f"{view.nominal:%d/%m/%Y}")
        deadline = official_date(view.legal_last_day)
        heading = _("{duty} ({said}; legal last day {deadline}):").format(duty=view.duty, said=said, deadline=deadline)
        _text(document, f"{number}. {heading}")
        for index, line in enumerate(lines):
            said = _("{unit}: {days} working days late").format(unit=_letter_name(line.unit, ended), days=line.late)
            last = index == len(lines) - 1
            _text(document, f"- {said}" + ("." if last else ";"), after=6 if last else 0)
    asked = _(
        "{issuer} asks the heads of the units above to see that their reports are sent by {day}, to be compiled "
        "for {parent}."
    )
    writer = head.writer or head.issuer
    _text(document, asked.format(issuer=writer, day=official_short_date(reply_by), parent=head.parent))


def _cited(head: Letterhead, today: date) -> str:
    """The letter's first sentence: what it carries out (a plan, the office's tasks, or both)."""
    _ = gettext_for("vi")
    plan = head.plan
    if plan.office:
        return _(
            "Under the tasks given by {writer}, as of {today} the units below have not sent their reports by the "
            "deadline:"
        ).format(writer=head.writer or head.issuer, today=official_short_date(today))
    if not plan.title:
        return _(
            "Under the plans and tasks given, as of {today} the units below have not sent their reports by the "
            "deadline:"
        ).format(today=official_short_date(today))
    subject = plan.title.removeprefix("Kế hoạch ").removeprefix("kế hoạch ")
    return _(
        "Under Plan No. {number} of {day} of {issuer} on {subject}, as of {today} the units below have not sent "
        "their reports by the deadline:"
    ).format(
        number=plan.number or BLANK,
        day=official_short_date(plan.issued) if plan.issued else BLANK,
        issuer=plan.issuer or head.parent,
        subject=subject[:1].lower() + subject[1:] if subject != plan.title else plan.title,
        today=official_short_date(today),
    )


def _text(document: DocumentObject, text: str, *, after: float = 6) -> None:
    """A paragraph of the body: justified, its first line indented, `after` points below."""
    paragraph = write(document.add_paragraph(), [Run(text)], align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=after)
    paragraph.paragraph_format.first_line_indent = Cm(1.27)
    paragraph.paragraph_format.line_spacing = 1.15


def _foot(document: DocumentObject, head: Letterhead) -> None:
    """'Nơi nhận:' and its list on the left; the signer's authority, room to sign, and name on the right."""
    _ = gettext_for("vi")
    table = borderless_table(document, 1, columns(Mm(80)))
    recipients, signer = table.cell(0, 0), table.cell(0, 1)
    for cell in (recipients, signer):
        cell.paragraphs[0].paragraph_format.space_before = Pt(12)
    left = WD_ALIGN_PARAGRAPH.LEFT
    write(first_paragraph(recipients), [Run(_("Recipients:"), bold=True, italic=True, size=12)], align=left)
    # Decree 30: "Lưu: VT, <the drafting unit's symbol>." (`filed` says both)
    kept = [_("- As above;"), _("- The leaders of {parent} (for their information);"), _("- Filed: {filed}.")]
    for line in kept:
        said = line.format(parent=head.parent, filed=_filed(head.filed, head.number_code))
        write(first_paragraph(recipients), [Run(said, size=11)], align=left)
    _signature(signer, head)


def _signature(cell: _Cell, head: Letterhead) -> None:
    for line in (head.signer_authority, head.signer_title):
        if line.strip():
            write(first_paragraph(cell), [Run(line.upper(), bold=True)])
    for _blank in range(4):  # room for the signature and the seal
        first_paragraph(cell)
    write(first_paragraph(cell), [Run(head.signer_name, bold=True)])


def _now_named(unit: str, ended: Mapping[str, str | None]) -> list[str]:
    """Whom a late unit's letter goes to: the unit, or the units that took it over (none: nobody)."""
    if unit not in ended:
        return [unit]
    return [name for name in (ended[unit] or "").split(", ") if name]


def _letter_name(unit: str, ended: Mapping[str, str | None]) -> str:
    _ = gettext_for("vi")
    if unit not in ended:
        return reporting_body(unit)
    after = ended[unit]
    if after is None:
        return _("{unit} (ended)").format(unit=unit)
    successors = ", ".join(reporting_body(name) for name in after.split(", "))
    return _("{unit} (now {successor})").format(unit=unit, successor=successors)


def _filed(filed: str, code: str) -> str:
    """Decree 30's "Lưu: VT, <the drafting unit's symbol>": the office's own words when they name both."""
    filed = filed.strip() or "VT"
    return filed if "," in filed or not code else f"{filed}, {code}"
