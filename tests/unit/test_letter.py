"""The follow-up letter read back with python-docx: Decree 30/2020/NĐ-CP's layout, and its words."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from messages.letter import Letterhead, PlanCitation, follow_up_letter
from messages.summary import OccurrenceView, UnitLine
from storage.summary import UnitReport
from tests.helpers import letter_lines

PLAN = "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025"
HEAD = Letterhead(
    parent="UBND thị xã Mỹ Hào",
    issuer="Văn phòng HĐND và UBND",
    number_code="VP",
    place="Mỹ Hào",
    signer_authority="KT. CHÁNH VĂN PHÒNG",
    signer_title="PHÓ CHÁNH VĂN PHÒNG",
    signer_name="Nguyễn Văn An",
    plan=PlanCitation("Kế hoạch tổ chức thực hiện Chủ đề công tác năm 2025", "UBND thị xã Mỹ Hào"),
)


def view(*late: tuple[str, int], duty: str = PLAN, sent: tuple[str, ...] = ()) -> OccurrenceView:
    legal = date(2025, 1, 9)
    lines = [UnitLine(unit, "overdue", UnitReport(unit_id=i), days, legal) for i, (unit, days) in enumerate(late)]
    lines += [UnitLine(unit, "done", UnitReport(unit_id=100 + i), 0, legal) for i, unit in enumerate(sent)]
    return OccurrenceView(duty, date(2025, 1, 10), False, legal, legal, lines)


def letter(*views: OccurrenceView, head: Letterhead = HEAD, ended: dict[str, str | None] | None = None) -> bytes:
    return follow_up_letter(
        views, today=date(2025, 1, 13), reply_by=date(2025, 1, 16), letterhead=head, now_called=ended
    )


def opened(content: bytes) -> DocumentObject:
    return Document(BytesIO(content))


MANY = view(
    ("Phường Phan Đình Phùng", 2),
    ("Phường Đường Hào", 2),
    ("Xã Cẩm Xá", 2),
    ("Xã Hòa Phong", 2),
    ("Phòng Tư pháp", 2),
    ("Phòng Nội vụ", 2),
    ("Thanh tra thị xã", 2),
    sent=("Phường Bần Yên Nhân",),
)


def test_the_page_is_a4_with_the_decrees_margins_in_times_new_roman() -> None:
    document = opened(letter(MANY))
    section = document.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)  # Word keeps twentieths of a point
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [mm(margin) for margin in margins] == [20, 20, 30, 15]
    normal = document.styles["Normal"]
    assert (normal.font.name, normal.font.size) == ("Times New Roman", Pt(14))
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(f"w:{script}")) for script in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Times New Roman"}
    runs = [run for paragraph in _all_paragraphs(document) for run in paragraph.runs]
    assert runs
    assert all(run.font.name in (None, "Times New Roman") for run in runs)  # none sets another font
    assert all(run.font.size is None or Pt(11) <= run.font.size <= Pt(14) for run in runs)


def test_the_header_and_the_foot_are_two_tables_without_borders() -> None:
    document = opened(letter(MANY))
    assert len(document.tables) == 2
    for table in document.tables:
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert borders is not None
        assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
        assert len(borders) == 6  # top, left, bottom, right and the inside lines
    header, foot = document.tables
    assert mm(sum(column.width for column in header.columns)) == 165  # the text width
    assert mm(sum(column.width for column in foot.columns)) == 165


def test_the_header_names_the_issuer_above_the_number_and_the_nation_above_the_date() -> None:
    header = opened(letter(MANY)).tables[0]
    issuer, nation = _cell_lines(header, 0, 0), _cell_lines(header, 0, 1)
    assert issuer == [("UBND THỊ XÃ MỸ HÀO", False), ("VĂN PHÒNG HĐND VÀ UBND", True), ("", False)]
    assert nation == [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True), ("", False)]
    for cell in (header.cell(0, 0), header.cell(0, 1)):  # a rule under the issuer and under the motto
        rule = cell.paragraphs[-1]._p.pPr.find(qn("w:pBdr"))
        assert rule is not None
        assert rule.find(qn("w:top")).get(qn("w:val")) == "single"
    assert _cell_lines(header, 1, 0) == [
        ("Số: ....../VP", False),
        ("V/v đôn đốc gửi báo cáo theo Kế hoạch tổ chức thực hiện Chủ đề công tác năm 2025", False),
    ]
    [dated] = header.cell(1, 1).paragraphs
    assert dated.text == "Mỹ Hào, ngày 13 tháng 01 năm 2025"
    assert all(run.italic for run in dated.runs)


def test_the_letter_is_addressed_a_line_a_kind_of_unit() -> None:
    lines = letter_lines(letter(MANY))
    start = lines.index("Kính gửi:")
    assert lines[start + 1 : start + 5] == [
        "- Các phòng: Nội vụ, Tư pháp;",
        "- UBND các phường: Đường Hào, Phan Đình Phùng;",  # Vietnamese order: Đ with the D's
        "- UBND các xã: Cẩm Xá, Hòa Phong;",
        "- Thanh tra thị xã.",
    ]
    assert "Bần Yên Nhân" not in "\n".join(lines[start : start + 5])  # it sent


def test_one_late_unit_is_addressed_on_one_line() -> None:
    lines = letter_lines(letter(view(("Phường Dị Sử", 1))))
    assert "Kính gửi: UBND phường Dị Sử." in lines
    lines = letter_lines(letter(view(("Phòng Nội vụ", 1))))
    assert "Kính gửi: Phòng Nội vụ." in lines


def test_the_body_cites_the_plan_of_the_ubnd_lists_the_late_units_and_asks_for_a_date() -> None:
    lines = letter_lines(letter(MANY, view(("Phòng Nội vụ", 5), duty="Báo cáo tháng 12/2024")))
    body = "\n".join(lines)
    assert (
        "Thực hiện Kế hoạch số ...... ngày ...... của UBND thị xã Mỹ Hào về tổ chức thực hiện Chủ đề công tác "
        "năm 2025, đến ngày 13/01/2025, các đơn vị sau chưa gửi báo cáo theo thời hạn quy định:"
    ) in lines
    assert "của Văn phòng" not in body  # the UBND issued the plan, not the office
    first = lines.index(f"1. {PLAN} (hạn trước ngày 10/01/2025; hạn chót theo quy định: ngày 09 tháng 01 năm 2025):")
    assert lines[first + 1 : first + 3] == [
        "- UBND phường Phan Đình Phùng: chậm 2 ngày làm việc;",
        "- UBND phường Đường Hào: chậm 2 ngày làm việc;",
    ]
    assert lines[first + 7] == "- Thanh tra thị xã: chậm 2 ngày làm việc."
    assert lines[first + 8].startswith("2. Báo cáo tháng 12/2024 (hạn trước ngày")
    assert lines[first + 9] == "- Phòng Nội vụ: chậm 5 ngày làm việc."
    assert (
        "Văn phòng HĐND và UBND đề nghị thủ trưởng các đơn vị có tên trên quan tâm chỉ đạo, khẩn trương gửi báo cáo "
        "chậm nhất ngày 16/01/2025 để tổng hợp, báo cáo UBND thị xã Mỹ Hào./."
    ) in lines


def test_a_plans_number_and_date_are_cited_as_the_decree_writes_them() -> None:
    cited = PlanCitation("Kế hoạch tổ chức thực hiện Chủ đề công tác năm 2025", "UBND thị xã Mỹ Hào", "15/KH-UBND")
    head = Letterhead(**{**HEAD.__dict__, "plan": PlanCitation(**{**cited.__dict__, "issued": date(2025, 1, 6)})})
    body = "\n".join(letter_lines(letter(MANY, head=head)))
    assert "Thực hiện Kế hoạch số 15/KH-UBND ngày 06/01/2025 của UBND thị xã Mỹ Hào về tổ chức thực hiện" in body


def test_the_foot_has_the_recipients_and_the_signature_side_by_side() -> None:
    foot = opened(letter(MANY)).tables[1]
    recipients = foot.cell(0, 0).paragraphs
    assert [p.text for p in recipients] == [
        "Nơi nhận:",
        "- Như trên;",
        "- Lãnh đạo UBND thị xã Mỹ Hào (để báo cáo);",
        "- Lưu: VT, VP.",  # Decree 30: the drafting unit's symbol after VT (issue 26)
    ]
    assert all(run.bold and run.italic for run in recipients[0].runs)
    assert recipients[0].runs[0].font.size == Pt(12)
    assert {run.font.size for p in recipients[1:] for run in p.runs} == {Pt(11)}
    signature = [(p.text, all(run.bold for run in p.runs)) for p in foot.cell(0, 1).paragraphs if p.text]
    assert signature == [("KT. CHÁNH VĂN PHÒNG", True), ("PHÓ CHÁNH VĂN PHÒNG", True), ("Nguyễn Văn An", True)]
    blank = [p.text for p in foot.cell(0, 1).paragraphs][2:-1]
    assert blank == [""] * 4  # room to sign and seal


def test_a_head_who_signs_in_person_has_no_authority_line() -> None:
    head = Letterhead(**{**HEAD.__dict__, "signer_authority": "", "signer_title": "CHÁNH VĂN PHÒNG", "signer_name": ""})
    foot = opened(letter(MANY, head=head)).tables[1]
    assert [p.text for p in foot.cell(0, 1).paragraphs if p.text] == ["CHÁNH VĂN PHÒNG"]


def test_an_ended_unit_is_listed_with_what_it_is_part_of_now() -> None:
    ended = {"Phường Bần Yên Nhân": "Phường Mỹ Hào", "Phòng Tư pháp": None}
    lines = letter_lines(letter(view(("Phường Bần Yên Nhân", 3), ("Phòng Tư pháp", 3)), ended=ended))
    assert "Kính gửi: UBND phường Mỹ Hào." in lines  # to units that exist
    assert "- Phường Bần Yên Nhân (nay là UBND phường Mỹ Hào): chậm 3 ngày làm việc." in lines
    assert not any("Tư pháp" in line for line in lines)  # ended with nothing after it: asked nothing (issue 26)


@pytest.mark.parametrize("head", [Letterhead.blank(), HEAD])
def test_every_name_is_the_letterheads(head: Letterhead) -> None:
    """Nothing of Mỹ Hào is written by the code: a core built without settings leaves it all blank."""
    body = "\n".join(letter_lines(letter(MANY, head=head)))
    assert ("Mỹ Hào" in body) == (head is HEAD)
    assert ("Văn phòng HĐND" in body) == (head is HEAD)


def mm(length: int | None) -> float:
    return round((length or 0) / Mm(1), 1)


def _all_paragraphs(document: DocumentObject) -> list:  # type: ignore[type-arg]
    cells = [cell for table in document.tables for row in table.rows for cell in row.cells]
    return list(document.paragraphs) + [p for cell in cells for p in cell.paragraphs]


def _cell_lines(table: Table, row: int, column: int) -> list[tuple[str, bool]]:
    """Each paragraph of a cell with whether all of it is bold."""
    return [(p.text, bool(p.runs) and all(run.bold for run in p.runs)) for p in table.cell(row, column).paragraphs]


def test_pages_are_numbered_from_the_second_at_the_top_centre() -> None:
    """Decree 30: the page number in the header, centred, from page 2 on (the first page has none)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section = opened(letter(MANY)).sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_header.paragraphs[0].text
    numbered = section.header.paragraphs[0]
    assert numbered.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" in numbered._p.xml
