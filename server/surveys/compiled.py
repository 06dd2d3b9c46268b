"""Published definitions compiled once per process for fast answer checking."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, tuple_

from ..extensions import db
from .expressions import Expression, parse
from .models import Survey, SurveyVersion

CACHE_SIZE = 256


@dataclass(frozen=True)
class CompiledQuestion:
    id: str
    type: str
    required: bool = False
    personal: bool = False
    relevance: Expression | None = None
    constraint: Expression | None = None
    constraint_message: dict[str, str] = field(default_factory=dict)
    choices: frozenset[str] = frozenset()
    min: float | None = None
    max: float | None = None
    max_length: int = 2000
    department: str | None = None


@dataclass(frozen=True)
class CompiledSurvey:
    version_id: int
    survey_id: int
    languages: tuple[str, ...]
    default_language: str
    questions: tuple[CompiledQuestion, ...]
    by_id: dict[str, CompiledQuestion]

    def message(self, texts: dict[str, str], language: str) -> str:
        return (
            texts.get(language)
            or texts.get(self.default_language)
            or next(iter(texts.values()), "")
        )


def _question(raw: dict[str, Any]) -> CompiledQuestion:
    return CompiledQuestion(
        id=raw["id"],
        type=raw["type"],
        required=bool(raw.get("required", False)),
        personal=bool(raw.get("personal", False)),
        relevance=parse(raw["relevance"]) if raw.get("relevance") else None,
        constraint=parse(raw["constraint"]) if raw.get("constraint") else None,
        constraint_message=dict(raw.get("constraint_message") or {}),
        choices=frozenset(c["value"] for c in raw.get("choices") or ()),
        min=raw.get("min"),
        max=raw.get("max"),
        max_length=int(raw.get("max_length", 2000)),
        department=raw.get("department"),
    )


def compile_definition(version_id: int, survey_id: int, definition: dict) -> CompiledSurvey:
    questions = tuple(_question(q) for page in definition["pages"] for q in page["questions"])
    languages = tuple(definition["languages"])
    return CompiledSurvey(
        version_id=version_id,
        survey_id=survey_id,
        languages=languages,
        default_language=definition.get("default_language", languages[0]),
        questions=questions,
        by_id={q.id: q for q in questions},
    )


_cache: OrderedDict[tuple[int, str], CompiledSurvey] = OrderedDict()
_lock = threading.Lock()


def _cached(key: tuple[int, str]) -> CompiledSurvey | None:
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
        return hit


def _remember(key: tuple[int, str], compiled: CompiledSurvey) -> None:
    with _lock:
        _cache[key] = compiled
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def published_versions(keys: set[tuple[str, int]]) -> dict[tuple[str, int], CompiledSurvey]:
    """Compiled published versions by (survey code, number).

    One light query for ids and digests; definitions are read only on a cache miss.
    """
    if not keys:
        return {}
    rows = db.session.execute(
        select(Survey.code, SurveyVersion.number, SurveyVersion.id, SurveyVersion.survey_id,
               SurveyVersion.digest)
        .join(SurveyVersion, SurveyVersion.survey_id == Survey.id)
        .where(tuple_(Survey.code, SurveyVersion.number).in_(list(keys)),
               SurveyVersion.status == "published")).all()
    result, misses = {}, []
    for code, number, version_id, survey_id, digest in rows:
        compiled = _cached((version_id, digest))
        if compiled is None:
            misses.append((code, number, version_id, survey_id, digest))
        else:
            result[(code, number)] = compiled
    if misses:
        definitions = dict(db.session.execute(
            select(SurveyVersion.id, SurveyVersion.definition)
            .where(SurveyVersion.id.in_([m[2] for m in misses]))).all())
        for code, number, version_id, survey_id, digest in misses:
            compiled = compile_definition(version_id, survey_id, definitions[version_id])
            _remember((version_id, digest), compiled)
            result[(code, number)] = compiled
    return result
