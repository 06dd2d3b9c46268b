"""Times as coordinators read them: Peru's clock (UTC-5 all year), dd/MM/yyyy (glossary §8)."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime
from flask_babel import get_locale

from ..peru import PERU_TZ


def peru_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value.astimezone(PERU_TZ), "dd/MM/yyyy h:mm a",
                           locale=str(get_locale() or "es_PE"))
