"""What each SMS prompt of a survey costs (segments, encoding), in each of its languages."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from ..surveys.expressions import parse
from . import texts
from .fit import Step
from .outbox import sms_text
from .questions import prompt
from .segments import cost
from .surveys import SmsSurvey, load


@dataclass(frozen=True)
class PromptCost:
    question_id: str
    language: str
    text: str
    encoding: str
    characters: int
    segments: int


def _answer_sets(sms: SmsSurvey, step: Step) -> list[dict]:
    """For a filtered choice list: every value of the questions the filter reads, so the
    longest list is the one costed."""
    raw = step.question.get("choice_filter")
    if not raw:
        return [{}]
    options = []
    for ref in sorted(parse(raw, choice_filter=True).references):
        other = next((s for s in sms.steps if s.id == ref), None)
        values = [c["value"] for c in (other.question.get("choices") or [])] if other else []
        options.append([(ref, v) for v in values] or [(ref, "")])
    return [dict(combo) for combo in product(*options)] or [{}]


def _worst(sms: SmsSurvey, step: Step, language: str) -> str:
    made = [texts.in_language(language, lambda a=answers: prompt(
        step, sms.compiled, a, language, sms.prompts)) for answers in _answer_sets(sms, step)]
    return max((sms_text(p) for p in made), key=lambda p: (cost(p).segments, len(p)))


def prompt_costs(survey_id: int) -> list[PromptCost]:
    sms = load(survey_id)
    if sms is None:
        return []
    rows = []
    for language in sms.compiled.languages:
        fixed = [("(welcome)", texts.in_language(language, texts.welcome)),
                 ("(receipt)", texts.in_language(language, lambda: texts.thanks("K7M4-QX9P")))]
        asked = [(step.id, _worst(sms, step, language)) for step in sms.steps]
        for question_id, text in [*fixed[:1], *asked, *fixed[1:]]:
            body = sms_text(text)
            c = cost(body)
            rows.append(PromptCost(question_id, language, body, c.encoding, c.characters,
                                   c.segments))
    return rows
