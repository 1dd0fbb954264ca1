"""Exports for the office's PC: the workbook (messages/workbook.py), the follow-up letter
(messages/letter.py) and the plain-text report. Layout is words too, so it lives in messages; the numbers
come from the same views as /tonghop."""

from __future__ import annotations

from collections.abc import Sequence

from messages.letter import Letterhead, PlanCitation, follow_up_letter, late_lines
from messages.summary import OccurrenceView, summary
from messages.workbook import workbook

__all__ = ["Letterhead", "PlanCitation", "follow_up_letter", "late_lines", "text_report", "workbook"]


def text_report(views: Sequence[OccurrenceView], locale: str) -> str:
    return summary(views, locale)
