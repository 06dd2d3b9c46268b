"""Validation of survey definitions on publish (format: docs/survey-format.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from .expressions import ExpressionError, parse

LANGUAGES = ("es", "qu")
TYPES = (
    "text",
    "integer",
    "decimal",
    "select_one",
    "select_multiple",
    "date",
    "geopoint",
    "photo",
    "audio",
    "note",
    "rating",
    "place",
)
SELECT_TYPES = ("select_one", "select_multiple")
ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
CHOICE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
DEPARTMENT_RE = re.compile(r"^\d{2}0000$")
MAX_QUESTIONS = 500
QUESTION_KEYS = {
    "id",
    "type",
    "label",
    "hint",
    "required",
    "relevance",
    "constraint",
    "constraint_message",
    "choices",
    "min",
    "max",
    "max_length",
    "department",
    "personal",
    "appearance",
}
TOP_KEYS = {"languages", "default_language", "title", "description", "pages"}
PAGE_KEYS = {"id", "title", "questions"}


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ()

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def unknown_keys(self, obj: dict, allowed: set[str], path: str) -> None:
        for key in sorted(set(obj) - allowed):
            self.add(f"{path}.{key}" if path else key, _("Unknown field."))

    def text(self, value: Any, path: str, required: bool = True) -> None:
        if value is None:
            if required:
                self.add(path, _("Required: give a text for each language."))
            return
        if not isinstance(value, dict):
            self.add(path, _("Must be an object with one text per language."))
            return
        for lang in self.languages:
            item = value.get(lang)
            if not isinstance(item, str) or not item.strip():
                self.add(f"{path}.{lang}", _("Missing text in %(language)s.", language=lang))

    def expression(
        self, source: Any, path: str, known: set[str], own_id: str, allow_current: bool
    ) -> None:
        if not isinstance(source, str):
            self.add(path, _("Must be an expression (text)."))
            return
        try:
            expr = parse(source)
        except ExpressionError as err:
            self.add(
                path,
                _(
                    "Invalid expression at character %(position)s: %(code)s.",
                    position=err.position + 1,
                    code=err.code,
                ),
            )
            return
        for ref in sorted(expr.references - known):
            self.add(path, _("Refers to an unknown question: %(id)s.", id=ref))
        if not allow_current and expr.uses_current:
            self.add(path, _("“.” (this answer) can only be used in a constraint."))
        if not allow_current and own_id in expr.references:
            self.add(path, _("A question cannot depend on its own answer."))


def validate_definition(definition: Any) -> list[Problem]:
    """Every problem in the definition, each with its path; an empty list means valid."""
    c = _Checker()
    if not isinstance(definition, dict):
        return [Problem("", _("The definition must be a JSON object."))]
    c.unknown_keys(definition, TOP_KEYS, "")
    langs = definition.get("languages")
    if (
        not isinstance(langs, list)
        or not langs
        or len(set(langs)) != len(langs)
        or any(lang not in LANGUAGES for lang in langs)
    ):
        c.add("languages", _("Give a list of languages among: es, qu."))
        langs = [lang for lang in langs if lang in LANGUAGES] if isinstance(langs, list) else []
    c.languages = tuple(langs) or ("es",)
    default = definition.get("default_language")
    if default is not None and default not in c.languages:
        c.add("default_language", _("Must be one of the survey's languages."))
    c.text(definition.get("title"), "title")
    c.text(definition.get("description"), "description", required=False)
    pages = definition.get("pages")
    if not isinstance(pages, list) or not pages:
        c.add("pages", _("Give at least one page with questions."))
        return c.problems
    questions = _collect_ids(c, pages)
    for p, page in enumerate(pages):
        if isinstance(page, dict) and isinstance(page.get("questions"), list):
            for q, question in enumerate(page["questions"]):
                if isinstance(question, dict):
                    _check_question(c, question, f"pages[{p}].questions[{q}]", questions)
    return c.problems


def _collect_ids(c: _Checker, pages: list) -> set[str]:
    seen: set[str] = set()
    count = 0

    def claim(value: Any, path: str) -> None:
        if not isinstance(value, str) or not ID_RE.match(value):
            c.add(path, _("Use lower-case letters, digits and _ (start with a letter)."))
        elif value in seen:
            c.add(path, _("Repeated id “%(id)s”.", id=value))
        else:
            seen.add(value)

    for p, page in enumerate(pages):
        path = f"pages[{p}]"
        if not isinstance(page, dict):
            c.add(path, _("A page must be an object."))
            continue
        c.unknown_keys(page, PAGE_KEYS, path)
        claim(page.get("id"), f"{path}.id")
        c.text(page.get("title"), f"{path}.title", required=False)
        questions = page.get("questions")
        if not isinstance(questions, list) or not questions:
            c.add(f"{path}.questions", _("A page needs at least one question."))
            continue
        for q, question in enumerate(questions):
            if not isinstance(question, dict):
                c.add(f"{path}.questions[{q}]", _("A question must be an object."))
                continue
            count += 1
            claim(question.get("id"), f"{path}.questions[{q}].id")
    if count > MAX_QUESTIONS:
        c.add("pages", _("Too many questions (at most %(max)s).", max=MAX_QUESTIONS))
    return seen


def _check_question(c: _Checker, q: dict, path: str, known: set[str]) -> None:
    c.unknown_keys(q, QUESTION_KEYS, path)
    qtype = q.get("type")
    if qtype not in TYPES:
        c.add(f"{path}.type", _("Unknown type. Use one of: %(types)s.", types=", ".join(TYPES)))
    c.text(q.get("label"), f"{path}.label")
    c.text(q.get("hint"), f"{path}.hint", required=False)
    own = q.get("id", "")
    for flag in ("required", "personal"):
        if flag in q and not isinstance(q[flag], bool):
            c.add(f"{path}.{flag}", _("Must be true or false."))
    if qtype == "note" and q.get("required"):
        c.add(f"{path}.required", _("A note has no answer, so it cannot be required."))
    if "relevance" in q:
        c.expression(q["relevance"], f"{path}.relevance", known, own, allow_current=False)
    if "constraint" in q:
        c.expression(q["constraint"], f"{path}.constraint", known, own, allow_current=True)
        c.text(q.get("constraint_message"), f"{path}.constraint_message")
    elif "constraint_message" in q:
        c.add(f"{path}.constraint_message", _("A message needs a constraint."))
    if q.get("personal") and "relevance" not in q:
        c.add(
            f"{path}.relevance",
            _("Personal data must only be asked with consent: give a relevance."),
        )
    if qtype in SELECT_TYPES:
        _check_choices(c, q.get("choices"), f"{path}.choices")
    elif "choices" in q:
        c.add(f"{path}.choices", _("Only select questions have choices."))
    _check_bounds(c, q, qtype, path)


def _check_choices(c: _Checker, choices: Any, path: str) -> None:
    if not isinstance(choices, list) or not choices:
        c.add(path, _("Give at least one choice."))
        return
    values: set[str] = set()
    for i, choice in enumerate(choices):
        cpath = f"{path}[{i}]"
        if not isinstance(choice, dict):
            c.add(cpath, _("A choice must be an object."))
            continue
        c.unknown_keys(choice, {"value", "label", "filter"}, cpath)
        value = choice.get("value")
        if not isinstance(value, str) or not CHOICE_RE.match(value):
            c.add(f"{cpath}.value", _("Use letters, digits, _ . or - (at most 64)."))
        elif value in values:
            c.add(f"{cpath}.value", _("Repeated choice “%(value)s”.", value=value))
        else:
            values.add(value)
        c.text(choice.get("label"), f"{cpath}.label")
        if "filter" in choice and not isinstance(choice["filter"], str):
            c.add(f"{cpath}.filter", _("Must be text."))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_bounds(c: _Checker, q: dict, qtype: Any, path: str) -> None:
    for bound in ("min", "max"):
        if bound in q and (qtype not in ("integer", "decimal") or not _is_number(q[bound])):
            c.add(
                f"{path}.{bound}",
                _("Only integer and decimal questions have a numeric %(bound)s.", bound=bound),
            )
    if _is_number(q.get("min")) and _is_number(q.get("max")) and q["min"] > q["max"]:
        c.add(f"{path}.min", _("The minimum is larger than the maximum."))
    if "max_length" in q:
        ml = q["max_length"]
        if (
            qtype != "text"
            or not isinstance(ml, int)
            or isinstance(ml, bool)
            or not 1 <= ml <= 10000
        ):
            c.add(f"{path}.max_length", _("Only text questions have a max_length (1 to 10000)."))
    if "department" in q:
        dep = q["department"]
        if qtype != "place" or not isinstance(dep, str) or not DEPARTMENT_RE.match(dep):
            c.add(
                f"{path}.department",
                _("Only place questions have a department (a ubigeo like 180000)."),
            )
