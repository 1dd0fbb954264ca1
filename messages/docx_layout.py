"""The few pieces of Word layout an administrative document needs that python-docx has no call for.

Decree 30/2020/NĐ-CP, appendix I: A4, margins top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm,
Times New Roman; the header and the foot are tables without borders; a short solid rule under the
issuing body and one as long as the motto under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
TEXT_WIDTH = Mm(210 - 30 - 15)


def columns(first: Length) -> list[Length]:
    """Two columns across the text width, the first `first` wide."""
    return [first, Length(TEXT_WIDTH - first)]


def set_up_page(document: DocumentObject, *, size: float = 14) -> None:
    """A4 portrait, margins 20/20/30/15 mm, Times New Roman at `size` points for every script."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(size)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):  # Vietnamese letters are in several ranges
        fonts.set(qn(script), FONT)
    spacing = normal.paragraph_format
    spacing.space_before, spacing.space_after, spacing.line_spacing = Pt(0), Pt(0), 1.0
    _page_numbers(section)


def _page_numbers(section: Section) -> None:
    """Decree 30: the page number at the top, centred, from the second page on (the first has none)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"  # shown until the reader's program works the field out
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph with its own look."""

    text: str
    bold: bool = False
    italic: bool = False
    size: float | None = None  # points; None: the paragraph's


def write(
    paragraph: Paragraph,
    runs: Sequence[Run],
    *,
    align: WD_PARAGRAPH_ALIGNMENT = WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
) -> Paragraph:
    """Fill `paragraph` with `runs`, aligned, with `after` points of space below."""
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    for piece in runs:
        run = paragraph.add_run(piece.text)
        run.bold, run.italic = piece.bold or None, piece.italic or None
        if piece.size is not None:
            run.font.size = Pt(piece.size)
    return paragraph


def first_paragraph(cell: _Cell) -> Paragraph:
    """A new cell's one empty paragraph, then a new one each call."""
    first: Paragraph = cell.paragraphs[0]
    if not first.runs and len(cell.paragraphs) == 1:
        return first
    added: Paragraph = cell.add_paragraph()
    return added


def borderless_table(document: DocumentObject, rows: int, widths: Sequence[Length]) -> Table:
    """A table of fixed column widths without borders, across the text width."""
    table: Table = document.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "nil")
        borders.append(line)
    properties.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = width  # each cell's own, which Word reads
    return table


# What follows w:pBdr in a paragraph's properties (ECMA-376 part 1, 17.3.1.26): Word refuses another order.
_AFTER_BORDER = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def rule(cell: _Cell, length: Length) -> Paragraph:
    """A solid line `length` long, centred in `cell`: a paragraph 2 pt high with a top border,
    indented on both sides."""
    paragraph: Paragraph = cell.add_paragraph()
    form = paragraph.paragraph_format
    side = Length(max((cell.width or length) - length, 0) // 2)
    form.left_indent = form.right_indent = side
    form.line_spacing, form.space_before, form.space_after = Pt(2), Pt(3), Pt(0)
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "000000")):
        top.set(qn(name), value)
    border.append(top)
    paragraph._p.get_or_add_pPr().insert_element_before(border, *_AFTER_BORDER)
    return paragraph
