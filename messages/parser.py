"""Read an official's free-text reply to a reminder ("Đã nộp", "ko co sl", "60%", "xin lùi 3 ngày") into a status.

Pure and data-only: no user-facing sentences here. The reading goes in five steps:

1. Prepare: keep the first `HEAD` characters, resolve the few words whose diacritics matter ("dạ" is a polite yes,
   "chùa" a pagoda; typed without marks they fold to "da" = đã and "chua" = chưa), then `fold()`.
2. Extract numbers that carry meaning: percents become `PCT<i>` tokens, dates become `DATE<i>` tokens (impossible
   dates become `BADDATE`), so later patterns see "du kien DATE0" and never mistake "3/4" for anything else.
   Tokens are upper case and folded text is lower case, so a reply cannot forge one.
3. Tokenise and expand abbreviations (ko → khong, dk → du kien, sl → so lieu, r → roi, ...) into a canonical text
   of lowercase ASCII words.
4. Mask phrases that would fool the positive patterns: negations ("chua nop" → NEGSUBMIT) and futures
   ("se nop", "sap xong" → FUTURE), so "xong" in "chưa xong" or "sắp xong" is never read as done.
5. Decide by explicit precedence (see `parse_status`).

When a reply is unsure the reading is "unclear" and the caller asks back with one-tap choices (DOMAIN.md §5):
a wrong "done" silently stops the reminders, a wrong "unclear" costs one tap, so doubtful replies lean unclear.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args

from messages.text import fold

Status = Literal["done", "in_progress", "waiting_signature", "no_data", "extension_requested", "not_started", "unclear"]
STATUSES: tuple[Status, ...] = get_args(Status)

HEAD = 500  # only this much of a reply is read (and kept as the note); replies are a line or two
MAX_WORDS = 100  # and of that, only the first words: bounds the time on 500 characters of one-letter words
MAX_FOUND = 10  # percents or dates extracted; more cannot change the reading and would lengthen the text
MAX_EXTENSION_DAYS = 366


@dataclass(frozen=True)
class Reading:
    status: Status
    percent: int | None = None  # 0..100 when given
    expected_date: date | None = None  # "dự kiến 12/1", "gia hạn đến 20/1"
    extension_days: int | None = None  # "xin lùi 3 ngày"
    note: str = ""  # the text the person wrote, trimmed to HEAD characters, for the record

    def as_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "percent": self.percent,
            "expected_date": self.expected_date.isoformat() if self.expected_date else None,
            "extension_days": self.extension_days,
            "note": self.note,
        }


# --- 1. Preparing the text ------------------------------------------------------------------------------------

# Words whose meaning is lost by folding. Only applied when the reply was typed with diacritics; without them the
# ambiguity stays and context decides ("da nop" is done, "da" alone is an acknowledgement either way).
_WITH_DIACRITICS: dict[str, str] = {
    "dạ": "vang",  # polite yes, not đã
    "chùa": "pagoda",  # not chưa
    "chữa": "sua",  # "đang chữa lại" (correcting), not chưa
    "à": "ha",  # sentence-final question particle, not the polite ạ
}
_DIACRITIC_WORDS = re.compile(r"\b(?:" + "|".join(_WITH_DIACRITICS) + r")\b")
_CONTRACTION = re.compile(r"n['’]t\b")  # English "haven't" → "have not" so negation patterns see "not"


def _prepare(text: str) -> str:
    lowered = unicodedata.normalize("NFC", text[:HEAD].lower())
    lowered = _DIACRITIC_WORDS.sub(lambda m: _WITH_DIACRITICS[m.group(0)], lowered)
    return _CONTRACTION.sub(" not", fold(lowered))


# --- 2. Percents and dates ------------------------------------------------------------------------------------

# Patterns that start with a digit put their "not preceded by" check after the first digit, not before it: a pattern
# that starts with a lookbehind makes `re` try every position, one that starts with [0-9] lets it skip to digits.

# "60%", "60 %", "12.5%" (floored: 99.9% is not done), "60 phan tram", "40 percent"; not the "5%" of "2.5%".
_PERCENT = re.compile(r"([0-9](?<![0-9.,][0-9])[0-9]{0,2})(?:[.,][0-9]+)?\s?(?:%|phan tram\b|percent\b|pct\b)")

# d/m, d/m/yy, d/m/yyyy, d-m, d.m; not part of a longer number ("12/2025/ND-CP"), not a range of days ("3-4 ngày").
_NUMERIC_DATE = re.compile(
    r"([0-9](?<![0-9][0-9])(?<![0-9][/.-][0-9])[0-9]?)([/.-])([0-9]{1,2})(?:\2([0-9]{4}|[0-9]{2}))?"
    r"(?![0-9])(?![/.-][0-9])(?!\s?(?:ngay|hom|tuan|thang|days?|weeks?)\b)"
)
# "12 tháng 1", "ngày 12 tháng 1 năm 2025" ("ngày" stays as a word; the expected-date patterns allow it).
_WORDED_DATE = re.compile(r"([0-9](?<![0-9a-z][0-9])[0-9]?)\s(?:thang|thg)\s?([0-9]{1,2})(?:\s(?:nam\s)?([0-9]{4}))?\b")
# "thứ 6" (Friday), "chủ nhật", optionally "tuần sau": the next such day on or after today.
_WEEKDAY = re.compile(r"\b(?:thu\s?([2-7])|chu nhat)(\s(?:tuan|week)\s(?:sau|toi|next))?\b")
# Relative days, longest phrases first so "ngay mai" is not read as "ngay" + "mai".
_RELATIVE_DAYS: dict[str, int] = {
    "hom nay": 0,
    "chieu nay": 0,
    "sang nay": 0,
    "trua nay": 0,
    "toi nay": 0,
    "trong ngay": 0,
    "today": 0,
    "tonight": 0,
    "ngay mai": 1,
    "sang mai": 1,
    "trua mai": 1,
    "chieu mai": 1,
    "toi mai": 1,
    "tomorrow": 1,
    "mai": 1,
    "ngay kia": 2,
    "ngay mot": 2,
}
_RELATIVE = re.compile(r"\b(?:" + "|".join(_RELATIVE_DAYS) + r")\b")


def _nearest(day: int, month: int, today: date) -> date | None:
    """A date without a year: the valid occurrence closest to today (last, this or next year), ties toward the
    future. So on 28/12 "3/1" is next January, and on 6/1 "2/1" is four days ago. None when no year has it."""
    candidates: list[date] = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    return min(candidates, key=lambda d: (abs((d - today).days), d < today))


def _calendar_date(day: str, month: str, year: str | None, today: date) -> date | None:
    if year is None:
        return _nearest(int(day), int(month), today)
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    try:
        return date(full_year, int(month), int(day))
    except ValueError:  # 30/2, 32/1, 0/5, year 0
        return None


def _shifted(today: date, days: int) -> date | None:
    try:
        return today + timedelta(days=days)
    except OverflowError:
        return None


def _weekday(match: re.Match[str], today: date) -> date | None:
    # Vietnamese counts days from Sunday: thứ 2 is Monday (weekday 0) ... thứ 7 is Saturday (5); chủ nhật is 6.
    target = int(match.group(1)) - 2 if match.group(1) else 6
    ahead = (target - today.weekday()) % 7 + (7 if match.group(2) else 0)
    return _shifted(today, ahead)


@dataclass
class _Extracted:
    text: str  # folded, with PCT<i> / DATE<i> / BADDATE tokens in place of what was extracted
    percents: list[int | None]
    dates: list[date]


def _extract(folded: str, today: date) -> _Extracted:
    percents: list[int | None] = []
    dates: list[date] = []

    def percent(match: re.Match[str]) -> str:
        value = int(match.group(1))
        percents.append(value if value <= 100 else None)
        return f" PCT{len(percents) - 1} "

    def as_token(found: date | None) -> str:
        if found is None:
            return " BADDATE "
        dates.append(found)
        return f" DATE{len(dates) - 1} "

    def worded(match: re.Match[str]) -> str:
        return as_token(_calendar_date(match.group(1), match.group(2), match.group(3), today))

    def numeric(match: re.Match[str]) -> str:
        return as_token(_calendar_date(match.group(1), match.group(3), match.group(4), today))

    text = _PERCENT.sub(percent, folded, count=MAX_FOUND)
    text = _WORDED_DATE.sub(worded, text, count=MAX_FOUND)
    text = _NUMERIC_DATE.sub(numeric, text, count=MAX_FOUND)
    text = _WEEKDAY.sub(lambda m: as_token(_weekday(m, today)), text, count=MAX_FOUND)
    text = _RELATIVE.sub(lambda m: as_token(_shifted(today, _RELATIVE_DAYS[m.group(0)])), text, count=MAX_FOUND)
    return _Extracted(text, percents, dates)


# --- 3. Tokens and abbreviations ------------------------------------------------------------------------------

_TOKEN = re.compile(r"PCT[0-9]+|DATE[0-9]+|BADDATE|[a-z0-9]+")

_ABBREVIATIONS: dict[str, str] = {
    # không
    "ko": "khong",
    "k": "khong",
    "kh": "khong",
    "khg": "khong",
    "kg": "khong",
    "hok": "khong",
    "hong": "khong",
    "khum": "khong",
    # chưa, đang, rồi, được, xong
    "chx": "chua",
    "dg": "dang",
    "dag": "dang",
    "wip": "dang",
    "r": "roi",
    "rui": "roi",
    "ruj": "roi",
    "roai": "roi",
    "dc": "duoc",
    "xg": "xong",
    "xog": "xong",
    # nouns of the trade
    "dk": "du kien",
    "dkien": "du kien",
    "sl": "so lieu",
    "bc": "bao cao",
    "bcao": "bao cao",
    "tl": "tra loi",
    "vs": "voi",
    "ld": "lanh dao",
    "ki": "ky",
    "tg": "thoi gian",
    "lm": "lam",
    "giahan": "gia han",
    "e": "em",
    "mk": "minh",
    "mik": "minh",
    # acknowledgements
    "oke": "ok",
    "okie": "ok",
    "oki": "ok",
    "okay": "ok",
    "okela": "ok",
    "okey": "ok",
    # English contractions typed without the apostrophe
    "havent": "have not",
    "hasnt": "has not",
    "didnt": "did not",
    "dont": "do not",
    "doesnt": "does not",
    "isnt": "is not",
    "arent": "are not",
    "wont": "will not",
    "cannot": "can not",
}


def _canonical(text: str) -> str:
    tokens = _TOKEN.findall(text)[:MAX_WORDS]
    return " ".join(_ABBREVIATIONS.get(token, token) for token in tokens)


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

_QUESTION_MARK = re.compile(r"[?？]")
# How a question ends, read on whole words (not regexes: they would backtrack on long runs of particles).
_TRAILING_PARTICLES = frozenset({"a", "nhe", "nha", "voi", "em", "anh", "chi", "ban", "ak", "ah", "oi"})
# "dạ chưa", "em chưa", "vẫn chưa" answer; "đã nộp chưa", "xong chưa", "có số liệu chưa" ask.
_ANSWERS_BEFORE_CHUA = frozenset(
    {"da", "vang", "ok", "em", "anh", "chi", "minh", "toi", "ma", "thi", "roi", "van", "con"}
)
_QUESTION_PARTICLES = frozenset({"nhi", "ha"})  # "xong rồi nhỉ", "nộp rồi à" (à becomes "ha" when typed with its mark)


def _is_question(canonical: str) -> bool:
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
_NEGATED_EXTENSION = re.compile(
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

_EXTENSION = re.compile(
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
_MARKED_DATE = re.compile(
    r"\b(?:du kien|khoang|tam|chac|hy vong|expected|expect|eta|by|before|truoc|den|toi|han|until|till|hen)\s"
    r"(?:(?:ngay|vao|la|khoang|truoc|trong|luc|hom)\s){0,2}DATE([0-9]+)\b"
    r"|\bDATE([0-9]+)\s(?:(?:se|thi|moi|la)\s)?" + _DONE_VERB + r"\b"
)
# "chưa được 100%", "not 100%": the i-th percent token under a negation (one pattern per token, compiled once).
_DENIED_PERCENT = tuple(
    re.compile(rf"(?:\b(?:chua|khong|not)|NEG[A-Z]+)\s(?:\S+\s){{0,2}}?PCT{index}\b") for index in range(MAX_FOUND)
)
_EXPECTATION = re.compile(r"\b(?:du kien|eta|expected|expect)\b")
_DATE_TOKEN = re.compile(r"\bDATE([0-9]+)\b")
_WEAK_NOT_STARTED = re.compile(r"\bNEGSUBMIT\b|\bchua\b")
# Replies that only acknowledge the reminder: "Dạ", "dạ vâng", "ok", "vâng ạ", "đã nhận", "rồi ạ", "👍".
_ACKNOWLEDGEMENT = re.compile(
    r"\b(?:vang|da nhan|da xem|da ro|da|ok|u|uh|uhm|um|uk|roi|nhan|nhan duoc|duoc|noted|got it|thanks|thank you"
    r"|cam on|ro|hieu|em|anh|chi|a|nhe|nha|yes|yep|sure|ack|xin chao|chao|minh|toi)\b"
)

# After the masks, in this order: a reply that is waiting for a signature or for data may also say what was done
# ("đã làm xong, đang chờ ký"); one that is done may also say what is still going on ("đã nộp, đang gửi bản cứng").
_RULES: tuple[tuple[re.Pattern[str], Status], ...] = (
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


def _mask(text: str) -> str:
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


def _extension_days(text: str) -> int | None:
    match = _EXTENSION_DAYS.search(text)
    if match is None:
        return None
    count = _number(match.group(1))
    if count is None:
        return None
    days = count * 7 if match.group(2).startswith(("tuan", "week")) else count
    return days if 0 < days <= MAX_EXTENSION_DAYS else None


def _first_date(pattern: re.Pattern[str], text: str, dates: list[date]) -> date | None:
    match = pattern.search(text)
    if match is None:
        return None
    index = next(group for group in match.groups() if group is not None)
    return dates[int(index)]


def _expected_date(text: str, dates: list[date], today: date) -> date | None:
    """The date the reply announces: the first one with a marker, else the first one, else "N ngày nữa"."""
    found = _first_date(_MARKED_DATE, text, dates) or _first_date(_DATE_TOKEN, text, dates)
    if found is None:
        match = _DAYS_FROM_NOW.search(text)
        count = _number(match.group(1)) if match else None
        found = _shifted(today, count) if count is not None and count <= MAX_EXTENSION_DAYS else None
    return found


def _announces_date(text: str) -> bool:
    return any(pattern.search(text) for pattern in (_MARKED_DATE, _EXPECTATION, _DAYS_FROM_NOW))


def _percent_reading(percent: int, index: int, canonical: str, expected: date | None, note: str) -> Reading:
    """Under 100 is in progress whatever the verb ("đã xong 60%"); 100 is done unless denied ("chưa được 100%")."""
    if percent == 100 and not _DENIED_PERCENT[index].search(canonical):
        return Reading("done", percent=100, note=note)
    return Reading("in_progress", percent=percent if percent < 100 else None, expected_date=expected, note=note)


def _is_acknowledgement(text: str) -> bool:
    return not _ACKNOWLEDGEMENT.sub(" ", text).strip()


# "-5%", "lùi -3 ngày": a minus sign straight before a number of percent, days or weeks (not the "-" of
# a date such as "12-1", which has a digit before it)
_NEGATIVE_AMOUNT = re.compile(r"(?<![0-9])-[0-9]+(?:[.,][0-9]+)?\s?(?:%|phan tram\b|ngay\b|tuan\b|day|week)")


def parse_status(text: str, *, today: date) -> Reading:
    """Read a reply into a status. Never raises, for any string; pure; well under a millisecond.

    Precedence, first match wins:
      nothing readable or a question ("đã nộp chưa?")   → unclear
      a negative amount ("-5%", "xin lùi -3 ngày")       → unclear (asked back, never read as 5% or 3 days)
      extension ("xin lùi 3 ngày", "gia hạn đến 20/1")  → extension_requested (+ days, date, percent)
      a percent                                          → done at 100 (unless negated), else in_progress
      [negated and future verbs are masked here: "chưa nộp", "sắp xong" cannot read as done]
      waiting for a signature ("chờ ký", "đã trình ký") → waiting_signature
      no data ("chưa có số liệu", "ko co sl")           → no_data
      done ("đã nộp", "xong rồi", "submitted")          → done
      in progress ("đang làm", "sẽ nộp", "chưa xong")   → in_progress
      not started ("chưa làm", "chưa bắt đầu")          → not_started
      an expected date ("dk 15/1", "2 ngày nữa")        → in_progress
      "chưa nộp", a bare "chưa"                          → not_started
      acknowledgement only ("dạ", "ok", "vâng ạ")       → unclear
      anything else                                      → unclear (carrying a date if one was given)
    """
    note = text.strip()[:HEAD]
    folded = _prepare(note)
    if _QUESTION_MARK.search(folded) or _NEGATIVE_AMOUNT.search(folded):
        return Reading("unclear", note=note)
    extracted = _extract(folded, today)
    canonical = _canonical(extracted.text)
    if not canonical:
        return Reading("unclear", note=note)
    if _is_question(canonical):
        return Reading("unclear", note=note)

    canonical = _NEGATED_EXTENSION.sub("NEGEXT", canonical)
    percent = next((value for value in extracted.percents if value is not None), None)
    if _EXTENSION.search(canonical):
        return Reading(
            "extension_requested",
            percent=percent,
            expected_date=_first_date(_MARKED_DATE, canonical, extracted.dates)
            or _first_date(_DATE_TOKEN, canonical, extracted.dates),
            extension_days=_extension_days(canonical),
            note=note,
        )

    masked = _mask(canonical)
    expected = _expected_date(masked, extracted.dates, today)
    if percent is not None:
        return _percent_reading(percent, extracted.percents.index(percent), canonical, expected, note)

    for pattern, status in _RULES:
        if pattern.search(masked):
            # a done report has nothing more to expect; "đã nộp ngày 5/1" is when, not an expected date
            return Reading(status, expected_date=None if status == "done" else expected, note=note)
    if _announces_date(masked):
        return Reading("in_progress", expected_date=expected, note=note)
    if _WEAK_NOT_STARTED.search(masked):
        return Reading("not_started", expected_date=expected, note=note)
    if _is_acknowledgement(masked):
        return Reading("unclear", note=note)
    # a bare "15/1" keeps its date so the question asked back can offer it
    return Reading("unclear", expected_date=expected, note=note)


__all__ = ["HEAD", "STATUSES", "Reading", "Status", "parse_status"]


@dataclass(frozen=True)
class ReportWords:
    """Which report a reply names, if any: "kế hoạch", "6 tháng", "tháng 5", "báo cáo năm"."""

    plan: bool = False
    half_year: bool = False
    annual: bool = False
    month: int | None = None

    @property
    def any(self) -> bool:
        return self.plan or self.half_year or self.annual or self.month is not None


_PLAN_WORDS = re.compile(r"\b(ke hoach|kh)\b")
_HALF_YEAR_WORDS = re.compile(r"\b(6|sau) thang\b|\bnua nam\b|\b6t\b")
# "tháng 5", "tháng 6/2025"; not "t5" (officials write "t2" for Monday) nor a date ("tháng 5/6")
_MONTH_WORDS = re.compile(r"\bthang (1[0-2]|0?[1-9])\b(?!\s?[/.-]\s?\d{1,2}\b)")
_ANNUAL_WORDS = re.compile(r"\b(?:bao cao|bc) (?:ket qua )?(?:thuc hien )?(?:chu de cong tac )?nam\b|\b(ca|cuoi) nam\b")


def report_words(text: str) -> ReportWords:
    """The report a reply names. The plan's words win over "năm" ("kế hoạch năm 2025" is the plan)."""
    folded = fold(text)
    if _PLAN_WORDS.search(folded):
        return ReportWords(plan=True)
    if _HALF_YEAR_WORDS.search(folded):
        return ReportWords(half_year=True)
    month = _MONTH_WORDS.search(folded)
    if month:
        return ReportWords(month=int(month.group(1)))
    if _ANNUAL_WORDS.search(folded):
        return ReportWords(annual=True)
    return ReportWords()
