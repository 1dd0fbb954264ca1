"""The plan file (TOML): its schema, and reading it with every check a load relies on."""

from __future__ import annotations

import calendar
import datetime as dt
import tomllib
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from storage.models import OFFICE_KIND

LADDER_STEP = r"^(0|[+-]\d{1,2}[dw])(>(head|office))*$"


class PlanError(Exception):
    """A plan file that cannot be loaded, with where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class PlanMeta(_Strict):
    """The plan as a document: "Kế hoạch số {number} ngày {issued_on} của {issuer} về {title}"."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    title: str
    number: str = ""
    issued_on: dt.date | None = None
    issuer: str = ""
    report_to: str = ""  # the body the reports go to
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    issuer_until: dt.date | None = None  # the issuer's own end: the plan ends with it unless carried over
    office_unit: str | None = None


class UnitSpec(_Strict):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    name: str = Field(min_length=1)
    short: str = Field(min_length=1)
    kind: str
    code: str | None = None
    aliases: list[str] = Field(default_factory=list)
    valid_from: date | None = None
    valid_to: date | None = None
    successors: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _period(self) -> Self:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to ({self.valid_to}) is before valid_from ({self.valid_from})")
        return self


# A deadline field the other kinds would silently ignore is refused.
_ONLY_FOR = {
    "date": ("once",),
    "day": ("monthly", "quarterly", "yearly"),
    "month": ("quarterly", "yearly"),
    "year": ("yearly",),
}


class DeadlineSpec(_Strict):
    """A deadline as the file writes it; checked as scheduler.calendar.DeadlineRule checks it (the tests
    hold the two to the same answers), so a plan that loads never stops the planner."""

    kind: Literal["once", "monthly", "quarterly", "yearly"]
    inclusive: bool = False
    date: dt.date | None = None
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    year: int | None = Field(default=None, ge=dt.MINYEAR, le=dt.MAXYEAR)  # a yearly deadline of that year only
    start: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None
    # the data cut-off period (Decree 09/2019 Art. 12, scheduler/cycles.py)
    period: Literal["none", "monthly", "quarterly", "half-year", "last-half", "nine-months", "annual"] = "none"

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.kind == "once" and self.date is None:
            raise ValueError("a 'once' deadline needs a date")
        if self.kind != "once" and self.day is None:
            raise ValueError(f"a {self.kind} deadline needs a day")
        if self.kind == "yearly" and self.month is None:
            raise ValueError("a yearly deadline needs a month")
        if self.kind == "quarterly" and self.month is not None and self.month > 3:
            raise ValueError("a quarterly deadline's month is the quarter's 1st, 2nd or 3rd (its last), not another")
        for name, kinds in _ONLY_FOR.items():
            if getattr(self, name) is not None and self.kind not in kinds:
                raise ValueError(f"{name} is for a {' or '.join(kinds)} deadline only, not a {self.kind} one")
        if self.start and self.until and self.until < self.start:
            raise ValueError(f"the deadline's until ({self.until}) is before its from ({self.start})")
        bounds = self._bounds()
        if bounds is not None and not self._falls_between(*bounds):
            raise ValueError(f"the deadline never falls between {bounds[0]} and {bounds[1]}")
        return self

    def _bounds(self) -> tuple[dt.date, dt.date] | None:
        lower = [day for day in (self.start, self.date) if day]  # a date is a once deadline's (checked above)
        upper = [day for day in (self.until, self.date) if day]
        if self.year is not None:
            lower.append(dt.date(self.year, 1, 1))
            upper.append(dt.date(self.year, 12, 31))
        return (max(lower), min(upper)) if lower and upper else None

    def _falls_between(self, lower: dt.date, upper: dt.date) -> bool:
        if self.date is not None:
            return lower <= self.date <= upper
        assert self.day is not None
        year, month = lower.year, lower.month
        while (year, month) <= (upper.year, upper.month):
            if self.kind == "monthly" or month == self.month or self._quarterly_in(month):
                last = calendar.monthrange(year, month)[1]
                if lower <= dt.date(year, month, min(self.day, last)) <= upper:
                    return True
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return False

    def _quarterly_in(self, month: int) -> bool:
        return self.kind == "quarterly" and (month - 1) % 3 + 1 == (self.month or 3)

    def as_rule(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class DutySpec(_Strict):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    title: str
    title_en: str = ""
    wording: str = ""
    groups: list[str] = Field(min_length=1)
    deadline: DeadlineSpec
    # Reminder steps relative to the last day to send: "-7d" calendar days, "-3w" working days, "0" the
    # day itself; ">head" / ">office" copy that step up the hierarchy. Empty: the default ladder.
    ladder: list[Annotated[str, Field(pattern=LADDER_STEP)]] = Field(default_factory=list)
    remind_at: str = Field(default="08:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")

    @model_validator(mode="after")
    def _steps_once(self) -> Self:
        keys = [step.split(">")[0].lstrip("+") for step in self.ladder]
        if len(set(keys)) != len(keys):
            raise ValueError(f"a ladder step is given twice: {', '.join(self.ladder)}")
        return self


class CalendarDay(_Strict):
    date: dt.date
    off: bool
    note: str = ""


class PlanSpec(_Strict):
    plan: PlanMeta
    units: list[UnitSpec]
    groups: dict[str, list[str]] = Field(default_factory=dict)
    duties: list[DutySpec] = Field(default_factory=list)
    calendar: list[CalendarDay] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> Self:
        keys = [unit.key for unit in self.units]
        duplicates = {key for key in keys if keys.count(key) > 1}
        if duplicates:
            raise ValueError(f"unit keys used twice: {', '.join(sorted(duplicates))}")
        known = set(keys)
        for unit in self.units:
            for successor in unit.successors:
                if successor not in known:
                    raise ValueError(f"unit {unit.key}: unknown successor {successor!r}")
        for group, members in self.groups.items():
            for member in members:
                if member not in known:
                    raise ValueError(f"group {group}: unknown unit {member!r}")
        for duty in self.duties:
            for group in duty.groups:
                if group not in self.groups:
                    raise ValueError(f"duty {duty.key}: unknown group {group!r}")
        if self.plan.office_unit and self.plan.office_unit not in known:
            raise ValueError(f"plan.office_unit: unknown unit {self.plan.office_unit!r}")
        office = next((unit for unit in self.units if unit.key == self.plan.office_unit), None)
        if office is not None and office.kind != OFFICE_KIND:  # the bot finds the office by its kind
            raise ValueError(f"plan.office_unit: unit {office.key!r} must have kind = {OFFICE_KIND!r}")
        return self


def read_plan(path: Path) -> PlanSpec:
    """Parse and check a plan file; raises PlanError naming the file and the problem."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        return PlanSpec.model_validate(data)
    except OSError as exc:
        raise PlanError(f"cannot read the plan file {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"the plan file {path} is not valid TOML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise PlanError(f"the plan file {path} is wrong at {where or 'top level'}: {message}") from exc
