"""One survey question as an SMS: its prompt, and the resident's reply read and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _

from ..i18n.rating import rating_scale
from ..peru import PERU_OFFSET
from ..places.services import district_codes
from ..submissions.answer_values import check_value
from ..surveys.compiled import CompiledSurvey
from ..surveys.expressions import parse
from . import texts
from .districts import find_district
from .fit import Step
from .segments import cost, fold_to_gsm

_NUMBER = re.compile(r"^\s*(-?\d+)\s*$")
_LEADING_NUMBER = re.compile(r"^\s*(\d+)\b")
_SCALE = re.compile(r"\b1\b.*\b5\b", re.DOTALL)


@dataclass(frozen=True)
class Reading:
    """What a reply means for the question: a value, a skip, a correction, or a short list
    of districts to choose from (then `correction` is the question to ask)."""

    value: Any = None
    skipped: bool = False
    correction: str | None = None
    offered: tuple[tuple[str, str], ...] = ()


def text_in(texts_by_language: Any, language: str, default: str) -> str:
    if not isinstance(texts_by_language, dict):
        return ""
    return (texts_by_language.get(language) or texts_by_language.get(default)
            or next(iter(texts_by_language.values()), ""))


def is_required(step: Step) -> bool:
    return step.question.get("required") not in (None, False)


def visible_choices(step: Step, answers: dict, language: str) -> list[dict]:
    choices = list(step.question.get("choices") or [])
    raw_filter = step.question.get("choice_filter")
    if not raw_filter:
        return choices
    expression = parse(raw_filter, choice_filter=True)
    return [c for c in choices if expression.evaluate_bool(
        answers, None, choice={"name": c["value"], **(c.get("data") or {})},
        language=language)]


def _fits(parts: list[str]) -> bool:
    return cost(fold_to_gsm("\n".join(parts))).segments == 1


def prompt(step: Step, survey: CompiledSurvey, answers: dict, language: str,
           written: dict | None = None) -> str:
    """The question as one SMS: the coordinator's SMS prompt if written, else the label, a
    numbered list for a choice, the hint when it still fits one segment."""
    q, default = step.question, survey.default_language
    label = text_in((written or {}).get(step.id), language, default) or \
        text_in(q.get("label"), language, default)
    parts = [label]
    if q["type"] == "select_one" and not (written or {}).get(step.id):
        parts += [f"{i} {text_in(c.get('label'), language, default) or c['value']}"
                  for i, c in enumerate(visible_choices(step, answers, language), start=1)]
    elif q["type"] == "rating" and "1" not in label:
        parts.append(rating_scale())  # the stars' own words for 1 and 5
    hint = text_in(q.get("hint"), language, default)
    if q["type"] == "rating" and _SCALE.search(hint):
        hint = ""  # a hint that spells out the scale: the stars' words above say it
    if hint and _fits([*parts, hint]):
        parts.append(hint)
    if not is_required(step):
        parts[-1] = f"{parts[-1]} {texts.skip_hint()}"
    return "\n".join(parts)


def _today(now: datetime) -> str:
    return (now.astimezone(UTC) + PERU_OFFSET).date().isoformat()


def _checked(step: Step, survey: CompiledSurvey, answers: dict, value: Any, language: str,
             now: datetime) -> Reading:
    compiled = survey.by_id.get(step.id)
    if compiled is None:
        return Reading(value)
    value, problem = check_value(compiled, value, set(), district_codes())
    if problem is None and compiled.constraint is not None and not \
            compiled.constraint.evaluate_bool({**answers, step.id: value}, value,
                                              _today(now), now=now, language=language):
        problem = survey.message(compiled.constraint_message, language) or \
            _("Not a valid answer.")
    return Reading(correction=problem) if problem else Reading(value)


def _choice(step: Step, text: str, answers: dict, language: str, default: str) -> Reading:
    choices = visible_choices(step, answers, language)
    number = _LEADING_NUMBER.match(text)
    if number and 1 <= int(number.group(1)) <= len(choices):
        return Reading(choices[int(number.group(1)) - 1]["value"])
    typed = texts.folded(text)
    for choice in choices:
        if typed and typed in (texts.folded(text_in(choice.get("label"), language, default)),
                               texts.folded(str(choice["value"]))):
            return Reading(choice["value"])
    return Reading(correction=texts.choose_number(len(choices)))


def _place(step: Step, text: str, offered: list | None) -> Reading:
    number = _NUMBER.match(text)
    if offered and number and 1 <= int(number.group(1)) <= len(offered):
        return Reading(offered[int(number.group(1)) - 1][0])
    found = find_district(text, step.question.get("department"))
    if found.ubigeo:
        return Reading(found.ubigeo)
    if found.candidates:
        lines = [texts.district_which(), *(f"{i} {label}" for i, (_code, label) in
                                          enumerate(found.candidates, start=1))]
        return Reading(correction="\n".join(lines), offered=found.candidates)
    return Reading(correction=texts.district_unknown())


def read_answer(step: Step, survey: CompiledSurvey, text: str, answers: dict, language: str,
                offered: list | None, now: datetime) -> Reading:
    """The reply to `step` read in the resident's language (call inside texts.in_language)."""
    typed = text.strip()
    if texts.folded(typed) in texts.SKIP_WORDS or not typed:
        if is_required(step):
            message = survey.message(survey.by_id[step.id].required_message, language) \
                if step.id in survey.by_id else ""
            return Reading(correction=message or _("This question is required."))
        return Reading(skipped=True)
    kind = step.question["type"]
    if kind == "select_one":
        reading = _choice(step, typed, answers, language, survey.default_language)
    elif kind == "rating":
        number = _LEADING_NUMBER.match(typed)
        if not number or not 1 <= int(number.group(1)) <= 5:
            return Reading(correction=texts.rating_range())
        reading = Reading(int(number.group(1)))
    elif kind == "integer":
        number = _NUMBER.match(typed.replace(" ", ""))
        if not number:
            return Reading(correction=texts.whole_number())
        reading = Reading(int(number.group(1)))
    elif kind == "place":
        reading = _place(step, typed, offered)
    else:
        reading = Reading(typed)
    if reading.correction is not None or reading.offered:
        return reading
    return _checked(step, survey, answers, reading.value, language, now)
