"""A claimed outbox row as the message the renderer words: the facts, the days left, the office's groups."""

from __future__ import annotations

from datetime import date

from scheduler.calendar import WorkCalendar
from scheduler.sending import ReminderMessage
from scheduler.steps import StepKey
from storage.claims import ReminderRow


def message_for(
    row: ReminderRow, *, today: date, calendar: WorkCalendar, locale: str, late_units: tuple[str, ...] = ()
) -> ReminderMessage:
    return ReminderMessage(
        reminder_id=row.id,
        channel=row.channel,
        chat_id=row.chat_id,
        locale=row.locale or locale,
        audience=row.audience,
        step=StepKey(row.step),
        duty_title=row.duty_title,
        duty_title_en=row.duty_title_en,
        unit_name=row.unit_name,
        nominal=row.nominal,
        inclusive=row.inclusive,
        aim_day=row.aim_day,
        legal_last_day=row.legal_last_day,
        working_days_left=working_days_left(calendar, today, row.aim_day, row.legal_last_day),
        period_start=row.period_start,
        period_end=row.period_end,
        late_units=late_units if row.audience == "office" else (),
        occurrence_id=row.occurrence_id,
        plan_title=row.plan_title or "",
        plan_number=row.plan_number or "",
        plan_issued_on=row.plan_issued_on,
        plan_issuer=row.plan_issuer or "",
    )


def working_days_left(cal: WorkCalendar, today: date, aim_day: date, legal_last_day: date) -> int:
    """Working days to the day to aim for; 0 up to the legal last day; after it, minus the days late."""
    if today > legal_last_day:
        return -cal.working_days_between(legal_last_day, today)
    return max(cal.working_days_between(today, aim_day), 0)


def grouped(rows: list[ReminderRow]) -> list[list[ReminderRow]]:
    """Each row alone, except the office's rows of one occurrence and step: one message lists the units."""
    groups: dict[tuple[int, int, int, str], list[ReminderRow]] = {}
    for row in rows:
        key = (0, row.account_id, row.occurrence_id, row.step) if row.audience == "office" else (1, row.id, 0, "")
        groups.setdefault(key, []).append(row)
    return list(groups.values())
