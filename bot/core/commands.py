"""The commands a person can type: each with its handler and who may use it, and how a text names one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core import (
    days_off,
    duties,
    evidence,
    exports,
    extensions,
    file_links,
    giao,
    groups,
    history,
    invitations,
    language,
    office,
    on_behalf,
    on_time_record,
    plan_import,
    plans,
    reminders,
    schedule_view,
    summaries,
    unit_admin,
    updates,
    vanphong,
    web_sign_in,
)
from bot.core.context import Context
from bot.core.types import Outcome, Reply
from messages import common, people

Handler = Callable[[Context, str], Awaitable[Outcome]]


@dataclass(frozen=True)
class Command:
    handler: Handler
    office_only: bool = False
    registered_only: bool = False


async def _start(ctx: Context, args: str) -> Outcome:
    if args.strip():
        return await invitations.register(ctx, args)
    if ctx.actor.registered:
        text = common.welcome_back(ctx.locale)
        if (steps := await vanphong.set_up_text(ctx)) is not None:  # a new office: what to do first
            text = f"{common.welcome_office(ctx.locale)}\n\n{steps}"
        return Outcome([Reply(text)], menu=ctx.actor.top_role)
    return Outcome([Reply(common.welcome_unregistered(ctx.locale))])


async def _dangky(ctx: Context, args: str) -> Outcome:
    if not args.strip():
        return Outcome([Reply(common.dangky_usage(ctx.locale))])
    return await invitations.register(ctx, args)


async def _toi(ctx: Context, _args: str) -> Outcome:
    actor = ctx.actor
    accounts = await ctx.store.accounts_of(person_id=actor.person.id or 0) if actor.person else []
    name = actor.person.display_name if actor.person else (actor.incoming.display_name or actor.incoming.user_id)
    text = people.who_am_i(
        name=name, admin=actor.admin, memberships=actor.memberships, accounts=accounts, locale=ctx.locale
    )
    return Outcome([Reply(text)], menu=actor.top_role)


async def _guide(ctx: Context, _args: str) -> Outcome:
    text = common.guide(ctx.actor.top_role, ctx.locale)
    if (steps := await vanphong.set_up_text(ctx)) is not None:  # while the office's set-up is not done
        text = f"{steps}\n\n{text}"
    return Outcome([Reply(text)], menu=ctx.actor.top_role)


COMMANDS: dict[str, Command] = {
    "start": Command(_start),
    "dangky": Command(_dangky),
    "toi": Command(_toi, registered_only=True),
    "huongdan": Command(_guide),
    "help": Command(_guide),
    "moi": Command(invitations.invite, office_only=True),
    "huymoi": Command(invitations.cancel_invitation, office_only=True),
    "loimoi": Command(office.pending, office_only=True),
    "donvi": Command(unit_admin.donvi, office_only=True),
    "themdonvi": Command(unit_admin.add, office_only=True),
    "ngaynghi": Command(days_off.days_off, office_only=True),
    "ngaylam": Command(days_off.working_day, office_only=True),
    "thuhoi": Command(office.revoke, office_only=True),
    "lich": Command(schedule_view.calendar, registered_only=True),
    "baocao": Command(reminders.report, registered_only=True),
    "ghi": Command(updates.choose, registered_only=True),
    "giahan": Command(extensions.decide, office_only=True),
    "giao": Command(giao.give, office_only=True),
    "danhan": Command(evidence.mark_received, office_only=True),
    "lichsu": Command(history.show, registered_only=True),
    "capnhat": Command(on_behalf.record, office_only=True),
    "dong": Command(on_behalf.close, office_only=True),
    "sua": Command(history.correct, registered_only=True),
    "tonghop": Command(summaries.summary, registered_only=True),
    "quahan": Command(summaries.overdue, office_only=True),
    "dunghan": Command(on_time_record.on_time, registered_only=True),
    "xuat": Command(exports.workbook, office_only=True),
    "congvan": Command(exports.letter, office_only=True),
    "bieudo": Command(exports.chart, office_only=True),
    "maukehoach": Command(plan_import.template, office_only=True),
    "nhapkehoach": Command(plan_import.decide, office_only=True),
    "taikehoach": Command(file_links.upload_page, office_only=True),
    "ngonngu": Command(language.choose),
    "lienket": Command(invitations.link_code, registered_only=True),
    "kenh": Command(invitations.choose_channel, registered_only=True),
    "kehoach": Command(plans.plans, registered_only=True),
    "nhom": Command(groups.group, office_only=True),
    "nhiemvu": Command(duties.duty, registered_only=True),
    "web": Command(web_sign_in.web, registered_only=True),
    "vanphong": Command(vanphong.vanphong, office_only=True),
}
ALIASES = {
    "cap_nhat": "capnhat",
    "dang_ky": "dangky",
    "huong_dan": "huongdan",
    "don_vi": "donvi",
    "them_don_vi": "themdonvi",
    "ngay_nghi": "ngaynghi",
    "ngay_lam": "ngaylam",
    "thu_hoi": "thuhoi",
    "loi_moi": "loimoi",
    "ke_hoach": "kehoach",
    "nhiem_vu": "nhiemvu",
    "van_phong": "vanphong",
    "dung_han": "dunghan",
}


def split_command(text: str) -> tuple[str, str] | None:
    """'/moi@bot Bần Yên Nhân' → ('moi', 'Bần Yên Nhân'); None when the text is not a command."""
    stripped = text.strip()
    if not stripped.startswith("/") or len(stripped) < 2:
        return None
    head, _, args = stripped[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return ALIASES.get(name, name), args.strip()
