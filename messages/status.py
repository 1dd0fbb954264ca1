"""Words about status updates: confirmations, refusals, snoozes."""

from __future__ import annotations

from datetime import datetime

from messages.formatting import moment
from messages.i18n import N_, gettext_for

_STATUS = {
    "done": N_("submitted"),
    "in_progress": N_("in progress"),
    "no_data": N_("no data yet"),
    "waiting_signature": N_("waiting for signature"),
    "extension_requested": N_("extension requested"),
    "not_started": N_("not started"),
}
_SNOOZES = (("2h", N_("In 2 hours")), ("tomorrow", N_("Tomorrow morning")))


def status_name(status: str, locale: str) -> str:
    return gettext_for(locale)(_STATUS.get(status, status))


def recorded(unit: str, duty: str, status: str, at: datetime, locale: str, *, by_office: bool) -> str:
    _ = gettext_for(locale)
    text = _("Recorded: {unit}, {duty}: {status} at {moment}.").format(
        unit=unit, duty=duty, status=status_name(status, locale), moment=moment(at, locale)
    )
    if by_office:
        text += " " + _("(recorded by the office)")
    if status == "done":
        text += "\n" + _("No more reminders for this report. Thank you!")
    return text


def report_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Use the buttons under a reminder to report, or reply to the reminder in a few words.")


def unknown_reminder(locale: str) -> str:
    _ = gettext_for(locale)
    return _("I cannot find that reminder any more. Send /lich to see your deadlines.")


def not_your_unit(unit: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Only the officials of {unit} and the office can report for it.").format(unit=unit)


def snooze_labels(locale: str) -> list[tuple[str, str]]:
    _ = gettext_for(locale)
    return [(key, _(label)) for key, label in _SNOOZES]


def snooze_question(locale: str) -> str:
    _ = gettext_for(locale)
    return _("When should I remind you again?")


def snoozed(at: datetime, locale: str) -> str:
    _ = gettext_for(locale)
    return _("All right, I will remind you again at {moment}.").format(moment=moment(at, locale))
