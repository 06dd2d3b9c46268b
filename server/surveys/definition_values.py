"""Literal values in the survey format: dates, times and a question's `default`.

The date and time shapes are shared with the answer checks (submissions/answers.py)."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from typing import Any

from flask_babel import gettext as _

from .definition_checker import Checker

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_RE = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$")
DATETIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$")
UBIGEO_RE = re.compile(r"^\d{6}$")


def valid_date(value: Any) -> bool:
    if not isinstance(value, str) or not DATE_RE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def valid_time(value: Any) -> bool:
    """"HH:MM" or "HH:MM:SS" (fractions of a second allowed), without a date."""
    if not isinstance(value, str) or not TIME_RE.fullmatch(value):
        return False
    try:
        time.fromisoformat(value)
    except ValueError:
        return False
    return True


def valid_datetime(value: Any) -> bool:
    """ISO 8601 with a UTC offset ("Z" or ±HH:MM): a moment, not a wall-clock time."""
    if not isinstance(value, str) or not DATETIME_RE.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _choice_values(q: dict) -> set[str] | None:
    choices = q.get("choices")
    if not isinstance(choices, list):
        return None  # from a file, or reported elsewhere
    values = {ch.get("value") for ch in choices if isinstance(ch, dict)}
    return values | ({"other"} if q.get("or_other") is True else set())


def default_problem(q: dict, qtype: str, value: Any) -> bool:
    """Whether `value` (text or a number, as in XLSForm) is not a possible answer."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return True
    text = value if isinstance(value, str) else repr(value)
    if qtype in ("integer", "rating"):
        number = _number(text)
        return number is None or not number.is_integer() or (
            qtype == "rating" and not 1 <= number <= 5)
    if qtype in ("decimal", "range"):
        return _number(text) is None
    if qtype in ("select_one", "select_multiple"):
        values = _choice_values(q)
        chosen = text.split() if qtype == "select_multiple" else [text]
        return not chosen or (values is not None and not set(chosen) <= values)
    checks = {"date": valid_date, "time": valid_time, "datetime": valid_datetime,
              "place": lambda v: bool(UBIGEO_RE.fullmatch(v)),
              "acknowledge": lambda v: v == "OK"}
    if qtype in checks:
        return not checks[qtype](text)
    if qtype in ("photo", "audio", "video", "file"):
        return True  # a default file would be the same attachment in every interview
    return len(text) > 2000


def check_default(c: Checker, q: dict, qtype: str, path: str) -> None:
    if default_problem(q, qtype, q["default"]):
        c.add(path, _("This default is not a possible answer to this question."))
