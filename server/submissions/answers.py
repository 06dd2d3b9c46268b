"""Checking a submission's answers against its survey version."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _

from ..patterns import SHA256_RE
from ..surveys.compiled import CompiledQuestion, CompiledSurvey
from .content import unanswered

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class CheckedAnswers:
    answers: dict[str, Any] = field(default_factory=dict)
    personal: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    places: list[str] = field(default_factory=list)  # district answers, in question order

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_value(q: CompiledQuestion, value: Any, attachments: set[str],
                 districts: frozenset[str]) -> tuple[Any, str | None]:
    """(normalized value, error message or None)."""
    t = q.type
    if t == "text":
        if not isinstance(value, str):
            return value, _("Enter text.")
        if len(value) > q.max_length:
            return value, _("Too long: at most %(max)s characters.", max=q.max_length)
        return value, None
    if t in ("integer", "rating"):
        if not _number(value) or int(value) != value:
            return value, _("Enter a whole number.")
        value = int(value)
        if t == "rating" and not 1 <= value <= 5:
            return value, _("Choose from 1 to 5 stars.")
        return value, _bounds(q, value)
    if t == "decimal":
        if not _number(value):
            return value, _("Enter a number.")
        return value, _bounds(q, value)
    if t == "select_one":
        if not isinstance(value, str) or value not in q.choices:
            return value, _("Choose one of the options.")
        return value, None
    if t == "select_multiple":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return value, _("Choose among the options.")
        if len(set(value)) != len(value) or not set(value) <= q.choices:
            return value, _("Choose among the options, each one once.")
        return value, None
    if t == "date":
        return value, None if _valid_date(value) else _("Enter a date as YYYY-MM-DD.")
    if t == "geopoint":
        return value, _check_geopoint(value)
    if t in ("photo", "audio"):
        if not isinstance(value, str) or not SHA256_RE.match(value):
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
    if t == "note":
        return value, _("This is a note: it takes no answer.")
    return value, _("Unknown question type.")


def _bounds(q: CompiledQuestion, value: float) -> str | None:
    low, high = q.min, q.max
    if low is not None and high is not None and not low <= value <= high:
        return _("Enter a number from %(min)s to %(max)s.", min=low, max=high)
    if low is not None and value < low:
        return _("Enter a number of at least %(min)s.", min=low)
    if high is not None and value > high:
        return _("Enter a number of at most %(max)s.", max=high)
    return None


def _valid_date(value: Any) -> bool:
    if not isinstance(value, str) or not DATE_RE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_geopoint(value: Any) -> str | None:
    if not isinstance(value, dict) or not set(value) <= {"lat", "lon", "accuracy", "alt"}:
        return _("Enter a location with latitude and longitude.")
    lat, lon = value.get("lat"), value.get("lon")
    if not (_number(lat) and _number(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return _("Enter a location with latitude and longitude.")
    for key in ("accuracy", "alt"):
        if value.get(key) is not None and not _number(value[key]):
            return _("Enter a location with latitude and longitude.")
    return None


def check_answers(survey: CompiledSurvey, raw: dict[str, Any], attachments: set[str],
                  districts: frozenset[str], language: str, today: date) -> CheckedAnswers:
    """Types, relevance, required, constraints. Unknown ids are errors; nothing is dropped."""
    result = CheckedAnswers()
    for key in raw:
        if key not in survey.by_id:
            result.error(key, _("This question is not in the survey."))
    # answers as the expressions see them: non-relevant questions count as unanswered
    effective: dict[str, Any] = {k: v for k, v in raw.items() if not unanswered(v)}
    for q in survey.questions:
        value = raw.get(q.id)
        relevant = q.relevance is None or q.relevance.evaluate_bool(effective, today=today)
        if not relevant:
            effective.pop(q.id, None)
        if unanswered(value):
            if relevant and q.required:
                result.error(q.id, _("This question is required."))
            continue
        if not relevant and q.personal:
            result.error(q.id, _("Personal data is only kept with consent: remove this answer."))
            continue
        value, problem = _check_value(q, value, attachments, districts)
        if problem is None and relevant and q.constraint is not None and not \
                q.constraint.evaluate_bool(effective, current=value, today=today):
            problem = survey.message(q.constraint_message, language) or _("Not a valid answer.")
        if problem:
            result.error(q.id, problem)
            continue
        (result.personal if q.personal else result.answers)[q.id] = value
        if q.type == "place":
            result.places.append(value)
    return result
