"""Validation of survey definitions on publish (format: docs/survey-format.md).

`validate_definition` returns every problem with its path; errors block publishing,
warnings (a missing translation…) do not: `errors(problems)` keeps only the first.
Definitions in the first format (es/qu, lower-case ids, flat pages) stay valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from ..patterns import SHA256_RE
from .definition_checker import (
    ERROR,
    ID_RE,
    LANGUAGE_RE,
    WARNING,
    Checker,
    Problem,
)
from .definition_items import SELECT_TYPES, TYPES, check_question
from .expressions import ExpressionError, parse
from .structure import MAX_DEPTH, Item, ancestors, referenced_files, walk

__all__ = ["ERROR", "LANGUAGES", "SELECT_TYPES", "TYPES", "WARNING", "Problem", "errors",
           "validate_definition", "warnings"]

LANGUAGES = ("es", "qu")  # the interface languages; content may be in any language
MAX_ITEMS = 5000
MAX_CHOICES = 100_000
MAX_FILES = 500
MAX_FILE_BYTES = 1 << 30
TOP_KEYS = {"languages", "default_language", "language_names", "title", "description",
            "instance_name", "files", "pages"}
PAGE_KEYS = {"id", "title", "relevance", "questions"}
CONTAINER_KEYS = {"group": {"id", "type", "label", "relevance", "appearance", "questions"},
                  "repeat": {"id", "type", "label", "relevance", "repeat_count",
                             "appearance", "questions"}}
FILE_KEYS = {"name", "sha256", "size", "content_type"}


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_error]


def validate_definition(definition: Any, *,
                        file_columns: Mapping[str, frozenset[str]] | None = None
                        ) -> list[Problem]:
    """Every problem in the definition, each with its path and severity; no errors means
    it can be published. `file_columns` (file name -> its columns) lets the choices read
    from files be checked against them."""
    if not isinstance(definition, dict):
        return [Problem("", _("The definition must be a JSON object."))]
    c = Checker(file_columns=dict(file_columns or {}))
    c.unknown_keys(definition, TOP_KEYS, "")
    _check_languages(c, definition)
    c.files = _check_files(c, definition.get("files"))
    pages = definition.get("pages")
    if not isinstance(pages, list) or not pages:
        c.text(definition.get("title"), "title")
        c.add("pages", _("Give at least one page with questions."))
        return c.problems
    items = _collect(c, definition)
    c.text(definition.get("title"), "title")
    c.text(definition.get("description"), "description", required=False)
    if "instance_name" in definition:
        c.expression(definition["instance_name"], "instance_name")
    choices = [0]
    for item in items:
        if item.kind == "question":
            check_question(c, item, choices)
        else:
            _check_container(c, item)
    if choices[0] > MAX_CHOICES:
        c.add("pages", _("Too many choices (at most %(max)s): put long lists in a file.",
                         max=MAX_CHOICES))
    _check_calculation_cycles(c, items)
    used = referenced_files(definition)
    listed = definition.get("files")
    for i, entry in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and \
                entry["name"] in c.files and entry["name"] not in used:
            c.warn(f"files[{i}]", _("No question uses this file."))
    return c.problems


def _check_languages(c: Checker, definition: dict) -> None:
    langs = definition.get("languages")
    good = [lang for lang in langs if isinstance(lang, str) and LANGUAGE_RE.fullmatch(lang)] \
        if isinstance(langs, list) else []
    if not isinstance(langs, list) or not langs or len(good) != len(langs) \
            or len(set(good)) != len(good):
        c.add("languages", _("Give a list of different language codes, such as es, qu, en "
                             "or pt-BR."))
    c.languages = tuple(dict.fromkeys(good)) or ("es",)
    default = definition.get("default_language")
    if default is not None and default not in c.languages:
        c.add("default_language", _("Must be one of the survey's languages."))
    c.default_language = default if default in c.languages else c.languages[0]
    names = definition.get("language_names")
    if names is None:
        return
    if not isinstance(names, dict):
        c.add("language_names", _("Must be an object: a name for each language code."))
        return
    for code, name in names.items():
        if code not in c.languages:
            c.add(f"language_names.{code}", _("Must be one of the survey's languages."))
        elif not isinstance(name, str) or not name.strip() or len(name) > 64:
            c.add(f"language_names.{code}", _("Give a name of at most 64 characters."))


def _check_files(c: Checker, files: Any) -> dict[str, dict]:
    if files is None:
        return {}
    if not isinstance(files, list) or len(files) > MAX_FILES:
        c.add("files", ngettext("Give a list of at most %(max)s file.",
                                "Give a list of at most %(max)s files.", MAX_FILES,
                                max=MAX_FILES))
        return {}
    found: dict[str, dict] = {}
    for i, entry in enumerate(files):
        path = f"files[{i}]"
        if not isinstance(entry, dict):
            c.add(path, _("A file must be an object with name, sha256, size and "
                          "content_type."))
            continue
        c.unknown_keys(entry, FILE_KEYS, path)
        name, size, kind = entry.get("name"), entry.get("size"), entry.get("content_type")
        ok = True
        if not isinstance(name, str) or not _good_file_name(name):
            c.add(f"{path}.name", _("Give a file name of 1 to 255 characters, without / "
                                    "or \\, not starting with a dot."))
            ok = False
        elif name in found:
            c.add(f"{path}.name", _("Repeated file “%(name)s”.", name=name))
            ok = False
        if not isinstance(entry.get("sha256"), str) or not SHA256_RE.fullmatch(entry["sha256"]):
            c.add(f"{path}.sha256", _("Give the file's SHA-256 (64 lower-case hex digits)."))
        if not isinstance(size, int) or isinstance(size, bool) or \
                not 0 <= size <= MAX_FILE_BYTES:
            c.add(f"{path}.size", _("Give the file's size in bytes."))
        if not isinstance(kind, str) or "/" not in kind or len(kind) > 100:
            c.add(f"{path}.content_type", _("Give the file's type, such as text/csv."))
        if ok:
            found[name] = entry
    return found


def _good_file_name(name: str) -> bool:
    return 0 < len(name) <= 255 and not name.startswith(".") and name.strip() == name and \
        not any(ch in "/\\" or ord(ch) < 32 or ord(ch) == 127 for ch in name)


def _collect(c: Checker, definition: dict) -> list[Item]:
    """Every item, after checking the shape of pages and containers and claiming ids."""
    items = list(walk(definition))
    seen: dict[str, str] = {}  # lower-cased id -> id as first written

    def claim(value: Any, path: str) -> None:
        if not isinstance(value, str) or not ID_RE.fullmatch(value):
            c.add(path, _("Use letters, digits, _ . or - (start with a letter or _, at most "
                          "64)."))
        elif value.lower() in seen:
            c.add(path, _("Repeated id “%(id)s”.", id=value) if seen[value.lower()] == value
                  else _("The id “%(id)s” differs from “%(other)s” only in letter case.",
                         id=value, other=seen[value.lower()]))
        else:
            seen[value.lower()] = value

    for p, page in enumerate(definition["pages"]):
        if not isinstance(page, dict):
            c.add(f"pages[{p}]", _("A page must be an object."))
    for item in items:
        claim(item.raw.get("id"), f"{item.path}.id")
        if item.kind == "page" or item.kind in CONTAINER_KEYS:
            _check_children(c, item)
        if item.kind == "question" and item.raw.get("or_other") is True and \
                isinstance(item.raw.get("id"), str):
            claim(f"{item.raw['id']}_other", f"{item.path}.or_other")
    c.ancestors = ancestors(definition)
    for item in items:
        if item.kind != "page" and item.id:
            c.answer_ids.add(item.id)
            if item.kind == "question" and item.raw.get("or_other") is True:
                c.answer_ids.add(f"{item.id}_other")
    c.folded = {key.lower(): key for key in c.answer_ids}
    if sum(item.kind != "page" for item in items) > MAX_ITEMS:
        c.add("pages", _("Too many questions (at most %(max)s).", max=MAX_ITEMS))
    return items


def _check_children(c: Checker, item: Item) -> None:
    children = item.raw.get("questions")
    path = f"{item.path}.questions"
    if not isinstance(children, list) or not children:
        c.add(path, _("A page needs at least one question.") if item.kind == "page" else
              _("A group or repeat needs at least one question."))
        return
    if item.depth >= MAX_DEPTH + 1 and any(isinstance(ch, dict) for ch in children):
        c.add(path, _("Groups and repeats are nested too deep (at most %(max)s).",
                      max=MAX_DEPTH))
        return
    for i, child in enumerate(children):
        if not isinstance(child, dict):
            c.add(f"{path}[{i}]", _("A question must be an object."))


def _check_container(c: Checker, item: Item) -> None:
    raw, path = item.raw, item.path
    if item.kind == "page":
        c.unknown_keys(raw, PAGE_KEYS, path)
        c.text(raw.get("title"), f"{path}.title", required=False)
    else:
        c.unknown_keys(raw, CONTAINER_KEYS[item.kind], path)
        c.text(raw.get("label"), f"{path}.label", required=item.kind == "repeat")
        if "appearance" in raw and not isinstance(raw["appearance"], str):
            c.add(f"{path}.appearance", _("Must be text."))
    if "relevance" in raw:
        c.expression(raw["relevance"], f"{path}.relevance")
    if "repeat_count" in raw:
        count = raw["repeat_count"]
        if isinstance(count, int) and not isinstance(count, bool):
            count = str(count)
        expr = c.expression(count, f"{path}.repeat_count", item.id)
        if expr is not None:
            inside = {ref for ref in expr.references
                      if item.id in c.ancestors.get(ref, ())}
            if inside:
                c.add(f"{path}.repeat_count", _(
                    "The number of entries cannot depend on the answers inside them."))


def _check_calculation_cycles(c: Checker, items: list[Item]) -> None:
    """A calculation that depends, through others, on itself would never settle."""
    depends: dict[str, list[str]] = {}
    paths: dict[str, str] = {}
    for item in items:
        source = item.raw.get("calculation")
        if item.kind != "question" or not item.id or not isinstance(source, str):
            continue
        try:
            depends[item.id] = sorted(parse(source).references)
        except ExpressionError:
            continue
        paths[item.id] = item.path
    done: set[str] = set()
    for start in depends:
        if start in done:
            continue
        # depth-first without recursion: a chain of thousands of calculations is fine
        trail, on_trail = [start], {start}
        pending = [iter(depends[start])]
        while pending:
            ref = next(pending[-1], None)
            if ref is None:
                node = trail.pop()
                done.add(node)
                on_trail.discard(node)
                pending.pop()
                continue
            if ref == trail[-1]:
                continue  # its own answer: reported with the calculation itself
            if ref in on_trail:
                cycle = [*trail[trail.index(ref):], ref]
                c.add(f"{paths[cycle[0]]}.calculation", _(
                    "These calculations depend on each other in a circle: %(ids)s.",
                    ids=" → ".join(cycle)))
                return
            if ref in depends and ref not in done:
                trail.append(ref)
                on_trail.add(ref)
                pending.append(iter(depends[ref]))
