"""One answer against its question's type (docs/survey-format.md, "Question types")."""

from __future__ import annotations

import math
import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from ..patterns import SHA256_RE
from ..surveys.compiled import CompiledQuestion
from ..surveys.definition_values import valid_date, valid_datetime, valid_time

ANY_CHOICE_RE = re.compile(r"^[^\s]{1,64}$")
MAX_COMPUTED = 4000  # characters of a calculated, hidden or metadata value
MAX_AUDIT = 20_000
MAX_BARCODE = 2000
FILE_TYPES = ("photo", "audio", "video", "file")


def number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_value(q: CompiledQuestion, value: Any, attachments: set[str],
                districts: frozenset[str]) -> tuple[Any, str | None]:
    """(normalized value, error message or None)."""
    t = q.type
    if t == "text":
        if not isinstance(value, str):
            return value, _("Enter text.")
        if len(value) > q.max_length:
            return value, ngettext("Too long: at most %(max)s character.",
                                 "Too long: at most %(max)s characters.", q.max_length,
                                 max=q.max_length)
        return value, None
    if t in ("integer", "rating"):
        if not number(value) or int(value) != value:
            return value, _("Enter a whole number.")
        value = int(value)
        if t == "rating" and not 1 <= value <= 5:
            return value, _("Choose from 1 to 5 stars.")
        return value, _bounds(q, value)
    if t == "decimal":
        if not number(value):
            return value, _("Enter a number.")
        return value, _bounds(q, value)
    if t == "range":
        return _check_range(q, value)
    if t in ("select_one", "select_multiple"):
        return value, _check_select(q, value)
    if t == "date":
        return value, None if valid_date(value) else _("Enter a date as YYYY-MM-DD.")
    if t == "time":
        return value, None if valid_time(value) else _("Enter a time as HH:MM.")
    if t == "datetime":
        return value, None if valid_datetime(value) else _(
            "Enter a date and time with its UTC offset, such as 2026-12-02T10:15:00-05:00.")
    if t == "geopoint":
        return value, _check_geopoint(value)
    if t in FILE_TYPES:
        if not isinstance(value, str) or not SHA256_RE.fullmatch(value):
            return value, _("Attach the file again.")
        if value not in attachments:
            return value, _("The file is not listed among this submission's attachments.")
        return value, None
    if t == "place":
        if not isinstance(value, str) or value not in districts:
            return value, _("Choose a district.")
        if q.department and not value.startswith(q.department[:2]):
            return value, _("Choose a district of the department shown.")
        return value, None
    return value, _check_other_types(q, value)


def _check_other_types(q: CompiledQuestion, value: Any) -> str | None:
    t = q.type
    if t == "barcode":
        if not isinstance(value, str) or len(value) > MAX_BARCODE:
            return ngettext("Enter the code as text (at most %(max)s character).",
                            "Enter the code as text (at most %(max)s characters).",
                            MAX_BARCODE, max=MAX_BARCODE)
        return None
    if t == "acknowledge":
        return None if value == "OK" else _("Confirm with “OK”.")
    if t in ("calculate", "hidden"):
        if not isinstance(value, str) or len(value) > MAX_COMPUTED:
            return ngettext("A calculated value must be text of at most %(max)s character.",
                            "A calculated value must be text of at most %(max)s characters.",
                            MAX_COMPUTED, max=MAX_COMPUTED)
        return None
    if t == "meta":
        return _check_meta(q.meta, value)
    if t == "note":
        return _("This is a note: it takes no answer.")
    return _("Unknown question type.")


def _check_meta(kind: str | None, value: Any) -> str | None:
    if kind in ("start", "end"):
        return None if valid_datetime(value) else _(
            "Enter a date and time with its UTC offset, such as 2026-12-02T10:15:00-05:00.")
    if kind == "today":
        return None if valid_date(value) else _("Enter a date as YYYY-MM-DD.")
    limit = MAX_AUDIT if kind == "audit" else MAX_COMPUTED
    if not isinstance(value, str) or len(value) > limit:
        return ngettext("A calculated value must be text of at most %(max)s character.",
                        "A calculated value must be text of at most %(max)s characters.",
                        limit, max=limit)
    return None


def _check_select(q: CompiledQuestion, value: Any) -> str | None:
    def known(choice: str) -> bool:
        if q.choices_unknown:
            return bool(ANY_CHOICE_RE.fullmatch(choice))
        return choice in q.choices

    if q.type == "select_one":
        if not isinstance(value, str) or not known(value):
            return _("Choose one of the options.")
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return _("Choose among the options.")
    if len(set(value)) != len(value) or not all(known(v) for v in value):
        return _("Choose among the options, each one once.")
    return None


def _check_range(q: CompiledQuestion, value: Any) -> tuple[Any, str | None]:
    start, end, step = q.range or (1.0, 10.0, 1.0)
    if not number(value):
        return value, _("Enter a number.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    low, high = min(start, end), max(start, end)
    steps = (value - start) / step if step else 0.0
    if not low <= value <= high or abs(steps - round(steps)) > 1e-9 * max(1.0, abs(steps)):
        return value, _("Choose a value from %(start)s to %(end)s in steps of %(step)s.",
                        start=_plain(start), end=_plain(end), step=_plain(step))
    return value, None


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _bounds(q: CompiledQuestion, value: float) -> str | None:
    low, high = q.min, q.max
    if low is not None and high is not None and not low <= value <= high:
        return _("Enter a number from %(min)s to %(max)s.", min=low, max=high)
    if low is not None and value < low:
        return _("Enter a number of at least %(min)s.", min=low)
    if high is not None and value > high:
        return _("Enter a number of at most %(max)s.", max=high)
    return None


def _check_geopoint(value: Any) -> str | None:
    if not isinstance(value, dict) or not set(value) <= {"lat", "lon", "accuracy", "alt"}:
        return _("Enter a location with latitude and longitude.")
    lat, lon = value.get("lat"), value.get("lon")
    if not (number(lat) and number(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return _("Enter a location with latitude and longitude.")
    for key in ("accuracy", "alt"):
        if value.get(key) is not None and not number(value[key]):
            return _("Enter a location with latitude and longitude.")
    return None
