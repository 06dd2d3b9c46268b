"""Which questions of a survey can be asked by SMS, and the order they are asked in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..surveys.expressions import Expression, parse

MAX_CHOICES = 9  # one digit per choice keeps answers unambiguous
FITTING_TYPES = ("select_one", "rating", "integer", "text", "place")
NOT_ASKED = ("note", "calculate", "hidden", "meta")


@dataclass(frozen=True)
class Step:
    """One question as the conversation asks it."""

    question: dict[str, Any]
    conditions: tuple[Expression, ...]  # its own relevance and its sections'

    @property
    def id(self) -> str:
        return self.question["id"]


@dataclass(frozen=True)
class Misfit:
    question_id: str
    reason: str
    blocking: bool  # a required question that cannot be asked: the survey cannot go by SMS


def _expr(raw: Any) -> Expression | None:
    return parse(str(raw)) if isinstance(raw, str | int | float) and str(raw).strip() else None


def _walk(items: list[dict], conditions: tuple[Expression, ...],
          in_repeat: bool) -> Iterator[tuple[dict, tuple[Expression, ...], bool]]:
    for item in items or ():
        kind = item.get("type")
        if kind in ("group", "repeat"):
            relevance = _expr(item.get("relevance"))
            inner = (*conditions, relevance) if relevance else conditions
            yield from _walk(item.get("questions") or [], inner,
                             in_repeat or kind == "repeat")
            continue
        relevance = _expr(item.get("relevance"))
        yield item, ((*conditions, relevance) if relevance else conditions), in_repeat


def _reason(question: dict, in_repeat: bool) -> str | None:
    kind = question.get("type")
    if in_repeat:
        return str(_l("Questions inside a repeat cannot be asked by SMS."))
    if kind not in FITTING_TYPES:
        return str(_l("This type of question cannot be answered by SMS."))
    if kind == "select_one":
        if question.get("choices_from") or question.get("or_other"):
            return str(_l("Choices from a file or with “other” cannot be listed in an SMS."))
        if len(question.get("choices") or ()) > MAX_CHOICES and not question.get(
                "choice_filter"):
            return ngettext("More than %(max)s choice does not fit in an SMS.",
                            "More than %(max)s choices do not fit in an SMS.",
                            MAX_CHOICES, max=MAX_CHOICES)
    return None


def sms_plan(definition: dict) -> tuple[list[Step], list[Misfit]]:
    """The steps asked by SMS, and the questions that do not fit (optional ones are skipped;
    a required one blocks the survey)."""
    steps: list[Step] = []
    misfits: list[Misfit] = []
    for page in definition.get("pages") or ():
        page_relevance = _expr(page.get("relevance"))
        base = (page_relevance,) if page_relevance else ()
        for question, conditions, in_repeat in _walk(page.get("questions") or [], base, False):
            if question.get("type") in NOT_ASKED:
                continue
            reason = _reason(question, in_repeat)
            if reason is None:
                steps.append(Step(question, conditions))
            else:
                required = question.get("required") not in (None, False)
                misfits.append(Misfit(question.get("id", ""), reason, required))
    return steps, misfits


def fits_sms(definition: dict) -> list[Misfit]:
    """The questions that do not fit; the survey can go by SMS when none of them blocks."""
    return sms_plan(definition)[1]
