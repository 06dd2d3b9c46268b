"""Published definitions compiled once per process for fast answer checking: the tree of
pages, groups and repeats with parsed expressions, each question with the repeats that
enclose it, and the choice values of every select (read from the version's list file for
`choices_from`, parsed once and kept with the compiled survey)."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select, tuple_

from ..extensions import db
from .choice_files import ChoiceFileError
from .expressions import Expression, parse
from .models import Survey, SurveyVersion
from .structure import ancestors

log = logging.getLogger(__name__)
CACHE_SIZE = 256
RANGE_DEFAULTS = (1.0, 10.0, 1.0)


@dataclass(frozen=True)
class CompiledQuestion:
    id: str
    type: str
    repeats: tuple[str, ...] = ()  # enclosing repeat ids, outermost first
    required: bool = False
    required_if: Expression | None = None  # `required` given as an expression
    required_message: dict[str, str] = field(default_factory=dict)
    personal: bool = False
    relevance: Expression | None = None
    constraint: Expression | None = None
    constraint_message: dict[str, str] = field(default_factory=dict)
    choices: frozenset[str] = frozenset()
    # choices read from a file that could not be read: any value of the right shape passes
    choices_unknown: bool = False
    other_of: str | None = None  # the `<select>_other` text of an or_other select
    min: float | None = None
    max: float | None = None
    max_length: int = 2000
    department: str | None = None
    range: tuple[float, float, float] | None = None  # start, end, step
    meta: str | None = None


@dataclass(frozen=True)
class CompiledSection:
    """A page, group or repeat: what is asked in it, in document order."""

    id: str
    kind: str  # "page", "group" or "repeat"
    relevance: Expression | None
    repeat_count: Expression | None
    children: tuple[CompiledSection | CompiledQuestion, ...]
    repeats: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompiledSurvey:
    version_id: int
    survey_id: int
    languages: tuple[str, ...]
    default_language: str
    questions: tuple[CompiledQuestion, ...]  # every question, nested ones included
    by_id: dict[str, CompiledQuestion]
    pages: tuple[CompiledSection, ...] = ()
    ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # answer keys allowed at the top level (None) and in an instance of each repeat
    keys: dict[str | None, frozenset[str]] = field(default_factory=dict)
    repeats: dict[str, CompiledSection] = field(default_factory=dict)
    instance_name: Expression | None = None

    def message(self, texts: dict[str, str], language: str) -> str:
        return (
            texts.get(language)
            or texts.get(self.default_language)
            or next(iter(texts.values()), "")
        )


def _expr(raw: Any) -> Expression | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    return parse(raw) if isinstance(raw, str) and raw.strip() else None


def _texts(raw: Any) -> dict[str, str]:
    return dict(raw) if isinstance(raw, dict) else {}


class _Compiler:
    def __init__(self, definition: dict, file_values) -> None:  # noqa: ANN001
        self.files = {f["name"]: f for f in definition.get("files") or []
                      if isinstance(f, dict) and "name" in f}
        self.file_values = file_values
        self.questions: list[CompiledQuestion] = []
        self.keys: dict[str | None, set[str]] = {None: set()}
        self.repeats: dict[str, CompiledSection] = {}
        self.others: list[CompiledQuestion] = []  # the `_other` texts of or_other selects

    def section(self, raw: dict, kind: str, repeats: tuple[str, ...]) -> CompiledSection:
        inner = (*repeats, raw["id"]) if kind == "repeat" else repeats
        level = inner[-1] if inner else None
        self.keys.setdefault(level, set())
        children: list[CompiledSection | CompiledQuestion] = []
        for child in raw.get("questions") or ():
            ctype = child.get("type")
            if ctype in ("group", "repeat"):
                children.append(self.section(child, ctype, inner))
                if ctype == "repeat":
                    self.keys[level].add(child["id"])
                continue
            question = self.question(child, inner)
            children.append(question)
            self.keys[level].add(question.id)
            if child.get("or_other") is True:
                other = CompiledQuestion(id=f"{question.id}_other", type="text",
                                         repeats=inner, other_of=question.id)
                children.append(other)
                self.keys[level].add(other.id)
                self.others.append(other)
        compiled = CompiledSection(raw.get("id", ""), kind, _expr(raw.get("relevance")),
                                   _expr(raw.get("repeat_count")), tuple(children), repeats)
        if kind == "repeat":
            self.repeats[compiled.id] = compiled
        return compiled

    def question(self, raw: dict, repeats: tuple[str, ...]) -> CompiledQuestion:
        required = raw.get("required", False)
        params = raw.get("parameters") if isinstance(raw.get("parameters"), dict) else {}
        choices = frozenset(c["value"] for c in raw.get("choices") or ())
        unknown = False
        if isinstance(raw.get("choices_from"), dict):
            values = self.file_values(self.files.get(raw["choices_from"].get("file")),
                                      raw["choices_from"].get("value", "name"))
            choices, unknown = (values, False) if values is not None else (frozenset(), True)
        if raw.get("or_other") is True:
            choices |= {"other"}
        q = CompiledQuestion(
            id=raw["id"], type=raw["type"], repeats=repeats,
            required=required is True,
            required_if=_expr(required) if isinstance(required, str) else None,
            required_message=_texts(raw.get("required_message")),
            personal=raw.get("personal") is True,
            relevance=_expr(raw.get("relevance")),
            constraint=_expr(raw.get("constraint")),
            constraint_message=_texts(raw.get("constraint_message")),
            choices=choices, choices_unknown=unknown,
            min=raw.get("min"), max=raw.get("max"),
            max_length=int(raw.get("max_length", 2000)),
            department=raw.get("department"),
            range=tuple(float(params.get(k, d)) for k, d in zip(
                ("start", "end", "step"), RANGE_DEFAULTS, strict=True))
            if raw["type"] == "range" else None,
            meta=raw.get("meta"),
        )
        self.questions.append(q)
        return q


def _no_files(entry: dict | None, column: str) -> frozenset[str] | None:
    return None


def compile_definition(version_id: int, survey_id: int, definition: dict,
                       file_values=_no_files) -> CompiledSurvey:  # noqa: ANN001
    """`file_values(files_entry, column)` gives the values of a list file's column, or
    None when it cannot be read."""
    compiler = _Compiler(definition, file_values)
    pages = tuple(compiler.section(page, "page", ()) for page in definition["pages"])
    questions = tuple(compiler.questions)
    languages = tuple(definition["languages"])
    by_id = {q.id: q for q in (*questions, *compiler.others)}
    return CompiledSurvey(
        version_id=version_id,
        survey_id=survey_id,
        languages=languages,
        default_language=definition.get("default_language", languages[0]),
        questions=questions,
        by_id=by_id,
        pages=pages,
        ancestors=ancestors(definition),
        keys={level: frozenset(keys) for level, keys in compiler.keys.items()},
        repeats=compiler.repeats,
        instance_name=_expr(definition.get("instance_name")),
    )


def stored_file_values(entry: dict | None, column: str) -> frozenset[str] | None:
    """The values of a column of a version's list file, from the media store."""
    from .files import choice_list

    if entry is None or not isinstance(entry.get("sha256"), str):
        return None
    try:
        return choice_list(entry).values(column)
    except (OSError, ChoiceFileError):
        log.exception("survey file %s (%s) cannot be read: its answers are only checked "
                      "for their shape", entry.get("name"), entry.get("sha256"))
        return None


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


# built once: constructing the statement cost more than running it (every ingest request)
_PUBLISHED = (
    select(Survey.code, SurveyVersion.number, SurveyVersion.id, SurveyVersion.survey_id,
           SurveyVersion.digest)
    .join(SurveyVersion, SurveyVersion.survey_id == Survey.id)
    .where(tuple_(Survey.code, SurveyVersion.number).in_(bindparam("keys", expanding=True)),
           SurveyVersion.status == "published"))


def published_versions(keys: set[tuple[str, int]]) -> dict[tuple[str, int], CompiledSurvey]:
    """Compiled published versions by (survey code, number).

    One light query for ids and digests; definitions are read only on a cache miss.
    """
    if not keys:
        return {}
    rows = db.session.connection().execute(_PUBLISHED, {"keys": list(keys)}).all()
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
            compiled = compile_definition(version_id, survey_id, definitions[version_id],
                                          stored_file_values)
            _remember((version_id, digest), compiled)
            result[(code, number)] = compiled
    return result
