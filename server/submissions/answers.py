"""Checking a submission's answers tree against its survey version.

Answers follow docs/survey-format.md: top-level questions are keys, a repeat is a list
of instance objects (nested repeats are lists inside them). Errors are keyed by path
(`members[1].age`; a top-level question is just its id), which the app maps back.

Decisions (docs/decisions.md, "Answers with repeats"):
- Every answer is checked in the scope of its instance, in document order; answers of
  non-relevant questions (or of anything inside a non-relevant page, group or repeat)
  are type-checked and kept, but the expressions see them as unanswered.
- With a `repeat_count`, more instances than the count are an error; fewer are taken as
  trailing empty instances (`{}`, stored as such), which must then pass their required
  checks like the others.
- A `choice_filter` is not evaluated again here: the value must still be one of the
  question's choices (or of its list file). Phones filter the list to help the person
  answering; a value that was offered when it was picked stays a valid answer.
- Calculated values (calculate, hidden, computed defaults) are taken as the phone sent
  them (strings) and not recomputed: `today()`/`now()` and edits after a calculation
  make the phone's value the one the interview saw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from ..surveys.compiled import CompiledQuestion, CompiledSection, CompiledSurvey
from ..surveys.expression_values import NodeSet, to_num, to_str
from ..surveys.expressions import Scope
from .answer_values import check_value
from .content import unanswered

MAX_INSTANCES = 500  # per repeat, in one instance of its parent
MAX_ANSWERS = 20_000  # answers and instances in one submission


@dataclass
class CheckedAnswers:
    answers: dict[str, Any] = field(default_factory=dict)
    personal: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    places: list[str] = field(default_factory=list)  # top-level district answers, in order

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def _shape(survey: CompiledSurvey, obj: dict, level: str | None, prefix: str,
           result: CheckedAnswers, budget: list[int]) -> bool:
    """Every key known at its level, every repeat a bounded list of objects."""
    ok = True
    allowed = survey.keys.get(level, frozenset())
    for key, value in obj.items():
        path = f"{prefix}{key}"
        budget[0] += 1
        if budget[0] > MAX_ANSWERS:
            result.error("answers", _("Too many answers in one submission (at most "
                                      "%(max)s).", max=MAX_ANSWERS))
            return False
        if key not in allowed:
            result.error(path, _misplaced(survey, key))
            ok = False
            continue
        if key not in survey.repeats or value is None or value == []:
            continue
        if not isinstance(value, list):
            result.error(path, _("A repeated section must be a list of entries."))
            ok = False
            continue
        if len(value) > MAX_INSTANCES:
            result.error(path, _("Too many entries (at most %(max)s).", max=MAX_INSTANCES))
            ok = False
            continue
        for i, instance in enumerate(value):
            if not isinstance(instance, dict):
                result.error(f"{path}[{i}]", _("Each entry must be an object of answers."))
                ok = False
                continue
            if not _shape(survey, instance, key, f"{path}[{i}].", result, budget):
                ok = False
                if budget[0] > MAX_ANSWERS:
                    return False
    return ok


def _misplaced(survey: CompiledSurvey, key: str) -> str:
    enclosing = survey.ancestors.get(key)
    if key in survey.by_id or key in survey.repeats:
        if enclosing:
            return _("This answer belongs inside “%(repeat)s”.", repeat=enclosing[-1])
        return _("This answer belongs at the top level, outside any repeat.")
    return _("This question is not in the survey.")


def _effective(survey: CompiledSurvey, obj: dict) -> dict[str, Any]:
    """A copy the expressions read: unanswered values left out, instances copied."""
    copy: dict[str, Any] = {}
    for key, value in obj.items():
        if unanswered(value):
            continue
        copy[key] = [_effective(survey, i) for i in value] if key in survey.repeats \
            else value
    return copy


def _count(value: Any) -> int:
    if isinstance(value, NodeSet):
        value = value.first()
    number = to_num(value)
    if number != number or number <= 0:
        return 0
    return int(min(number, MAX_INSTANCES))


class _Walk:
    def __init__(self, survey: CompiledSurvey, result: CheckedAnswers, attachments: set[str],
                 districts: frozenset[str], language: str, today: date,
                 now: datetime | None) -> None:
        self.survey, self.result = survey, result
        self.attachments, self.districts = attachments, districts
        self.language, self.today, self.now = language, today, now

    def holds(self, expr, scope: Scope, current: Any = None) -> bool:  # noqa: ANN001
        return expr.evaluate_bool(scope, current, self.today, now=self.now,
                                  language=self.language)

    def children(self, section: CompiledSection, raw: dict, eff: dict, out: dict,
                 scope: Scope, prefix: str, relevant: bool) -> None:
        for child in section.children:
            if isinstance(child, CompiledQuestion):
                self.question(child, raw, eff, out, scope, prefix, relevant)
            elif child.kind == "repeat":
                self.repeat(child, raw, eff, out, scope, prefix, relevant)
            else:
                self.section(child, raw, eff, out, scope, prefix, relevant)

    def section(self, section: CompiledSection, raw: dict, eff: dict, out: dict,
                scope: Scope, prefix: str, relevant: bool) -> None:
        if relevant and section.relevance is not None:
            relevant = self.holds(section.relevance, scope)
        self.children(section, raw, eff, out, scope, prefix, relevant)

    def repeat(self, rep: CompiledSection, raw: dict, eff: dict, out: dict,
               scope: Scope, prefix: str, relevant: bool) -> None:
        path = f"{prefix}{rep.id}"
        if relevant and rep.relevance is not None:
            relevant = self.holds(rep.relevance, scope)
        instances: list[dict] = list(raw.get(rep.id) or [])
        if not relevant:
            eff.pop(rep.id, None)
        elif rep.repeat_count is not None:
            count = _count(rep.repeat_count.evaluate(scope, None, self.today, now=self.now))
            if len(instances) > count:
                self.result.error(path, ngettext(
                    "This section has %(given)s entry; the form asks for %(count)s.",
                    "This section has %(given)s entries; the form asks for %(count)s.",
                    len(instances), given=len(instances), count=count))
                return
            if len(instances) < count:  # trailing instances left empty
                instances += [{} for _ in range(count - len(instances))]
                eff[rep.id] = [*eff.get(rep.id, []), *({} for _ in range(
                    count - len(eff.get(rep.id, []))))]
        eff_instances = eff.get(rep.id) or [{} for _ in instances]
        stored = []
        for i, instance in enumerate(instances):
            kept: dict[str, Any] = {}
            self.children(rep, instance, eff_instances[i], kept, scope.within(rep.id, i),
                          f"{path}[{i}].", relevant)
            stored.append(kept)
        if stored:
            out[rep.id] = stored

    def question(self, q: CompiledQuestion, raw: dict, eff: dict, out: dict, scope: Scope,
                 prefix: str, relevant: bool) -> None:
        result, path, value = self.result, f"{prefix}{q.id}", raw.get(q.id)
        if relevant and q.other_of is not None:
            chosen = eff.get(q.other_of)
            relevant = chosen == "other" or (isinstance(chosen, list) and "other" in chosen)
        elif relevant and q.relevance is not None:
            relevant = self.holds(q.relevance, scope)
        if not relevant:
            eff.pop(q.id, None)
        if unanswered(value):
            if relevant and (q.required or (q.required_if is not None and
                                            self.holds(q.required_if, scope))):
                result.error(path, self.survey.message(q.required_message, self.language)
                             or _("This question is required."))
            return
        if not relevant and q.personal:
            result.error(path, _("Personal data is only kept with consent: remove this "
                                 "answer."))
            return
        value, problem = check_value(q, value, self.attachments, self.districts)
        if problem is None and relevant and q.constraint is not None and \
                not self.holds(q.constraint, scope, value):
            problem = self.survey.message(q.constraint_message, self.language) or \
                _("Not a valid answer.")
        if problem:
            result.error(path, problem)
            return
        (result.personal if q.personal else out)[q.id] = value
        if q.type == "place" and not q.repeats:
            result.places.append(value)


def check_answers(survey: CompiledSurvey, raw: dict[str, Any], attachments: set[str],
                  districts: frozenset[str], language: str, today: date,
                  now: datetime | None = None) -> CheckedAnswers:
    """Shape, types, relevance, required, constraints. Unknown keys are errors; nothing
    is dropped."""
    result = CheckedAnswers()
    if not _shape(survey, raw, None, "", result, [0]):
        return result
    effective = _effective(survey, raw)
    walk = _Walk(survey, result, attachments, districts, language, today, now)
    scope = Scope(effective, survey.ancestors)
    for page in survey.pages:
        walk.section(page, raw, effective, result.answers, scope, "", True)
    return result


def instance_name(survey: CompiledSurvey, answers: dict[str, Any], today: date,
                  now: datetime | None = None) -> str | None:
    """The survey's instance_name for stored answers, when the phone did not send one."""
    if survey.instance_name is None:
        return None
    value = survey.instance_name.evaluate(Scope(answers, survey.ancestors), None, today,
                                          now=now)
    if isinstance(value, NodeSet):
        value = value.first()
    text = " ".join(to_str(value).split())
    return text[:200] or None
