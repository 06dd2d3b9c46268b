"""The pieces every definition check shares: problems with their severity, texts by
language, expressions and the ids they may refer to (docs/survey-format.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from .expressions import ExpressionError, parse

ERROR, WARNING = "error", "warning"
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
TEXT_REFERENCE_RE = re.compile(r"\$\{([^}]*)\}")
MAX_TEXT = 10_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition. An error blocks publishing; a warning (a missing
    translation, a message that is never shown) is shown and does not."""

    path: str
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message, "severity": self.severity}


@dataclass
class Checker:
    languages: tuple[str, ...] = ("es",)
    default_language: str = "es"
    problems: list[Problem] = field(default_factory=list)
    # ids an expression may refer to: questions, repeats and `<id>_other` answers
    answer_ids: set[str] = field(default_factory=set)
    # lower-cased id -> id as written, to suggest the right spelling of a reference
    folded: dict[str, str] = field(default_factory=dict)
    ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict)  # structure.ancestors
    files: dict[str, dict] = field(default_factory=dict)  # the version's files by name
    # the columns of each choice list file, when its content is at hand (on publish)
    file_columns: dict[str, frozenset[str]] = field(default_factory=dict)

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def warn(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message, WARNING))

    def unknown_keys(self, obj: dict, allowed: set[str] | frozenset[str], path: str) -> None:
        for key in sorted(set(obj) - allowed, key=str):
            self.add(f"{path}.{key}" if path else str(key), _("Unknown field."))

    def text(self, value: Any, path: str, required: bool = True) -> None:
        """A text by language: the default language is required, others only warned."""
        if value is None:
            if required:
                self.add(path, _("Required: give a text in %(language)s, the survey's "
                                 "default language.", language=self.default_language))
            return
        if not isinstance(value, dict):
            self.add(path, _("Must be an object with one text per language."))
            return
        for lang, item in value.items():
            if lang not in self.languages:
                self.warn(f"{path}.{lang}", _("“%(language)s” is not one of the survey's "
                                              "languages: this text is never shown.",
                                              language=lang))
            elif not isinstance(item, str):
                self.add(f"{path}.{lang}", _("Must be text."))
            elif len(item) > MAX_TEXT:
                self.add(f"{path}.{lang}", ngettext(
                    "Too long: at most %(max)s character.",
                    "Too long: at most %(max)s characters.", MAX_TEXT, max=MAX_TEXT))
            else:
                self.text_references(item, f"{path}.{lang}")
        for lang in self.languages:
            item = value.get(lang)
            if (isinstance(item, str) and item.strip()) or not (item is None or
                                                                 isinstance(item, str)):
                continue  # present, or already reported as not text
            if lang == self.default_language:
                self.add(f"{path}.{lang}", _("Missing text in %(language)s.", language=lang))
            else:
                self.warn(f"{path}.{lang}", _(
                    "Missing translation in %(language)s: the text in %(default)s is shown.",
                    language=lang, default=self.default_language))

    def text_references(self, text: str, path: str) -> None:
        for name in TEXT_REFERENCE_RE.findall(text):
            if name not in self.answer_ids:
                self.add(path, self.unknown_reference(name))

    def unknown_reference(self, name: str) -> str:
        spelled = self.folded.get(name.lower())
        if spelled is not None and spelled in self.answer_ids:
            return _("Refers to an unknown question: %(id)s (did you mean %(known)s?).",
                     id=name, known=spelled)
        return _("Refers to an unknown question: %(id)s.", id=name)

    def expression(self, source: Any, path: str, own_id: str = "", *,
                   allow_current: bool = False, choice_filter: bool = False) -> Any:
        """The parsed expression, or None after reporting what is wrong with it."""
        if not isinstance(source, str):
            self.add(path, _("Must be an expression (text)."))
            return None
        try:
            expr = parse(source, choice_filter=True) if choice_filter else parse(source)
        except ExpressionError as err:
            self.add(path, _("Invalid expression at character %(position)s: %(code)s.",
                             position=err.position + 1, code=err.code))
            return None
        for ref in sorted(expr.references - self.answer_ids):
            self.add(path, self.unknown_reference(ref))
        if not allow_current and expr.uses_current:
            self.add(path, _("“.” (this answer) can only be used in a constraint."))
        if not allow_current and isinstance(own_id, str) and own_id in expr.references:
            self.add(path, _("A question cannot depend on its own answer."))
        return expr

    def bool_or_expression(self, value: Any, path: str, own_id: str) -> None:
        """`required` and `read_only`: true/false, or an expression."""
        if isinstance(value, bool):
            return
        if isinstance(value, str):
            self.expression(value, path, own_id)
            return
        self.add(path, _("Must be true, false or an expression."))

    def flag(self, raw: dict, key: str, path: str) -> None:
        if key in raw and not isinstance(raw[key], bool):
            self.add(f"{path}.{key}", _("Must be true or false."))
