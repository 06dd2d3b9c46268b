"""Times on admin pages: numeric dates in Peru's time zone (glossary §8)."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime
from flask_babel import get_locale

from ..peru import PERU_TZ
from .blueprint import bp


@bp.app_template_filter("peru_time")
def peru_time(value: datetime | None) -> str:
    if value is None:
        return "—"
    return format_datetime(value, "dd/MM/yyyy HH:mm", tzinfo=PERU_TZ, locale=str(get_locale()))
