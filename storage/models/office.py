"""The office's identity: who it is, as its letters, workbooks and tasks name it (one row)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

IDENTITY_FIELDS = (
    "parent",
    "agency",
    "place",
    "number_code",
    "signer_authority",
    "signer_title",
    "signer_name",
    "report_to",
    "filed",
)


class OfficeIdentity(SQLModel, table=True):
    """The office as its documents name it; the settings seed it once, `/vanphong` changes it."""

    __tablename__ = "office_identity"

    id: int | None = Field(default=None, primary_key=True)  # always 1: one office a database
    parent: str = Field(default="", max_length=200)  # cấp trên, "UBND phường Mỹ Hào"
    agency: str = Field(default="", max_length=200)  # cơ quan, "Văn phòng HĐND và UBND"
    place: str = Field(default="", max_length=100)  # địa danh, "Mỹ Hào"
    number_code: str = Field(default="", max_length=32)  # ký hiệu, "VP": the letter is "Số: ..../VP"
    signer_authority: str = Field(default="", max_length=100)  # "KT. CHÁNH VĂN PHÒNG"; empty: the head signs
    signer_title: str = Field(default="", max_length=100)  # "PHÓ CHÁNH VĂN PHÒNG"
    signer_name: str = Field(default="", max_length=100)  # empty: written by hand
    report_to: str = Field(default="", max_length=200)  # nơi nhận báo cáo of the office's own tasks
    filed: str = Field(default="", max_length=100)  # lưu, "VT, VP"
    changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # None: as seeded
