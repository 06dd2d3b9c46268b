"""Answers shown with their question and choice labels, in the console's language, taken from
the survey version each submission was made with."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..places.services import names_by_code
from ..surveys.models import SurveyVersion

EXCERPT_CHARS = 120
MEDIA_TYPES = ("photo", "audio")


def localized(texts: Any, lang: str, default: str = "") -> str:
    """A {language: text} value in `lang`, else in any language it has."""
    if isinstance(texts, str):
        return texts
    if not isinstance(texts, dict) or not texts:
        return default
    return texts.get(lang) or texts.get("es") or next(iter(texts.values()), default)


@dataclass(frozen=True)
class ShownAnswer:
    question_id: str
    label: str
    type: str
    text: str  # the answer as the reader sees it ("" when unanswered)
    raw: Any = None  # the stored value (kept for comparisons)
    media: str | None = None  # sha256 of a photo or recording
    personal: bool = False


@dataclass
class ShownPage:
    title: str
    answers: list[ShownAnswer] = field(default_factory=list)


def definitions(version_ids: set[int]) -> dict[int, dict]:
    if not version_ids:
        return {}
    rows = db.session.execute(select(SurveyVersion.id, SurveyVersion.definition)
                              .where(SurveyVersion.id.in_(version_ids)))
    return {version_id: definition for version_id, definition in rows}


def questions(definition: dict | None) -> list[tuple[dict, dict]]:
    """(page, question) pairs in survey order."""
    return [(page, q) for page in (definition or {}).get("pages", [])
            for q in page.get("questions", [])]


def excerpt(definition: dict | None, answers: dict[str, Any]) -> str:
    """The first free-text answer, shortened for a list."""
    for _page, q in questions(definition):
        value = answers.get(q["id"])
        if q.get("type") == "text" and isinstance(value, str) and value.strip():
            text = " ".join(value.split())
            return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS - 1] + "…"
    return ""


def _choice_labels(question: dict, lang: str) -> dict[str, str]:
    return {c["value"]: localized(c.get("label"), lang, c["value"])
            for c in question.get("choices") or ()}


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_decimal(value)


def answer_text(question: dict, value: Any, lang: str, places: dict) -> str:
    """One answer as text; unexpected shapes are shown as they are, never dropped."""
    if value is None or value == "" or value == []:
        return ""
    qtype = question.get("type")
    if qtype == "select_one" and isinstance(value, str):
        return _choice_labels(question, lang).get(value, value)
    if qtype == "select_multiple" and isinstance(value, list):
        labels = _choice_labels(question, lang)
        return ", ".join(labels.get(v, str(v)) for v in value)
    if qtype == "place" and isinstance(value, str):
        place = places.get(value)
        return f"{place.name} ({value})" if place else value
    if qtype == "rating" and isinstance(value, int):
        return _("%(value)s of 5", value=value)
    if qtype == "geopoint" and isinstance(value, dict):
        return location_text(value.get("lat"), value.get("lon"), value.get("accuracy"))
    if qtype in MEDIA_TYPES and isinstance(value, str):
        return value[:12] + "…"  # a file's hash: its start is enough to tell two apart
    if qtype in ("integer", "decimal"):
        return _number(value)
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


def shown_answers(definition: dict | None, answers: dict[str, Any],
                  personal: dict[str, Any] | None, lang: str) -> list[ShownPage]:
    """Every question of the version in order (personal ones only when `personal` is given),
    then any stored answer the version does not know, so nothing is hidden."""
    personal = personal or {}
    merged = {**answers, **personal}
    places = names_by_code({v for v in merged.values() if isinstance(v, str) and len(v) == 6
                            and v.isdigit()})
    pages: list[ShownPage] = []
    known: set[str] = set()
    for page in (definition or {}).get("pages", []):
        shown = ShownPage(localized(page.get("title"), lang))
        for q in page.get("questions", []):
            known.add(q["id"])
            if q.get("type") == "note" or (q.get("personal") and q["id"] not in personal):
                continue
            value = merged.get(q["id"])
            shown.answers.append(ShownAnswer(
                q["id"], localized(q.get("label"), lang, q["id"]), q.get("type", ""),
                answer_text(q, value, lang, places), value,
                value if q.get("type") in MEDIA_TYPES and isinstance(value, str) else None,
                bool(q.get("personal"))))
        pages.append(shown)
    extra = [k for k in merged if k not in known and (k in answers or k in personal)]
    if extra:
        pages.append(ShownPage(_("Answers to questions this version does not have"), [
            ShownAnswer(k, k, "", answer_text({}, merged[k], lang, places), merged[k],
                        personal=k in personal) for k in extra]))
    return pages
