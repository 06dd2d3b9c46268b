"""Times on admin pages: numeric dates in Peru's time zone (glossary §8)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask_babel import get_locale

from .blueprint import bp

PERU = ZoneInfo("America/Lima")


@bp.app_template_filter("peru_time")
def peru_time(value: datetime | None) -> str:
    if value is None:
        return "—"
    return format_datetime(value, "dd/MM/yyyy HH:mm", tzinfo=PERU, locale=str(get_locale()))
