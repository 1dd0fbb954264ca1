"""The words of the on-time record (issue 25): "đúng hạn", "đã nộp muộn N ngày làm việc", and /dunghan."""

from __future__ import annotations

from messages.i18n import gettext_for, ngettext_for


def sent_words(late: int, locale: str) -> str:
    """How a sent report came: on time, or late by working days (it stays said after it arrives)."""
    _ = gettext_for(locale)
    if late <= 0:
        return _("on time")
    ngettext = ngettext_for(locale)
    return ngettext("sent {n} working day late", "sent {n} working days late", late).format(n=late)


def sent_late_cell(late: int, locale: str) -> str:
    """The web cell's few words after its day: "muộn 2 ngày"."""
    ngettext = ngettext_for(locale)
    return ngettext("late by {n} day", "late by {n} days", late).format(n=late)


def sent_late_section(late: list[tuple[str, str, int]], locale: str) -> str:
    """/quahan's record of reports that came late: (unit, report, working days late), the latest first."""
    _ = gettext_for(locale)
    if not late:
        return ""
    out = [_("Sent after the legal last day (kept on the record):")]
    out += [f"• {unit}, {duty}: {sent_words(days, locale)}" for unit, duty, days in late[:LISTED]]
    if len(late) > LISTED:
        out.append(_("… and {n} more: /xuat has every unit").format(n=len(late) - LISTED))
    return "\n".join(out)


LISTED = 20
