"""Answers as text, with their question and choice labels in the console's language, taken
from the survey version each submission was made with (the page's layout: shown.py)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from babel.dates import format_date
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..surveys.models import SurveyVersion
from ..surveys.structure import MAX_DEPTH
from .formatting import peru_datetime

EXCERPT_CHARS = 120
MEDIA_TYPES = ("photo", "audio", "video", "file")
CALCULATED_TYPES = ("calculate", "hidden")
DATETIME_METAS = ("start", "end")


def localized(texts: Any, lang: str, default: str = "", default_language: str = "es") -> str:
    """A {language: text} value in `lang`, else in the survey's default language, else in
    any language it has."""
    if isinstance(texts, str):
        return texts
    if not isinstance(texts, dict) or not texts:
        return default
    return (texts.get(lang) or texts.get(default_language) or texts.get("es")
            or next(iter(texts.values()), default))


def definitions(version_ids: set[int]) -> dict[int, dict]:
    if not version_ids:
        return {}
    rows = db.session.execute(select(SurveyVersion.id, SurveyVersion.definition)
                              .where(SurveyVersion.id.in_(version_ids)))
    return {version_id: definition for version_id, definition in rows}


def children_of(item: Any) -> list[dict]:
    inner = item.get("questions") if isinstance(item, dict) else None
    return [q for q in inner if isinstance(q, dict)] if isinstance(inner, list) else []


def questions(definition: dict | None) -> list[tuple[dict, dict]]:
    """(page, item) pairs in survey order for what is answered outside any repeat: the
    questions, through groups, and the repeats themselves (whose answer is a list)."""
    found: list[tuple[dict, dict]] = []

    def visit(page: dict, items: list[dict], depth: int) -> None:
        for item in items:
            if item.get("type") == "group" and depth < MAX_DEPTH:
                visit(page, children_of(item), depth + 1)
            elif item.get("type") != "group":
                found.append((page, item))

    for page in (definition or {}).get("pages", []):
        if isinstance(page, dict):
            visit(page, children_of(page), 0)
    return found


def excerpt(definition: dict | None, answers: dict[str, Any]) -> str:
    """The first free-text answer, shortened for a list."""
    for _page, q in questions(definition):
        value = answers.get(q.get("id"))
        if q.get("type") == "text" and isinstance(value, str) and value.strip():
            text = " ".join(value.split())
            return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS - 1] + "…"
    return ""


def choice_labels(question: dict, lang: str, default_language: str = "es") -> dict[str, str]:
    labels = {c["value"]: localized(c.get("label"), lang, c["value"], default_language)
              for c in question.get("choices") or ()
              if isinstance(c, dict) and isinstance(c.get("value"), str)}
    if question.get("or_other") is True:
        labels.setdefault("other", _("Other"))
    return labels


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_decimal(value)


def _date_text(value: str) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return format_date(day, "dd/MM/yyyy", locale=str(get_locale() or "es_PE"))


def _datetime_text(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return peru_datetime(moment) if moment.tzinfo else value


def answer_text(question: dict, value: Any, lang: str, places: dict,
                labels: dict[str, str] | None = None) -> str:
    """One answer as text; unexpected shapes are shown as they are, never dropped.
    `labels`: the choice labels, when they were looked up already (lists from files)."""
    if value is None or value == "" or value == []:
        return ""
    qtype = question.get("type")
    if qtype in ("select_one", "select_multiple") and labels is None:
        labels = choice_labels(question, lang)
    if qtype == "select_one" and isinstance(value, str):
        return (labels or {}).get(value, value)
    if qtype == "select_multiple" and isinstance(value, list):
        return ", ".join((labels or {}).get(v, str(v)) for v in value)
    if qtype == "place" and isinstance(value, str):
        place = places.get(value)
        return f"{place.name} ({value})" if place else value
    if qtype == "rating" and isinstance(value, int):
        return _("%(value)s of 5", value=value)
    if qtype == "geopoint" and isinstance(value, dict):
        return location_text(value.get("lat"), value.get("lon"), value.get("accuracy"))
    if qtype in MEDIA_TYPES and isinstance(value, str):
        return value[:12] + "…"  # a file's hash: its start is enough to tell two apart
    if qtype in ("integer", "decimal", "range"):
        return _number(value)
    if qtype == "acknowledge" and value == "OK":
        return _("Confirmed")
    if isinstance(value, str) and (qtype == "date" or (
            qtype == "meta" and question.get("meta") == "today")):
        return _date_text(value)
    if isinstance(value, str) and (qtype == "datetime" or (
            qtype == "meta" and question.get("meta") in DATETIME_METAS)):
        return _datetime_text(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def location_text(lat: Any, lon: Any, accuracy: Any = None) -> str:
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return ""
    text = f"{lat:.5f}, {lon:.5f}"
    if isinstance(accuracy, int | float):
        text += f" (± {_number(round(accuracy))} m)"  # symbols only: nothing to translate
    return text


