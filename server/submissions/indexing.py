"""Columns derived from the answers at ingest, so the console filters and searches without
reading every submission's JSON: the plan project/theme and the folded free text."""

from __future__ import annotations

from typing import Any

from ..places.names import search_key
from ..surveys.compiled import CompiledSurvey

# Questions with these ids link a submission to the plan (docs/survey-format.md).
PROJECT_QUESTION = "project"
THEME_QUESTION = "theme"
SEARCH_TYPES = frozenset({"text"})
MAX_SEARCH_TEXT = 4000


def plan_links(answers: dict[str, Any]) -> dict[str, str | None]:
    project, theme = answers.get(PROJECT_QUESTION), answers.get(THEME_QUESTION)
    return {
        "project_code": project[:40] if isinstance(project, str) else None,
        "theme_code": theme[:40] if isinstance(theme, str) else None,
    }


def _texts(compiled: CompiledSurvey, answers: dict[str, Any], parts: list[str]) -> None:
    for key, value in answers.items():
        if key in compiled.repeats and isinstance(value, list):
            for instance in value:
                if isinstance(instance, dict):
                    _texts(compiled, instance, parts)
            continue
        q = compiled.by_id.get(key)
        if q is not None and q.type in SEARCH_TYPES and isinstance(value, str):
            parts.append(value)


def search_text(compiled: CompiledSurvey, answers: dict[str, Any]) -> str | None:
    """Free-text answers, those in repeats included (personal ones are never in
    `answers`), folded like `search_key`."""
    parts: list[str] = []
    _texts(compiled, answers, parts)
    text = search_key(" \n".join(parts))
    return text[:MAX_SEARCH_TEXT] or None
