"""The words of a duty's follower, the office's "chuyên viên theo dõi" (issue 25)."""

from __future__ import annotations

from collections.abc import Sequence

from messages.i18n import gettext_for


def usage(number: int, people: Sequence[str], locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "Name who follows duty no. {number}: /nhiemvu {number} theo dõi <name> (the office's people: {people}); "
        "/nhiemvu {number} theo dõi bỏ lets every admin follow it again."
    ).format(number=number, people=", ".join(people) or "—")


def follows(number: int, name: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("{name} now follows duty no. {number}: its escalations and digest lines go to them.").format(
        name=name, number=number
    )


def nobody_follows(number: int, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Nobody follows duty no. {number} now: its escalations go to every admin.").format(number=number)


def who(said: str, people: Sequence[str], *, ambiguous: bool, locale: str) -> str:
    _ = gettext_for(locale)
    if ambiguous:
        return _("“{said}” could be {people}: write the whole name.").format(said=said[:60], people=", ".join(people))
    return _("Nobody of the office is called “{said}”. The office's people: {people}.").format(
        said=said[:60], people=", ".join(people) or "—"
    )


def followed_by(name: str, locale: str) -> str:
    _ = gettext_for(locale)
    return _("Followed by: {name}").format(name=name)
