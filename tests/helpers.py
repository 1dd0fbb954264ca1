"""Playing people against the core in tests."""

from __future__ import annotations

import re

from bot.app import App
from bot.core import Incoming, Outcome
from bot.core.types import Attachment

CODE = re.compile(r"/dangky ([A-Z2-9]{10})")


async def say(
    app: App,
    user_id: int | str,
    text: str,
    *,
    name: str = "Nguyễn Văn A",
    private: bool = True,
    media: bool = False,
    reply_to: str | None = None,
    attachment: Attachment | None = None,
    channel: str = "telegram",
) -> Outcome:
    incoming = Incoming(
        channel=channel,
        user_id=str(user_id),
        chat_id=str(user_id),
        text=text,
        display_name=name,
        private=private,
        has_media=media,
        reply_to=reply_to,
        attachment=attachment,
    )
    return await app.core.handle(incoming)


def text_of(outcome: Outcome) -> str:
    return "\n".join(reply.text for reply in outcome.replies)


def code_in(outcome: Outcome) -> str:
    found = CODE.search(text_of(outcome))
    assert found, text_of(outcome)
    return found.group(1)


def late_by_report(text: str) -> dict[str, list[str]]:
    """/quahan (or a digest's late part) read back: each report's title and its late lines ("Unit: ...")."""
    found: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("📋 "):
            current = found.setdefault(line.removeprefix("📋 ").split(" (", 1)[0], [])
        elif line.startswith("• "):
            current.append(line.removeprefix("• "))
    return found


# The shipped plan's unit keys, in the plan file's order: the 13 xã/phường that merged on 1/7/2025,
# and the thị xã's 11 phòng.
OLD_XA_PHUONG = [
    "ban-yen-nhan",
    "phan-dinh-phung",
    "nhan-hoa",
    "di-su",
    "bach-sam",
    "minh-duc",
    "phung-chi-kien",
    "cam-xa",
    "duong-quang",
    "hoa-phong",
    "xuan-duc",
    "ngoc-lam",
    "hung-long",
]
PHONG = [
    "noi-vu",
    "tu-phap",
    "tai-chinh-ke-hoach",
    "tai-nguyen-moi-truong",
    "lao-dong-thuong-binh-xa-hoi",
    "van-hoa-thong-tin",
    "giao-duc-dao-tao",
    "y-te",
    "thanh-tra",
    "kinh-te",
    "quan-ly-do-thi",
]


def letter_lines(content: bytes) -> list[str]:
    """A .docx read as a person reads it: every paragraph's text in order, a table's cells row by row
    (the letter's header and foot are tables)."""
    from io import BytesIO

    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for block in Document(BytesIO(content)).iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines += [paragraph.text for row in block.rows for cell in row.cells for paragraph in cell.paragraphs]
    return lines


def workbook_rows(sheet: object) -> list[tuple[object, ...]]:
    """A sheet's unit rows (or the summary's report rows) without the number column: what follows the header."""
    from messages.workbook import HEADER_ROW

    rows = sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)  # type: ignore[attr-defined]
    return [tuple(row[1:]) for row in rows]


def recorded(text: str) -> str:
    """A confirmation without its moment: "Đã ghi nhận (09:00 ngày 06/01/2025): X" → "Đã ghi nhận: X"."""
    return re.sub(r"^Đã ghi nhận \([^)]*\): ", "Đã ghi nhận: ", text)
