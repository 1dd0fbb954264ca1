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
from dataclasses import dataclass
from datetime import date

from messages.reading import HEAD, MAX_EXTENSION_DAYS, STATUSES, Reading, Status
from messages.reply_patterns import (
    DATE_TOKEN,
    EXTENSION,
    MARKED_DATE,
    NEGATED_EXTENSION,
    NEGATIVE_AMOUNT,
    QUESTION_MARK,
    RULES,
    WEAK_NOT_STARTED,
    announces_date,
    expected_date,
    extension_days,
    first_date,
    is_acknowledgement,
    is_question,
    mask,
    percent_reading,
)
from messages.reply_text import canonical_words, extract, prepare
from messages.text import fold


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
    folded = prepare(note)
    if QUESTION_MARK.search(folded) or NEGATIVE_AMOUNT.search(folded):
        return Reading("unclear", note=note)
    extracted = extract(folded, today)
    canonical = canonical_words(extracted.text)
    if not canonical:
        return Reading("unclear", note=note)
    if is_question(canonical):
        return Reading("unclear", note=note)

    canonical = NEGATED_EXTENSION.sub("NEGEXT", canonical)
    percent = next((value for value in extracted.percents if value is not None), None)
    if EXTENSION.search(canonical):
        return Reading(
            "extension_requested",
            percent=percent,
            expected_date=first_date(MARKED_DATE, canonical, extracted.dates)
            or first_date(DATE_TOKEN, canonical, extracted.dates),
            extension_days=extension_days(canonical),
            note=note,
        )

    masked = mask(canonical)
    expected = expected_date(masked, extracted.dates, today)
    if percent is not None:
        return percent_reading(percent, extracted.percents.index(percent), canonical, expected, note)
    return _by_words(masked, expected, note)


def _by_words(masked: str, expected: date | None, note: str) -> Reading:
    """A reply with no percent and no extension, its negations and futures masked: by the rules in order."""
    for pattern, status in RULES:
        if pattern.search(masked):
            # a done report has nothing more to expect; "đã nộp ngày 5/1" is when, not an expected date
            return Reading(status, expected_date=None if status == "done" else expected, note=note)
    if announces_date(masked):
        return Reading("in_progress", expected_date=expected, note=note)
    if WEAK_NOT_STARTED.search(masked):
        return Reading("not_started", expected_date=expected, note=note)
    if is_acknowledgement(masked):
        return Reading("unclear", note=note)
    # a bare "15/1" keeps its date so the question asked back can offer it
    return Reading("unclear", expected_date=expected, note=note)


__all__ = ["HEAD", "MAX_EXTENSION_DAYS", "STATUSES", "Reading", "ReportWords", "Status", "parse_status", "report_words"]


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
