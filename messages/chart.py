"""A chart of submissions over time, as a PNG: the units that have sent a report, day by day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from io import BytesIO
from typing import TYPE_CHECKING

from messages.formatting import short_day, zone
from messages.i18n import gettext_for
from messages.text import shorten

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def submissions_png(
    *,
    title: str,
    submitted: Sequence[datetime],
    total: int,
    aim_day: date,
    legal_last_day: date,
    today: date,
    locale: str,
) -> bytes:
    """Cumulative submissions from two weeks before the day to aim for to today (or a day past the legal
    last day), with both days marked."""
    import matplotlib

    matplotlib.use("Agg")  # no screen: render to memory
    from matplotlib import pyplot as plt

    start = aim_day - timedelta(days=14)
    end = max(min(today, legal_last_day + timedelta(days=21)), legal_last_day + timedelta(days=1))
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    counts = cumulative(submitted, days, today=today)
    figure, axes = plt.subplots(figsize=(8, 4.5), dpi=100)
    try:
        _draw(
            axes, days, counts, title=title, total=total, aim_day=aim_day, legal_last_day=legal_last_day, locale=locale
        )
        buffer = BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight")
    finally:
        plt.close(figure)
    return buffer.getvalue()


def _draw(
    axes: Axes,
    days: Sequence[date],
    counts: Sequence[int | None],
    *,
    title: str,
    total: int,
    aim_day: date,
    legal_last_day: date,
    locale: str,
) -> None:
    """The submissions as a step line up to today, the number of units, both days, the title, legend and axes."""
    _ = gettext_for(locale)
    start = days[0]
    positions = list(range(len(days)))  # day numbers on the axis, labelled dd/mm below
    known = [(position, count) for position, count in zip(positions, counts, strict=True) if count is not None]
    axes.step(
        [position for position, _count in known],
        [count for _position, count in known],
        where="post",
        color="#1f6f43",
        linewidth=2,
        label=_("Units submitted"),
    )
    axes.axhline(total, color="#888888", linestyle=":", label=_("All units ({n})").format(n=total))
    if aim_day != legal_last_day:
        axes.axvline(
            (aim_day - start).days,
            color="#c77c02",
            linestyle=":",
            label=_("Aim to send by ({day})").format(day=short_day(aim_day, locale)),
        )
    axes.axvline(
        (legal_last_day - start).days,
        color="#b3261e",
        linestyle="--",
        label=_("Legal last day ({day})").format(day=short_day(legal_last_day, locale)),
    )
    axes.set_ylim(0, max(total, 1) * 1.1)
    axes.locator_params(axis="y", integer=True)  # units come whole
    axes.set_title(shorten(title, 90))
    axes.set_ylabel(_("Units"))
    axes.legend(loc="upper left")
    axes.grid(alpha=0.3)
    every = max(1, len(days) // 12)
    axes.set_xticks(positions[::every], [f"{day:%d/%m}" for day in days[::every]], rotation=45)


def cumulative(submitted: Sequence[datetime], days: Sequence[date], *, today: date) -> list[int | None]:
    """Units submitted by the end of each day (local time); None for the days still to come."""
    local = [moment.astimezone(zone()).date() for moment in submitted]
    return [sum(1 for day in local if day <= current) if current <= today else None for current in days]
