"""Words about status updates: confirmations, refusals, snoozes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from messages.bodies import in_sentence, reporting_body
from messages.formatting import moment, moment_on_day, short_day
from messages.i18n import N_, gettext_for, ngettext_for
from messages.on_time import sent_words
from messages.text import shorten
from storage.models import StatusUpdate
from storage.status import HistoryLine

_STATUS = {
    "done": N_("submitted"),
    "in_progress": N_("in progress"),
    "no_data": N_("no data yet"),
    "waiting_signature": N_("waiting for signature"),
    "extension_requested": N_("extension requested"),
    "extension_granted": N_("extension granted"),
    "extension_refused": N_("extension refused"),
    "not_started": N_("not started"),
    "closed": N_("closed by the office"),
    "exempt": N_("exempted by the office"),
}
# a report closed because what asked it ended (storage.models.ENDED_REASONS): "không nộp" and why
_ENDED = {
    "plan_ended": N_("not sent (the plan ended)"),
    "unit_ended": N_("not sent (the unit ended)"),
    "merged": N_("not sent (merged into {successor})"),
}
_SNOOZES = (("2h", N_("In 2 hours")), ("tomorrow", N_("Tomorrow morning")))


def status_name(status: str, locale: str) -> str:
    return gettext_for(locale)(_STATUS.get(status, status))


def ended_name(reason: str, successor: str, locale: str) -> str:
    """A report closed because its plan or unit ended: "không nộp (đơn vị đã kết thúc)"."""
    return gettext_for(locale)(_ENDED[reason]).format(successor=successor)


def report_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Use the buttons under a reminder to report, or reply to the reminder in a few words.")


def unknown_reminder(locale: str) -> str:
    _ = gettext_for(locale)
    return _("I cannot find that reminder any more. Send /lich to see your deadlines.")


def not_your_unit(unit: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Only the officials of {unit} and the office can report for it.").format(unit=in_sentence(unit))


def not_owed(unit: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("{unit} does not owe this report: nothing was recorded.").format(unit=unit)


def snooze_labels(locale: str) -> list[tuple[str, str]]:
    _ = gettext_for(locale)
    return [(key, _(label)) for key, label in _SNOOZES]


def snooze_question(locale: str) -> str:
    _ = gettext_for(locale)
    return _("When should I remind you again?")


def snoozed(at: datetime, locale: str) -> str:
    _ = gettext_for(locale)
    return _("All right, I will remind you again at {moment}.").format(moment=moment(at, locale))


_CHOICES = {
    "done": N_("✅ Submitted"),
    "in_progress": N_("⏳ In progress"),
    "waiting_signature": N_("✍️ Waiting for signature"),
    "no_data": N_("📭 No data yet"),
    "extension_requested": N_("📅 Ask for more time"),
}


def status_choices(locale: str) -> dict[str, str]:
    _ = gettext_for(locale)
    return {key: _(label) for key, label in _CHOICES.items()}


def describe(update: StatusUpdate, locale: str) -> str:
    """'in progress 60%, expected 12/01/2025'."""
    _ = gettext_for(locale)
    if update.status == "closed" and update.reason in _ENDED:
        return ended_name(update.reason, update.note, locale)
    text = status_name(update.status, locale)
    if update.percent is not None and update.status != "done":
        text += f" {update.percent}%"
    if update.expected_date is not None and update.status == "extension_refused":  # never "…, until": it was not
        return _("not extended to {day}").format(day=short_day(update.expected_date, locale))
    if update.expected_date is not None:
        label = _("until {day}") if update.status.startswith("extension_") else _("expected {day}")
        text += ", " + label.format(day=short_day(update.expected_date, locale))
    return text


def recorded_update(*, unit: str, duty: str, update: StatusUpdate, locale: str, by_office: bool) -> str:
    _ = gettext_for(locale)
    text = _("Recorded ({moment}): {unit}, {duty}: {status}.").format(
        unit=unit, duty=duty, status=describe(update, locale), moment=moment_on_day(update.at, locale)
    )
    if by_office:
        text += " " + _("(recorded by the office)")
    if update.status == "done" and by_office:  # the office is not thanked for its own record
        text += "\n" + _("Reminders of this report stop.")
    elif update.status == "done":
        text += "\n" + _("No more reminders for this report. Thank you!")
    return text


def tapped_note(update: StatusUpdate, name: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Recorded: {status}, by {name} at {moment}").format(
        status=describe(update, locale), name=name, moment=moment(update.at, locale)
    )


def already_recorded(unit: str, at: datetime, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Already recorded for {unit} at {moment}; nothing changed.").format(unit=unit, moment=moment(at, locale))


def which_duty(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Which report is this about?")


def which_status(text: str, duty: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("I am not sure what “{text}” means for {duty}. Which is it?").format(text=text[:100], duty=duty)


def choice_expired(locale: str) -> str:
    _ = gettext_for(locale)
    return _("That choice is no longer open. Please send your update again.")


def on_behalf_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("To record an update for a unit: /capnhat <unit>: <update>, for example /capnhat Bần Yên Nhân: đã nộp.")


def unit_has_no_open_duty(unit: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("{unit} has no report open right now.").format(unit=unit)


def recorded_by_office_for_you(*, unit: str, duty: str, update: StatusUpdate, locale: str) -> str:
    _ = gettext_for(locale)
    return _("The office recorded for {unit}, {duty}: {status} at {moment}.").format(
        unit=unit, duty=duty, status=describe(update, locale), moment=moment(update.at, locale)
    )


def no_open_duty(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Your unit has no report open right now. Send /lich to see the coming deadlines.")


def file_needs_reply(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Your unit has several reports open: please send the file as a reply to the reminder it answers.")


def file_not_kept(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "I cannot keep this file, and nothing was recorded. "
        "Please send it again, or tell me in words (for example “đã nộp”)."
    )


def evidence_kept(file_name: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("The file {name} is kept as the submission.").format(name=file_name or "-")


def evidence_for_office(unit: str, duty: str, file_name: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("📥 {unit} sent {duty}: {name}").format(unit=reporting_body(unit), duty=duty, name=file_name or "-")


def received_label(locale: str) -> str:
    _ = gettext_for(locale)
    return _("📥 Received")


def received_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Use the “Received” button under a submission.")


def received_already(locale: str) -> str:
    _ = gettext_for(locale)
    return _("This submission was already marked received.")


def received_recorded(unit: str, duty: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Marked received: {unit}, {duty}. The unit is told.").format(unit=unit, duty=duty)


def received_told(duty: str, at: datetime, locale: str) -> str:
    _ = gettext_for(locale)
    return _("The office has received your {duty} ({moment}).").format(duty=duty, moment=moment(at, locale))


def received_note(name: str, at: datetime, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Received by {name} at {moment}").format(name=name, moment=moment(at, locale))


def history(unit: str, lines: Sequence[HistoryLine], locale: str, *, sent_late: Mapping[int, int] | None = None) -> str:
    """A unit's updates; a "done" says whether it came on time (`sent_late`: working days, by update id)."""
    _ = gettext_for(locale)
    sent_late = sent_late or {}
    if not lines:
        return _("{unit}: no update yet.").format(unit=unit)
    out = [_("Updates of {unit}, newest first:").format(unit=unit)]
    for line in lines:
        who = line.person.display_name if line.person else "?"
        office = " " + _("(office)") if line.update.by_office else ""
        by = "" if line.update.reason else f" · {who}{office}"  # closed as its plan or unit ended: by nobody
        when, nominal = moment(line.update.at, locale), short_day(line.occurrence.nominal, locale)
        said = describe(line.update, locale)
        if (line.update.id or 0) in sent_late:
            said = f"{said} ({sent_words(sent_late[line.update.id or 0], locale)})"
        out.append(f"• {when} · {shorten(line.duty.title, 50)} ({nominal}): {said}{by}")
    return "\n".join(out)


def history_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Send /lichsu followed by a unit's name.")


def history_which_unit(query: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("No single unit matches “{query}”.").format(query=query[:100])


def nothing_to_correct(locale: str) -> str:
    _ = gettext_for(locale)
    return _("You have no update to correct yet.")


def correct_usage(unit: str, last: StatusUpdate, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "Your last update for {unit}: {status} at {moment}. Send /sua followed by the right update, e.g. /sua 80%."
    ).format(unit=unit, status=describe(last, locale), moment=moment(last.at, locale))


def close_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "To close what a unit owes no more (it ended, or is exempted): /dong <unit>, or /dong <unit>: <report>, "
        "for example /dong Nội vụ or /dong Bần Yên Nhân: kế hoạch."
    )


def nothing_to_close(unit: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("{unit} has no report left to close.").format(unit=unit)


def closed_reports(unit: str, closed: Sequence[tuple[str, date]], locale: str, *, exempt: bool = False) -> str:
    _ = gettext_for(locale)
    ngettext = ngettext_for(locale)
    head = ngettext("Closed {n} report of {unit}:", "Closed {n} reports of {unit}:", len(closed)).format(
        n=len(closed), unit=unit
    )
    lines = [f"• {title} ({short_day(nominal, locale)})" for title, nominal in closed]
    if exempt:
        foot = _("Exempted: no reminder goes out for them, and the on-time record counts them in neither.")
    else:
        foot = _("No reminder goes out for them and no view counts them late.")
    return "\n".join([head, *lines, foot])
