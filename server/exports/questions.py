"""The tables of an export, from the survey's published versions: the main table (every
question outside any repeat, through pages and groups) and one table per repeat, nested
repeats included, each with its questions in document order."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..surveys.models import Survey, SurveyVersion
from ..surveys.structure import walk
from .choice_files import file_choices

SKIPPED_TYPES = ("note",)  # display only: never answered
MEDIA_TYPES = ("photo", "audio", "video", "file")
CALCULATED_TYPES = ("calculate", "hidden")
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: dict[str, str]
    personal: bool
    choices: dict[str, dict[str, str]]  # value -> label by language
    table: str | None = None  # the repeat it is asked in (the innermost); None: main table
    # the select whose "other" this text answers (or_other); its label is the select's
    other_of: str | None = None


@dataclass
class Table:
    id: str | None  # the repeat's id; None for the main table
    label: dict[str, str]
    parent: str | None  # the enclosing repeat (None: the main table), for repeats only
    questions: list[Question] = field(default_factory=list)


@dataclass
class Layout:
    tables: list[Table]  # the main table first, then the repeats, a parent before its children
    default_language: str = "es"
    instance_names: bool = False  # some version gives interviews a name
    # versions whose instance_name is made of personal answers: the name is personal data too
    personal_names: set[int] = field(default_factory=set)

    @property
    def main(self) -> Table:
        return self.tables[0]

    @property
    def repeats(self) -> list[Table]:
        return self.tables[1:]

    def children(self, table_id: str | None) -> list[Table]:
        return [t for t in self.repeats if t.parent == table_id]


def _texts(value: Any) -> dict[str, str]:
    return {k: v for k, v in value.items() if isinstance(v, str)} if isinstance(
        value, dict) else {}


def _languages(definition: dict) -> tuple[list[str], str]:
    languages = [code for code in definition.get("languages") or () if isinstance(code, str)]
    default = definition.get("default_language")
    if not isinstance(default, str):
        default = languages[0] if languages else "es"
    return languages or [default], default


def uses_personal_answers(definition: dict) -> bool:
    """Whether the definition's instance_name refers to a personal question."""
    expression = definition.get("instance_name")
    if not isinstance(expression, str):
        return False
    personal = {item.id for item in walk(definition)
                if item.kind == "question" and item.raw.get("personal") is True}
    return bool(personal & set(_REFERENCE.findall(expression)))


def build_layout(versions: Iterable[tuple[int, dict]]) -> Layout:
    """Versions newest first. Tables and questions follow the newest version that has them,
    then what only older versions had, so no answer is dropped; choice labels are merged
    over the versions (a list read from a file once per file)."""
    tables: dict[str | None, Table] = {None: Table(None, {}, None)}
    seen: dict[str, Question] = {}
    choices: dict[str, dict[str, dict[str, str]]] = {}
    layout = Layout([])
    newest = True
    for version_id, definition in versions:
        languages, default = _languages(definition)
        if newest:
            layout.default_language, newest = default, False
        if isinstance(definition.get("instance_name"), str):
            layout.instance_names = True
            if uses_personal_answers(definition):
                layout.personal_names.add(version_id)
        for item in walk(definition):
            raw = item.raw
            table = item.repeats[-1] if item.repeats else None
            if item.kind == "repeat" and item.id and item.id not in tables:
                tables[item.id] = Table(item.id, _texts(raw.get("label")), table)
            if item.kind != "question" or not item.id or item.type in SKIPPED_TYPES:
                continue
            found = choices.setdefault(item.id, {})
            for value, labels in _choices(raw, version_id, languages, default).items():
                found.setdefault(value, labels)
            if item.id in seen:
                continue
            owner = table if table in tables else None
            question = Question(item.id, item.type or "", _texts(raw.get("label")),
                                raw.get("personal") is True, found, owner)
            seen[item.id] = question
            tables[owner].questions.append(question)
            if raw.get("or_other") is True and f"{item.id}_other" not in seen:
                other = Question(f"{item.id}_other", "text", question.label,
                                 question.personal, {}, owner, other_of=item.id)
                seen[other.id] = other
                tables[owner].questions.append(other)
    layout.tables = list(tables.values())
    return layout


def _choices(raw: dict, version_id: int, languages: list[str],
             default: str) -> dict[str, dict[str, str]]:
    found = {c["value"]: _texts(c.get("label")) for c in raw.get("choices") or ()
             if isinstance(c, dict) and isinstance(c.get("value"), str)}
    source = raw.get("choices_from")
    if isinstance(source, dict):
        for value, labels in file_choices(version_id, source, languages, default).items():
            found.setdefault(value, labels)
    return found


def survey_layout(code: str, version: int | None) -> Layout | None:
    """The layout of the survey's published versions (or of one version); None if there is
    no such survey."""
    survey_id = db.session.scalar(select(Survey.id).where(Survey.code == code))
    if survey_id is None:
        return None
    stmt = select(SurveyVersion.id, SurveyVersion.definition).where(
        SurveyVersion.survey_id == survey_id, SurveyVersion.status == "published"
    ).order_by(SurveyVersion.number.desc())
    if version is not None:
        stmt = stmt.where(SurveyVersion.number == version)
    return build_layout([(row[0], row[1]) for row in db.session.execute(stmt).all()])


def metadata_layout() -> Layout:
    """For an export without a survey: only the main table's metadata; interview names
    when some published version gives them."""
    layout = Layout([Table(None, {}, None)])
    for version_id, definition in db.session.execute(
            select(SurveyVersion.id, SurveyVersion.definition)
            .where(SurveyVersion.status == "published")):
        if isinstance(definition.get("instance_name"), str):
            layout.instance_names = True
            if uses_personal_answers(definition):
                layout.personal_names.add(version_id)
    return layout


def content_languages() -> list[tuple[str, str]]:
    """(code, name) of the content languages of the published surveys besides Spanish and
    Quechua, for the console to offer labels in them too."""
    found: dict[str, str] = {}
    for (definition,) in db.session.execute(
            select(SurveyVersion.definition).where(SurveyVersion.status == "published")):
        languages, _default = _languages(definition)
        names = _texts(definition.get("language_names"))
        for code in languages:
            if code not in ("es", "qu") and code not in found:
                found[code] = names.get(code) or code
    return sorted(found.items())
