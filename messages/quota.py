"""A channel's monthly quota as the office reads it: near it, and spent (or about to be passed)."""

from __future__ import annotations

from messages.i18n import gettext_for


def quota_over(channel: str, month: str, sent: int, quota: int, not_sent: int, locale: str) -> str:
    """The quota is spent, or the messages waiting would pass it: what was sent, what is left, what waits."""
    _ = gettext_for(locale)
    return _(
        "⛔ {channel} has sent {sent} of its {quota} messages for {month}; {left} left. {not_sent} messages waiting "
        "would not go out: they wait, none lost, and go when {channel} takes messages again (next month, or "
        "once the plan is raised). Meanwhile ask officials to link Telegram too (/lienket)."
    ).format(
        channel=channel.capitalize(),
        sent=sent,
        quota=quota,
        month=month,
        left=max(quota - sent, 0),
        not_sent=not_sent,
    )


def quota_warning(channel: str, month: str, sent: int, quota: int, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "⚠️ {channel} has sent {sent} of its {quota} messages for {month}. When the quota runs out, "
        "reminders on {channel} stop: ask officials to link Telegram too (/lienket), or raise the plan."
    ).format(channel=channel.capitalize(), sent=sent, quota=quota, month=month)
