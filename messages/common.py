"""Answers that do not belong to one feature: help, refusals, errors."""

from __future__ import annotations

from datetime import datetime

from messages.formatting import moment
from messages.i18n import N_, gettext_for
from messages.text import shorten
from storage.models import Role

_EVERYONE = (
    ("lich", N_("coming deadlines and reminders")),
    ("lichsu", N_("my unit's updates")),
    ("tonghop", N_("where my unit stands on its open reports")),
    ("dunghan", N_("my unit's on-time record this year: /dunghan [quý 4/2026]")),
    ("kehoach", N_("the plans in force and my unit's duties in them")),
    ("nhiemvu", N_("one duty: its deadline, units and reminders: /nhiemvu <number>")),
    ("sua", N_("correct my last update: /sua <update>")),
    ("toi", N_("who I am: unit, role, linked channels")),
    ("dangky", N_("register with an invitation code: /dangky <code>")),
    ("ngonngu", N_("language: /ngonngu vi or /ngonngu en")),
    ("lienket", N_("a code to link another channel (Zalo, Telegram)")),
    ("kenh", N_("where reminders go: /kenh telegram, zalo or all")),
    ("web", N_("a one-time link to the web page: the office sees every unit, an official their own")),
    ("huongdan", N_("this guide")),
)
_OFFICE = (
    ("vanphong", N_("the office's details, as its letters and tasks name it: /vanphong <field> = <value>")),
    ("moi", N_("invite an official: /moi <unit> [official|head|office] [days]")),
    ("donvi", N_("units and their registered officials; /donvi <unit> for one")),
    ("lich", N_("coming deadlines of all units; /lich <unit> for one")),
    ("lichsu", N_("a unit's updates: /lichsu <unit>")),
    ("giao", N_("give a task: /giao <units>; <deadline>; <task>")),
    ("capnhat", N_("record an update for a unit: /capnhat <unit>: <update>")),
    ("tonghop", N_("who has reported: /tonghop [duty or unit]")),
    ("quahan", N_("late units, the latest first")),
    ("dunghan", N_("on-time rates: /dunghan [tháng 11/2026 | quý 4/2026 | năm 2026 | <unit>]")),
    ("kehoach", N_("the plans and their duties; /kehoach tatca with the ended ones")),
    ("nhiemvu", N_("one duty, to change its deadline or units or end it: /nhiemvu <number>")),
    ("xuat", N_("an Excel workbook of every open report; /xuat <plan code> for a plan's whole record")),
    ("congvan", N_("a Word draft of a follow-up letter to the late units")),
    ("bieudo", N_("a chart of submissions over time")),
    ("maukehoach", N_("the plan sheet (Excel) to fill and send back: a plan's tasks at once")),
    ("taikehoach", N_("a one-time link to upload the filled-in plan sheet (where files cannot be sent, as on Zalo)")),
    ("loimoi", N_("invitations waiting to be used")),
    ("huymoi", N_("cancel an invitation: /huymoi <number>")),
    ("thuhoi", N_("end an official's registration: /thuhoi <name or number>")),
    ("themdonvi", N_("add a unit: /themdonvi <name>; <kind: phòng, ban, xã, phường, thôn…>[; <group>]")),
    ("nhom", N_("a group of units: /nhom <name>: <unit>, <unit>, …")),
    ("ngaynghi", N_("days off and working Saturdays: /ngaynghi [dd/mm/yyyy], /ngaylam dd/mm/yyyy")),
)


def commands_for(role: Role | None) -> list[tuple[str, str]]:
    """(command, msgid of its description) for the command menu and the guide."""
    commands = dict(_EVERYONE)
    if role == Role.OFFICE:
        commands.update(_OFFICE)  # the office's wording replaces the everyday one
    return list(commands.items())


def menu(role: Role | None, locale: str) -> list[tuple[str, str]]:
    _ = gettext_for(locale)
    return [(command, shorten(_(description), 256)) for command, description in commands_for(role)]


def guide(role: Role | None, locale: str) -> str:
    _ = gettext_for(locale)
    lines = [_("Nhắc việc reminds each unit of its reporting deadlines and keeps what it reports."), ""]
    if role is None:
        lines.append(_("You are not registered yet. Ask the office for an invitation, then send /dangky <code>."))
        lines.append("")
    if role is not None:
        lines.append(
            _(
                "To report, tap a button under a reminder or reply in a few words: “đã nộp”, "
                "“60%, dự kiến 12/1”, “xin lùi 3 ngày”. A file sent as a reply is kept as the submission."
            )
        )
        lines.append("")
    lines.append(_("Commands:"))
    lines += [f"/{command}: {_(description)}" for command, description in commands_for(role)]
    return "\n".join(lines)


def welcome_unregistered(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "Hello! I am Nhắc việc, the reporting reminder of the Văn phòng HĐND và UBND.\n"
        "You are not registered yet. Open the invitation link the office sent you, "
        "or send /dangky followed by your code."
    )


def welcome_office(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Hello! You are the office (Văn phòng HĐND và UBND) of Nhắc việc. The set-up takes a few commands.")


def welcome_back(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Hello again! Send /toi to see your registration or /huongdan for the commands.")


def too_many_codes(until: datetime, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "Too many codes that are not valid. Try again after {moment}, or ask the office for a new invitation."
    ).format(moment=moment(until, locale))


def code_invalid(locale: str) -> str:
    _ = gettext_for(locale)
    return _("This invitation code is not valid. Check it, or ask the office for a new invitation.")


def code_used(locale: str) -> str:
    _ = gettext_for(locale)
    return _("This invitation has already been used. Ask the office for a new one.")


def code_revoked(locale: str) -> str:
    _ = gettext_for(locale)
    return _("This invitation was cancelled by the office. Ask the office for a new one.")


def code_expired(expired_at: datetime, locale: str) -> str:
    _ = gettext_for(locale)
    return _("This invitation expired at {moment}. Ask the office for a new one.").format(
        moment=moment(expired_at, locale)
    )


def dangky_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Send /dangky followed by the code from your invitation, for example: /dangky K7M2QX9PAB")


def moi_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "Send /moi followed by the unit's name, for example: /moi Bần Yên Nhân. Add head or office for another role."
    )


def thuhoi_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Send /thuhoi followed by the official's name, unit or number (see /donvi <unit>).")


def huymoi_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Send /huymoi followed by the invitation's number (see /loimoi).")


def invitation_cancelled(number: int, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Invitation #{id} is cancelled; its code no longer works.").format(id=number)


def no_such_invitation(number: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("No waiting invitation has the number {id}. See /loimoi.").format(id=number[:20])


def no_such_official(query: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("No registered official matches “{query}”. See /donvi <unit> for numbers.").format(query=query[:100])


def office_only(command: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Only the office (Văn phòng HĐND và UBND) can use /{command}.").format(command=command)


def own_unit_only(units: list[str], locale: str) -> str:
    _ = gettext_for(locale)
    return _("An official sees only the summary of their own unit. Here is that of {units}.").format(
        units=", ".join(units)
    )


def not_registered(locale: str) -> str:
    _ = gettext_for(locale)
    return _("You are not registered yet. Ask the office for an invitation, then send /dangky <code>.")


def private_only(locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "I only work in private chats, so that reports stay between you and the office. Please message me directly."
    )


def unknown_command(command: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("I do not know the command /{command}. Send /huongdan to see what I can do.").format(command=command[:40])


def not_understood(locale: str) -> str:
    _ = gettext_for(locale)
    return _("I did not understand that. Send /huongdan to see what I can do.")


def text_only(locale: str) -> str:
    _ = gettext_for(locale)
    return _("I can only read text messages here. Please write your answer in words.")


def too_long(length: int, limit: int, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "That message is too long for me ({length} characters; at most {limit}). Please send a shorter one."
    ).format(length=length, limit=limit)


def internal_error(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Sorry, something went wrong on our side and your message was not recorded. Please try again in a moment.")


def answer_lost(*, recorded: bool, locale: str) -> str:
    """When the answer to a message could not be sent: what became of the message, never a guess."""
    _ = gettext_for(locale)
    if recorded:
        return _(
            "Your update was recorded, but the confirmation could not be sent because of a connection problem. "
            "There is no need to send it again."
        )
    return _(
        "Your message arrived, but the answer could not be sent because of a connection problem. "
        "Please send it again in a few minutes."
    )


def language_usage(locale: str) -> str:
    _ = gettext_for(locale)
    return _("Send /ngonngu vi for Vietnamese or /ngonngu en for English.")


def language_set(locale: str) -> str:
    _ = gettext_for(locale)
    return _("From now on I will write to you in English.")
