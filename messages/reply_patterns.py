"""Steps 4 and 5 of reading a reply (messages/parser.py says the whole): the pattern tables over the
canonical words, the masks of negations and futures, and the small readers `parse_status` decides with."""

from __future__ import annotations

import re
from datetime import date

from messages.reading import MAX_EXTENSION_DAYS, MAX_FOUND, Reading, Status
from messages.reply_text import shifted

# --- 4 and 5. Pattern tables over the canonical text ----------------------------------------------------------


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


_NUMBER_WORDS: dict[str, int] = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "tu": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "seven": 7,
    "ten": 10,
}
_NUMBER = _words("[0-9]{1,3}", *_NUMBER_WORDS, "vai", "few")
_ANY_WORDS = r"(?:\S+\s){0,%d}?"  # a bounded, lazy gap of whole words; %d is filled per pattern

QUESTION_MARK = re.compile(r"[?？]")
# How a question ends, read on whole words (not regexes: they would backtrack on long runs of particles).
_TRAILING_PARTICLES = frozenset({"a", "nhe", "nha", "voi", "em", "anh", "chi", "ban", "ak", "ah", "oi"})
# "dạ chưa", "em chưa", "vẫn chưa" answer; "đã nộp chưa", "xong chưa", "có số liệu chưa" ask.
_ANSWERS_BEFORE_CHUA = frozenset(
    {"da", "vang", "ok", "em", "anh", "chi", "minh", "toi", "ma", "thi", "roi", "van", "con"}
)
_QUESTION_PARTICLES = frozenset({"nhi", "ha"})  # "xong rồi nhỉ", "nộp rồi à" (à becomes "ha" when typed with its mark)


def is_question(canonical: str) -> bool:
    words = canonical.split()
    while words and words[-1] in _TRAILING_PARTICLES:
        words.pop()
    if len(words) < 2:
        return False
    last, before = words[-1], words[-2]
    if last == "chua":  # a DATE/PCT token before it is no verb: "dk 15/1, chưa" is an answer
        return before not in _ANSWERS_BEFORE_CHUA and before.islower()
    if last == "khong":  # "có số liệu không", "đã nộp không"; "dạ không" (just "no") has nothing in between
        return any(word in ("co", "da") for word in words[:-2])
    return last in _QUESTION_PARTICLES


_NEGATOR = _words("chua", "khong", "chang", "not", "never")
_NEGATION_FILLER = r"(?:" + _words("kip", "the", "co", "duoc", "lam", "dam", "yet", "been", "be", "ai") + r"\s){0,3}"
# A negated verb is masked by the kind of work it denies; the mask decides the status later.
_NEGATED = re.compile(
    rf"\b{_NEGATOR}\s{_NEGATION_FILLER}(?:"
    r"(?P<finish>xong|hoan thanh|hoan tat|hoan thien|done|finished|finish|completed|complete)"
    r"|(?P<submit>nop|gui|bao cao|chuyen|submitted|submit|sent|send|reported|report)"
    r"|(?P<start>lam|bat dau|trien khai|thuc hien|soan|started|start|begun|begin)"
    r"|(?P<sign>trinh))\b"
)
NEGATED_EXTENSION = re.compile(
    r"\b(?:khong|chua|not|no)\s(?:(?:can|xin|phai|need|muon)\s){0,2}"
    r"(?:gia han|lui|extension|extend|postpone|them thoi gian)\b"
)
_DONE_VERB = _words("xong", "hoan thanh", "hoan tat", "nop", "gui", "bao cao")
# "sẽ nộp", "sắp xong", "gần xong", "will submit", "almost done": about to finish, so in progress.
_FUTURE = re.compile(
    r"\b(?:se|sap|sap sua|chuan bi|gan|gan nhu|will|about to|going to|almost|nearly|soon)\s"
    + _ANY_WORDS % 2
    + r"(?:nop|gui|xong|hoan thanh|hoan tat|bao cao|submit|send|done|finished|finish|completed|complete)\b"
)
# A date ahead of a finish makes it a plan: "xong trước 15/1", "nộp 12/1", "mai xong", "2 ngày nữa xong". Only the
# verb is masked (the date stays for the expected date), and not when already done ("đã nộp 5/1", "hôm nay nộp rồi").
_WHEN = r"(?:DATE[0-9]+|" + _NUMBER + r"\s(?:ngay|hom|tuan)\snua)"
_FUTURE_BY_DATE = (
    re.compile(
        r"(?<!\bda\s)\b(?P<verb>"
        + _DONE_VERB
        + r")\s(?:(?:truoc|vao|trong|luc|khoang|ngay|hom)\s){0,2}"
        + _WHEN
        + r"\b(?!\s(?:\S+\s){0,2}?roi\b)"
    ),
    re.compile(r"\b" + _WHEN + r"\s(?:(?:se|thi|moi|la)\s)?(?P<verb>xong|hoan thanh|hoan tat)\b(?!\sroi\b)"),
)

EXTENSION = re.compile(
    r"\b(?:gia han|lui|xin hoan|hoan lai|hoan nop|khat|keo dai|dien han|nop (?:muon|cham|tre)"
    r"|them thoi gian|them " + _NUMBER + r"\s(?:ngay|hom|tuan)"
    r"|extension|extend|postpone|more time|delay|need (?:" + _NUMBER + r"\s)?more (?:days?|weeks?))\b"
)
_EXTENSION_DAYS = re.compile(
    r"\b(" + _NUMBER + r")\s(?:more\s|extra\s)?(ngay|hom|tuan|days?|weeks?)\b(?!\s(?:DATE|BADDATE|[0-9]))"
)
_DAYS_FROM_NOW = re.compile(r"\b(" + _NUMBER + r")\s(?:ngay|hom)\snua\b")  # "2 ngày nữa xong"

_WAITING_SIGNATURE = re.compile(
    r"\btrinh\s" + _ANY_WORDS % 2 + r"(?:ky|lanh dao|sep|duyet)\b"
    r"|\bdang trinh\b"
    # chờ ký / đợi lãnh đạo ký; "cho" is also "for", so not "báo cáo cho kỳ này"
    r"|\b(?:cho|doi)\s(?:(?:lanh dao|sep|thu truong|chu tich)\s)?(?:ky|duyet|phe duyet)\b"
    r"(?!\s(?:nay|truoc|sau|toi|bao cao))"
    # chờ lãnh đạo; but "gửi cho lãnh đạo" is sending, not waiting
    r"|\b(?<!gui\s)(?<!nop\s)(?<!chuyen\s)(?:cho|doi)\s(?:lanh dao|sep)\b"
    r"|\bchua ky\b|\bky duyet\b|\bchu ky\b"
    r"|\b(?:lanh dao|sep)\s(?:(?:dang|chua)\s)?(?:ky|xem|duyet)\b"
    r"|\b(?:waiting|pending|awaiting)\s(?:for\s)?(?:the\s)?(?:signature|approval|signing|sign)\b"
    r"|\bfor signature\b|\bto be signed\b"
)
_NO_DATA = re.compile(
    r"\b(?:chua|khong|thieu|missing|lack|lack of|without|no)\s"
    + _ANY_WORDS % 3
    + r"(?:so lieu|du lieu|data|thong tin|figures|numbers)\b"
    r"|\b(?:cho|doi|waiting for|waiting|dang cho)\s(?:so lieu|du lieu|data|figures)\b"
    r"|\b(?:so lieu|du lieu|data)\s(?:\S+\s)?(?:chua|khong|not|thieu|missing)\b"
)
_DONE = re.compile(
    r"\bda\s(?:(?:duoc|lam|tien hanh)\s)?"
    r"(?:nop|gui|bao cao|chuyen|xong|hoan thanh|hoan tat|up|upload|day len|dang tai|cap nhat)\b"
    r"|\b(?:nop|gui|bao cao|chuyen|up|upload|cap nhat)\s" + _ANY_WORDS % 6 + r"(?:roi|xong)\b"
    r"|\b(?:xong|hoan thanh|hoan tat)\b"
    r"|\b(?:done|submitted|sent|finished|completed|complete|delivered|uploaded)\b"
)
_IN_PROGRESS = re.compile(
    r"\bdang\b(?!\sky\b)"  # đang ...; "dang ky" is as likely đăng ký (register)
    r"|\b(?:FUTURE|NEGFINISH|NEGSIGN)\b"
    r"|\b(?:hoan thien|tong hop|soan thao|soan|xu ly|thuc hien|trien khai|bat dau|mot nua|nua chung|lam tiep)\b"
    r"|\blam\b(?!\son\b)"  # làm, but not "làm ơn" (please)
    r"|\b(?:in progress|working|ongoing|on it|doing|drafting|underway|processing|started|halfway)\b"
)
_NOT_STARTED = re.compile(r"\bNEGSTART\b|\bnot yet\b")
# An expected date: a marker before it ("dự kiến 12/1", "trước 15/1") or a finishing verb after it ("15/1 nộp").
MARKED_DATE = re.compile(
    r"\b(?:du kien|khoang|tam|chac|hy vong|expected|expect|eta|by|before|truoc|den|toi|han|until|till|hen)\s"
    r"(?:(?:ngay|vao|la|khoang|truoc|trong|luc|hom)\s){0,2}DATE([0-9]+)\b"
    r"|\bDATE([0-9]+)\s(?:(?:se|thi|moi|la)\s)?" + _DONE_VERB + r"\b"
)
# "chưa được 100%", "not 100%": the i-th percent token under a negation (one pattern per token, compiled once).
_DENIED_PERCENT = tuple(
    re.compile(rf"(?:\b(?:chua|khong|not)|NEG[A-Z]+)\s(?:\S+\s){{0,2}}?PCT{index}\b") for index in range(MAX_FOUND)
)
_EXPECTATION = re.compile(r"\b(?:du kien|eta|expected|expect)\b")
DATE_TOKEN = re.compile(r"\bDATE([0-9]+)\b")
WEAK_NOT_STARTED = re.compile(r"\bNEGSUBMIT\b|\bchua\b")
# Replies that only acknowledge the reminder: "Dạ", "dạ vâng", "ok", "vâng ạ", "đã nhận", "rồi ạ", "👍".
_ACKNOWLEDGEMENT = re.compile(
    r"\b(?:vang|da nhan|da xem|da ro|da|ok|u|uh|uhm|um|uk|roi|nhan|nhan duoc|duoc|noted|got it|thanks|thank you"
    r"|cam on|ro|hieu|em|anh|chi|a|nhe|nha|yes|yep|sure|ack|xin chao|chao|minh|toi)\b"
)

# After the masks, in this order: a reply that is waiting for a signature or for data may also say what was done
# ("đã làm xong, đang chờ ký"); one that is done may also say what is still going on ("đã nộp, đang gửi bản cứng").
RULES: tuple[tuple[re.Pattern[str], Status], ...] = (
    (_WAITING_SIGNATURE, "waiting_signature"),
    (_NO_DATA, "no_data"),
    (_DONE, "done"),
    (_IN_PROGRESS, "in_progress"),
    (_NOT_STARTED, "not_started"),
)


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)  # "vài" (a few) has no number


def mask(text: str) -> str:
    """Replace negated and future verbs by tokens, so the positive patterns cannot match inside them."""

    def negated(match: re.Match[str]) -> str:
        kind = match.lastgroup or "start"
        return f"NEG{kind.upper()}"

    text = _NEGATED.sub(negated, text)

    def future_verb(match: re.Match[str]) -> str:
        start, end = match.span("verb")
        whole = match.group(0)
        offset = match.start()
        return whole[: start - offset] + "FUTURE" + whole[end - offset :]

    text = _FUTURE.sub("FUTURE", text)
    for pattern in _FUTURE_BY_DATE:
        text = pattern.sub(future_verb, text)
    return text


def extension_days(text: str) -> int | None:
    match = _EXTENSION_DAYS.search(text)
    if match is None:
        return None
    count = _number(match.group(1))
    if count is None:
        return None
    days = count * 7 if match.group(2).startswith(("tuan", "week")) else count
    return days if 0 < days <= MAX_EXTENSION_DAYS else None


def first_date(pattern: re.Pattern[str], text: str, dates: list[date]) -> date | None:
    match = pattern.search(text)
    if match is None:
        return None
    index = next(group for group in match.groups() if group is not None)
    return dates[int(index)]


def expected_date(text: str, dates: list[date], today: date) -> date | None:
    """The date the reply announces: the first one with a marker, else the first one, else "N ngày nữa"."""
    found = first_date(MARKED_DATE, text, dates) or first_date(DATE_TOKEN, text, dates)
    if found is None:
        match = _DAYS_FROM_NOW.search(text)
        count = _number(match.group(1)) if match else None
        found = shifted(today, count) if count is not None and count <= MAX_EXTENSION_DAYS else None
    return found


def announces_date(text: str) -> bool:
    return any(pattern.search(text) for pattern in (MARKED_DATE, _EXPECTATION, _DAYS_FROM_NOW))


def percent_reading(percent: int, index: int, canonical: str, expected: date | None, note: str) -> Reading:
    """Under 100 is in progress whatever the verb ("đã xong 60%"); 100 is done unless denied ("chưa được 100%")."""
    if percent == 100 and not _DENIED_PERCENT[index].search(canonical):
        return Reading("done", percent=100, note=note)
    return Reading("in_progress", percent=percent if percent < 100 else None, expected_date=expected, note=note)


def is_acknowledgement(text: str) -> bool:
    return not _ACKNOWLEDGEMENT.sub(" ", text).strip()


# "-5%", "lùi -3 ngày": a minus sign straight before a number of percent, days or weeks (not the "-" of
# a date such as "12-1", which has a digit before it)
NEGATIVE_AMOUNT = re.compile(r"(?<![0-9])-[0-9]+(?:[.,][0-9]+)?\s?(?:%|phan tram\b|ngay\b|tuan\b|day|week)")
