"""Peru's clock, defined once: UTC-5 all year (no daylight saving since 1994). Coordinators
read times and pick dates on this clock."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

PERU_OFFSET = timedelta(hours=-5)
PERU_TZ = timezone(PERU_OFFSET, "PET")


def peru_midnight(day: date) -> datetime:
    """The instant a Peruvian calendar day begins."""
    return datetime.combine(day, time.min, tzinfo=PERU_TZ)
