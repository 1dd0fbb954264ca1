"""The words of the office's web page (bot/web): its labels, and each cell of the overview."""

from __future__ import annotations

from messages.formatting import short_day, zone
from messages.i18n import N_, gettext_for, ngettext_for
from messages.summary import UnitLine

_LABELS = {
    "app": N_("Nhắc việc: the office's page"),
    "overview": N_("Overview"),
    "task": N_("Give a task"),
    "downloads": N_("Downloads"),
    "workbook": N_("Workbook (Excel)"),
    "letter": N_("Follow-up letter (Word)"),
    "chart": N_("Chart (PNG)"),
    "sign_out": N_("Sign out"),
    "plan": N_("Plan"),
    "duty": N_("Duty"),
    "group": N_("Group"),
    "all": N_("All"),
    "only_late": N_("Only late units"),
    "filter": N_("Show"),
    "unit": N_("Unit"),
    "submitted": N_("submitted"),
    "nothing_open": N_("No report is open for these choices."),
    "officials": N_("Officials and heads"),
    "no_officials": N_("Nobody is registered for this unit."),
    "reachable": N_("reachable"),
    "updates": N_("Updates"),
    "no_updates": N_("No update yet."),
    "evidence": N_("Files received"),
    "no_evidence": N_("No file yet."),
    "extensions": N_("Extensions"),
    "no_extensions": N_("No extension asked."),
    "when": N_("When"),
    "who": N_("Who"),
    "what": N_("What"),
    "report": N_("Report"),
    "received": N_("received"),
    "not_received": N_("not yet marked received"),
    "office": N_("the office"),
    "read_only": N_("Your unit's page (read only)."),
    "task_help": N_(
        "Units; deadline; task, as /giao reads them, e.g. “Bần Yên Nhân, Dị Sử; 20/12; Báo cáo số liệu dân số”. "
        "You see what the bot read before the task is given."
    ),
    "task_words": N_("Units; deadline; task"),
    "preview": N_("Read it"),
    "import": N_("Import a plan sheet (Excel)"),
    "import_help": N_("The sheet /maukehoach gives, filled in. You see what it would change before it is applied."),
    "upload": N_("Upload"),
    "edit": N_("Change a task"),
    "edit_help": N_(
        "The task's number is in /kehoach. Give a new deadline or new units (as /nhiemvu reads them), or end the task."
    ),
    "duty_number": N_("Task number"),
    "new_deadline": N_("New deadline"),
    "new_units": N_("New units"),
    "end_task": N_("End this task"),
    "change": N_("Change"),
    "sign_in_title": N_("Sign in"),
    "send_web": N_("Send /web to the Nhắc việc bot in Telegram or Zalo: it answers with a link that signs you in."),
    "link_used": N_("This link was used already or has expired: send /web to the bot again for a new one."),
    "forbidden": N_("This page is not yours to see: an official sees their own unit's page only."),
    "csrf": N_("This form is too old or did not come from this page: reload the page and try again."),
    "not_found": N_("There is no such page."),
    "back": N_("Back to the overview"),
}
_SWITCH = {"vi": "English", "en": "Tiếng Việt"}  # the other language, in its own name: not translated
_GROUPS = {"phong": N_("Departments (phòng)"), "phuong": N_("Wards (phường)"), "xa": N_("Communes (xã)")}
_OTHER_GROUP = N_("Other units")


def labels(locale: str) -> dict[str, str]:
    """Every label of the page in the reader's language, for the templates."""
    _ = gettext_for(locale)
    return {key: _(msgid) for key, msgid in _LABELS.items()} | {"other_language": _SWITCH.get(locale, "English")}


def group_name(kind: str, locale: str) -> str:
    return gettext_for(locale)(_GROUPS.get(kind, _OTHER_GROUP))


def cell(line: UnitLine, locale: str) -> str:
    """A unit's state for one deadline in a few words: 'đã nộp 08/01', 'đang làm 60%', 'quá hạn 3 ngày'."""
    _ = gettext_for(locale)
    group, update = line.group, line.report.latest
    if group == "done":
        return (
            _("submitted {day}").format(day=short_day(update.at.astimezone(zone()).date(), locale))
            if update
            else _("submitted")
        )
    if group == "overdue":
        ngettext = ngettext_for(locale)
        return ngettext("{n} day late", "{n} days late", line.late).format(n=line.late)
    if group == "in_progress":
        percent = update.percent if update is not None else None
        return _("in progress {percent}%").format(percent=percent) if percent is not None else _("in progress")
    if group == "extension_granted" and line.report.granted_until is not None:
        return _("extended to {day}").format(day=short_day(line.report.granted_until, locale))
    return _(_CELLS.get(group, group))


_CELLS = {
    "waiting_signature": N_("waiting for signature"),
    "no_data": N_("no data"),
    "extension_requested": N_("extension asked"),
    "extension_granted": N_("extension granted"),
    "no_update": N_("no report yet"),
    "unreachable": N_("cannot be reached"),
    "closed": N_("closed by the office"),
}


def counted(done: int, total: int, locale: str) -> str:
    """A column's count, as /tonghop says it: '12/18 submitted'."""
    _ = gettext_for(locale)
    return _("{done}/{total} submitted").format(done=done, total=total)


def sign_in_link(url: str, minutes: int, locale: str) -> str:
    """The answer to /web: the link, and that it works once."""
    _ = gettext_for(locale)
    return _("Open this link to sign in to the web page (it works once, for {minutes} minutes):\n{url}").format(
        minutes=minutes, url=url
    )


def not_served(locale: str) -> str:
    _ = gettext_for(locale)
    return _("The web page is not running here: ask whoever runs the bot to start it.")


_DECISIONS = {"requested": N_("asked, waiting for the office"), "granted": N_("granted"), "refused": N_("refused")}


def decision(value: str, locale: str) -> str:
    """An extension request's state on a unit's page."""
    return gettext_for(locale)(_DECISIONS.get(value, value))
