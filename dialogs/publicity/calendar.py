"""工作日: the days a 公示期 is counted on.

A 公示 runs for a number of 工作日, and 工作日 are not simply Monday to Friday: the State Council's
yearly notice makes some weekdays 法定节假日 and some weekends 调休 working days. Those are data in
the campaign file (``[[calendar.holidays]]``), one entry per holiday with the weekend days worked
for it, so next year's calendar is a new file, never a code change, and no package has to be kept
up to date on the server. A date in a year the file does not cover is refused rather than guessed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..wording import t

MAX_DAYS = 60  # a 公示 is days or weeks; more is a typing error


class CalendarError(ValueError):
    """The period cannot be counted: a bad number of days, or a year the campaign file does not cover."""


class Holiday(BaseModel):
    """One 法定节假日 as the State Council sets it: the days off and the 调休 days worked for it."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)
    name: str = Field(min_length=1)
    first: date
    last: date
    worked: tuple[date, ...] = ()

    @model_validator(mode="after")
    def _ordered(self) -> Holiday:
        if self.last < self.first:
            raise ValueError(t("publicity.calendar.holiday_order", name=self.name))
        return self

    def days_off(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


class WorkCalendar(BaseModel):
    """The years whose holidays are listed, and the holidays themselves."""

    model_config = ConfigDict(frozen=True)
    years: tuple[int, ...] = ()
    holidays: tuple[Holiday, ...] = ()

    @model_validator(mode="after")
    def _covered(self) -> WorkCalendar:
        for holiday in self.holidays:
            for day in (holiday.first, holiday.last, *holiday.worked):
                if day.year not in self.years:
                    raise ValueError(t("publicity.calendar.outside_years", name=holiday.name, day=day.isoformat()))
        return self

    @cached_property
    def _off(self) -> frozenset[date]:
        return frozenset(day for h in self.holidays for day in h.days_off())

    @cached_property
    def _worked(self) -> frozenset[date]:
        return frozenset(day for h in self.holidays for day in h.worked)

    def is_working_day(self, day: date) -> bool:
        """A weekday that is not a holiday, or a weekend day worked in its stead (调休)."""
        if day.year not in self.years:
            raise CalendarError(t("publicity.calendar.year_missing", year=day.year))
        if day in self._worked:
            return True
        return day.weekday() < 5 and day not in self._off

    def period_end(self, start: date, days: int) -> date:
        """The last day of a period of ``days`` 工作日 from ``start``; ``start`` counts when it is one."""
        if not 1 <= days <= MAX_DAYS:
            raise CalendarError(t("publicity.calendar.bad_days", days=days, most=MAX_DAYS))
        day, counted = start, 0
        while True:
            if self.is_working_day(day):
                counted += 1
                if counted == days:
                    return day
            day += timedelta(days=1)

    def first_working_day(self, start: date) -> date:
        """The period's first day: ``start`` itself, or the next working day after it."""
        return self.period_end(start, 1)
