"""Counts over time: UTC hours rolled up into Peru's calendar days, weeks or months,
depending on the range shown, with empty periods filled in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..peru import PERU_OFFSET

DAYS_MAX = 62  # up to two months: one bar per day
WEEKS_MAX = 730  # up to two years: one bar per week (Monday to Sunday); longer: per month


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    count: int


def peru_day(utc_hour: datetime) -> date:
    return (utc_hour + PERU_OFFSET).date()


def today_in_peru() -> date:
    return (datetime.utcnow() + PERU_OFFSET).date()  # noqa: DTZ003  (naive UTC on purpose)


def unit_for(first: date, last: date) -> str:
    span = (last - first).days + 1
    return "day" if span <= DAYS_MAX else "week" if span <= WEEKS_MAX else "month"


def _period_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _next_start(start: date, unit: str) -> date:
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def timeline(by_hour: dict[datetime, int], first: date | None = None,
             last: date | None = None) -> tuple[str, list[Period]]:
    """(unit, periods) covering first..last (the filter's dates, else the data's range)."""
    by_day: dict[date, int] = {}
    for hour, n in by_hour.items():
        day = peru_day(hour)
        by_day[day] = by_day.get(day, 0) + n
    if not by_day:
        return "day", []
    # the filter's range when it is given and not absurdly long, else the data's range
    if first is None or last is None or last < first or (last - first).days > 3 * WEEKS_MAX:
        first, last = max(first or date.min, min(by_day)), min(last or date.max, max(by_day))
    if last < first:
        return "day", []
    unit = unit_for(first, last)
    periods, start = [], _period_start(first, unit)
    while start <= last:
        following = _next_start(start, unit)
        end = min(following - timedelta(days=1), last)
        count = sum(n for day, n in by_day.items() if max(start, first) <= day <= end)
        periods.append(Period(max(start, first), end, count))
        start = following
    return unit, periods
