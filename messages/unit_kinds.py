"""The kinds of units the office adds (`/themdonvi`, the plan sheet's "Đơn vị" sheet) and their names."""

from __future__ import annotations

import unicodedata

from messages.i18n import N_, gettext_for

# the kinds of today's structure (a province's sở, a xã/phường/đặc khu's phòng, ban, thôn, tổ dân phố),
# by the folded word the office writes
KIND_WORDS = {
    "phuong": "phuong",
    "xa": "xa",
    "dac khu": "dac-khu",
    "phong": "phong",
    "ban": "ban",
    "so": "so",
    "thon": "thon",
    "to dan pho": "to-dan-pho",
    "don vi": "don-vi",
}
_KIND: dict[str, str] = {
    "phuong": N_("ward (phường)"),
    "xa": N_("commune (xã)"),
    "dac-khu": N_("special zone (đặc khu)"),
    "phong": N_("department (phòng)"),
    "ban": N_("board (ban)"),
    "so": N_("provincial department (sở)"),
    "thon": N_("village (thôn)"),
    "to-dan-pho": N_("residential group (tổ dân phố)"),
    "don-vi": N_("unit (đơn vị)"),
    "van-phong": N_("the office (Văn phòng)"),
}
# a unit's name begins with its kind ("đơn vị" has no word of its own)
_TITLE = {
    "phuong": "Phường",
    "xa": "Xã",
    "dac-khu": "Đặc khu",
    "phong": "Phòng",
    "ban": "Ban",
    "so": "Sở",
    "thon": "Thôn",
    "to-dan-pho": "Tổ dân phố",
}
# A name that begins with an organisation's word is a whole name already: "Trung tâm Phục vụ hành
# chính công" of kind phòng is not "Phòng Trung tâm …" (a word or words at the start, with their marks)
ORGANISATION_WORDS = (
    "trung tâm", "bộ phận", "ban", "văn phòng", "sở", "đội", "tổ", "phòng", "phường", "xã", "đặc khu",
    "thôn", "chi cục", "chi nhánh", "cục", "hội", "ủy ban", "uỷ ban", "ubnd", "hđnd", "công an",
    "thanh tra", "kho bạc", "trạm", "trường", "bệnh viện", "quỹ", "hợp tác xã", "đoàn", "đảng ủy",
    "đảng uỷ", "mặt trận",
)  # fmt: skip


def kind_name(kind: str, locale: str) -> str:
    return gettext_for(locale)(_KIND.get(kind, kind))


def full_name(name: str, kind: str) -> str:
    """'Văn hóa và Thông tin' of kind phong is 'Phòng Văn hóa và Thông tin'; a name that begins with its
    kind word, or with an organisation's word (Trung tâm, Bộ phận, Ban, Văn phòng, Sở, Đội, Tổ…), stays
    as written."""
    title = _TITLE.get(kind, "")
    written = " ".join(unicodedata.normalize("NFC", name).lower().split()) + " "  # "Bần" is no "Ban"
    if not title or any(written.startswith(word + " ") for word in ORGANISATION_WORDS):
        return name
    return name if name.lower().startswith(title.lower() + " ") else f"{title} {name}"


def short_of(name: str, kind: str) -> str:
    """The name without its kind word: 'Phòng Văn hóa và Thông tin' is 'Văn hóa và Thông tin'."""
    title = _TITLE.get(kind, "")
    if title and name.lower().startswith(title.lower() + " "):
        return name[len(title) :].strip() or name
    return name
