"""What people read about registration, invitations, roles and units."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from messages.bodies import in_sentence
from messages.channels import channel_name, unreachable_reason
from messages.formatting import day, moment, short_day, weekday_name, zone
from messages.i18n import N_, gettext_for, ngettext_for
from storage.models import ChannelAccount, Invitation, Role, Unit
from storage.people import Membership, OfficialView

_ROLE: dict[str, str] = {  # keyed by Role, whose members are their strings
    Role.OFFICIAL: N_("focal official"),
    Role.HEAD: N_("head of unit"),
    Role.OFFICE: N_("office staff (Văn phòng HĐND và UBND)"),
}


@dataclass(frozen=True)
class Upcoming:
    """A duty's next deadline for a unit, as the core computed it."""

    title: str
    nominal: date
    aim_day: date
    legal_last_day: date
    inclusive: bool


def role_name(role: str, locale: str) -> str:
    return gettext_for(locale)(_ROLE.get(role, role))


def _channel_name(link: ChannelAccount, locale: str) -> str:
    name = channel_name(link.channel, locale)
    return f"{name} (@{link.username})" if link.username else name


def invitation_created(*, unit: Unit, role: str, code: str, link: str | None, expires_at: datetime, locale: str) -> str:
    _ = gettext_for(locale)
    lines = [
        _("Invitation for {unit}").format(unit=unit.name),
        _("Role: {role}").format(role=role_name(role, locale)),
    ]
    if link:
        lines.append(_("Link: {link}").format(link=link))
    lines += [
        _("Code: {code}").format(code=code),
        _("Valid until {moment}, for one registration.").format(moment=moment(expires_at, locale)),
        "",
        _("Send the link to the official. They can also send /dangky {code} to the bot.").format(code=code),
    ]
    return "\n".join(lines)


def merged_note(old_name: str, unit: Unit, locale: str) -> str:
    _ = gettext_for(locale)
    since = short_day(unit.valid_from, locale) if unit.valid_from else "?"
    return _("{old} was merged into {new} on {date}.").format(old=old_name, new=in_sentence(unit.name), date=since)


def not_yet(unit: Unit, parts: Sequence[Unit], locale: str) -> str:
    """A unit named before it exists: from when, and the units of today it is formed from."""
    _ = gettext_for(locale)
    since = short_day(unit.valid_from, locale) if unit.valid_from else "?"
    if not parts:
        return _("{unit} exists only from {date}.").format(unit=unit.name, date=since)
    return _("{unit} exists only from {date}, formed from: {parts}. Until then, choose one of these units:").format(
        unit=unit.name, date=since, parts=", ".join(part.name for part in parts)
    )


def unit_candidates(query: str, units: Sequence[Unit], *, ambiguous: bool, locale: str) -> str:
    _ = gettext_for(locale)
    if ambiguous:
        head = _("“{query}” matches several units. Which one?").format(query=query[:100])
    elif not units:
        return _("I found no unit named “{query}”. The units: /donvi.").format(query=query[:100])
    else:
        head = _("I found no unit named “{query}”. Units you may mean:").format(query=query[:100])
    return "\n".join([head, *(f"• {unit.name}" for unit in units)])


def registered(*, unit: Unit, role: str, upcoming: Sequence[Upcoming], locale: str) -> str:
    _ = gettext_for(locale)
    lines = [
        _("You are registered for {unit} as {role}.").format(unit=unit.name, role=role_name(role, locale)),
        "",
    ]
    if upcoming:
        lines.append(_("Duties of your unit and their next deadlines:"))
        lines += [_upcoming_line(item, locale) for item in upcoming]
        lines += ["", _("I will remind you ahead of each deadline, on working days.")]
    else:
        lines.append(_("Your unit has no reporting deadline coming up in the plan."))
    lines.append(_("Send /huongdan to see what you can do."))
    return "\n".join(lines)


def deadline_phrase(nominal: date, *, inclusive: bool, locale: str) -> str:
    """'before Friday, 10/01/2025' ("trước ngày X", X excluded) or 'by ...' (inclusive)."""
    _ = gettext_for(locale)
    template = _("by {day}") if inclusive else _("before {day}")
    return template.format(day=day(nominal, locale))


def dates_phrase(nominal: date, *, inclusive: bool, aim_day: date, legal_last_day: date, locale: str) -> str:
    """The deadline as the plan says it, then the day to aim for and the legal last day, when they say more.

    'trước ngày Thứ Sáu, 20/02/2026; nên gửi trước: hết Thứ Sáu, 13/02/2026; hạn chót theo quy định:
    hết Thứ Hai, 23/02/2026'. When both days are one, it is named once, as the legal last day.
    """
    _ = gettext_for(locale)
    phrase = deadline_phrase(nominal, inclusive=inclusive, locale=locale)
    if aim_day != legal_last_day:
        return _("{deadline}; aim to send by {aim_day}; legal last day {legal_last_day}").format(
            deadline=phrase, aim_day=day(aim_day, locale), legal_last_day=day(legal_last_day, locale)
        )
    if legal_last_day != nominal:
        return _("{deadline}; legal last day {legal_last_day}").format(
            deadline=phrase, legal_last_day=day(legal_last_day, locale)
        )
    return phrase


def two_dates_lines(
    nominal: date, *, aim_day: date, legal_last_day: date, locale: str, inclusive: bool = False
) -> list[str]:
    """'Đề nghị gửi chậm nhất ngày ...' when the day to aim for is earlier, and 'Hạn chót theo quy định:
    hết ...' unless it is the very date the plan names; when it is not the plan's last day, why."""
    _ = gettext_for(locale)
    lines = []
    if aim_day != legal_last_day:
        lines.append(_("Aim to send by: {day}").format(day=day(aim_day, locale)))
    if aim_day != legal_last_day or legal_last_day != nominal:
        lines.append(
            _("Legal last day: {day}").format(day=day(legal_last_day, locale))
            + _why(nominal, inclusive, legal_last_day, locale)
        )
    return lines


def _why(nominal: date, inclusive: bool, legal_last_day: date, locale: str) -> str:
    """' (19/01 là Chủ nhật; Điều 148 khoản 5 Bộ luật Dân sự)': the plan's last day was a day off."""
    last = nominal if inclusive else nominal - timedelta(days=1)
    if legal_last_day <= last:
        return ""
    _ = gettext_for(locale)
    off = weekday_name(last, locale) if last.weekday() >= 5 else _("a day off")
    return " " + _("({day} is {off}; Civil Code, Article 148, clause 5)").format(day=f"{last:%d/%m}", off=off)


def _upcoming_line(item: Upcoming, locale: str) -> str:
    phrase = dates_phrase(
        item.nominal,
        inclusive=item.inclusive,
        aim_day=item.aim_day,
        legal_last_day=item.legal_last_day,
        locale=locale,
    )
    return f"• {item.title}: {phrase}"


def already_registered(*, unit: Unit, role: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("You are already registered for {unit} as {role}. The invitation was not used.").format(
        unit=unit.name, role=role_name(role, locale)
    )


def who_am_i(
    *, name: str, admin: bool, memberships: Sequence[Membership], accounts: Sequence[ChannelAccount], locale: str
) -> str:
    _ = gettext_for(locale)
    lines = [_("You: {name}").format(name=name)]
    if admin:
        lines.append(_("Office administrator"))
    for membership in memberships:
        lines.append(
            _("• {unit}: {role}, since {date}").format(
                unit=membership.unit.name,
                role=role_name(membership.official.role, locale),
                date=short_day(membership.official.created_at.astimezone(zone()).date(), locale),
            )
        )
    if accounts:
        channels = ", ".join(_channel_name(link, locale) for link in accounts)
        lines.append(_("Linked channels: {channels}").format(channels=channels))
    return "\n".join(lines)


def unit_counts(rows: Sequence[tuple[Unit, int]], locale: str) -> str:
    _ = gettext_for(locale)
    ngettext = ngettext_for(locale)
    without = sum(1 for _unit, count in rows if count == 0)
    lines = [
        _("Units and registered officials ({units} units, {without} without anyone):").format(
            units=len(rows), without=without
        )
    ]
    for unit, count in rows:
        mark = "⚠️" if count == 0 else "✅"
        people = ngettext("{count} official", "{count} officials", count).format(count=count)
        lines.append(f"{mark} {unit.name}: {people}")
    return "\n".join(lines)


def unit_detail(
    *,
    unit: Unit,
    officials: Sequence[OfficialView],
    invitations: Sequence[Invitation],
    upcoming: Sequence[Upcoming],
    locale: str,
) -> str:
    _ = gettext_for(locale)
    lines = [unit.name]
    if not officials:
        lines.append(_("No official registered yet."))
    elif all(view.official.role == Role.HEAD for view in officials):
        lines.append(_("No focal official yet: the head receives the reminders meanwhile."))
    for view in officials:
        channels = ", ".join(_channel_name(link, locale) for link in view.accounts) or "-"
        line = _("#{id} {name}: {role} ({channels})").format(
            id=view.official.id,
            name=view.person.display_name,
            role=role_name(view.official.role, locale),
            channels=channels,
        )
        unreachable = [
            unreachable_reason(link.unreachable_reason, locale) for link in view.accounts if link.unreachable_reason
        ]
        if unreachable:
            line += " ⚠️ " + _("unreachable: {reason}").format(reason="; ".join(unreachable))
        lines.append(line)
    for invitation in invitations:
        lines.append(
            _("Invitation #{id} ({role}) waiting, valid until {moment}").format(
                id=invitation.id,
                role=role_name(invitation.role, locale),
                moment=moment(invitation.expires_at, locale),
            )
        )
    if upcoming:
        lines += ["", _("Next deadlines:"), *(_upcoming_line(item, locale) for item in upcoming)]
    return "\n".join(lines)


def pending_invitations(rows: Sequence[tuple[Invitation, Unit]], locale: str) -> str:
    _ = gettext_for(locale)
    if not rows:
        return _("No invitation is waiting to be used.")
    lines = [_("Invitations waiting to be used:")]
    for invitation, unit in rows:
        lines.append(
            _("#{id} {unit}: {role}, valid until {moment}").format(
                id=invitation.id,
                unit=unit.name,
                role=role_name(invitation.role, locale),
                moment=moment(invitation.expires_at, locale),
            )
        )
    lines.append(_("Cancel one with /huymoi <number>."))
    return "\n".join(lines)


def official_candidates(views: Sequence[OfficialView], locale: str) -> str:
    _ = gettext_for(locale)
    lines = [_("Several officials match. Send /thuhoi with the number:")]
    for view in views:
        lines.append(
            f"#{view.official.id} {view.person.display_name}: {view.unit.name}, {role_name(view.official.role, locale)}"
        )
    return "\n".join(lines)


def revoked(view: OfficialView, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Revoked: {name}, {role} of {unit}. They will get no more reminders.").format(
        name=view.person.display_name, role=role_name(view.official.role, locale), unit=view.unit.name
    )


def you_were_revoked(view: OfficialView, locale: str) -> str:
    _ = gettext_for(locale)
    return _("The office has ended your registration as {role} of {unit}. You will get no more reminders.").format(
        role=role_name(view.official.role, locale), unit=view.unit.name
    )


def calendar_title(unit: str | None, until: date, locale: str) -> str:
    _ = gettext_for(locale)
    if unit is None:
        return _("Deadlines until {day}, all units:").format(day=short_day(until, locale))
    return _("Deadlines of {unit} until {day}:").format(unit=unit, day=short_day(until, locale))
