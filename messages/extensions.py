"""Words about extensions: asking for more time, the office's decision, and what the unit is told."""

from __future__ import annotations

from datetime import date, datetime

from messages.bodies import in_sentence, reporting_body
from messages.formatting import day, moment, short_day
from messages.i18n import gettext_for


def extension_choices(locale: str) -> list[tuple[str, str]]:
    _ = gettext_for(locale)
    return [("yes", _("✅ Grant")), ("no", _("❌ Refuse"))]


def extension_sent(unit: str, duty: str, until: date, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Your request to extend {duty} for {unit} until {day} was sent to the office.").format(
        duty=duty, unit=in_sentence(unit), day=day(until, locale)
    )


def extension_for_office(*, unit: str, duty: str, last_day: date, until: date, who: str, said: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "📅 {unit} asks for more time on {duty}: from the legal last day {last_day} to {until}.\n{who} wrote: “{said}”"
    ).format(
        unit=reporting_body(unit),
        duty=duty,
        last_day=short_day(last_day, locale),
        until=short_day(until, locale),
        who=who,
        said=said[:300],
    )


def extension_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Use the buttons under an extension request.")


def extension_already_decided(locale: str) -> str:
    _ = gettext_for(locale)
    return _("This request was already decided.")


def extension_decided(unit: str, duty: str, until: date, granted: bool, locale: str) -> str:
    _ = gettext_for(locale)
    if granted:
        return _("Granted: {unit} may send {duty} until {day}. Its reminders follow the new date.").format(
            unit=reporting_body(unit), duty=duty, day=short_day(until, locale)
        )
    return _("Refused: {unit} keeps its deadline for {duty}.").format(unit=reporting_body(unit), duty=duty)


def extension_answer(duty: str, until: date, granted: bool, locale: str) -> str:
    _ = gettext_for(locale)
    if granted:
        return _("The office granted your request: {duty} may be sent until {day}.").format(
            duty=duty, day=day(until, locale)
        )
    return _("The office did not grant more time for {duty}; the deadline stays.").format(duty=duty)


def decision_note(granted: bool, name: str, at: datetime, locale: str) -> str:
    _ = gettext_for(locale)
    template = _("Granted by {name} at {moment}") if granted else _("Refused by {name} at {moment}")
    return template.format(name=name, moment=moment(at, locale))
