"""Walking a survey definition (docs/survey-format.md): every page, group, repeat and
question in document order, with the repeats that enclose it and its page/group path.

Used by validation, compilation, exports and the console. The walk is tolerant: anything
that is not an object, or a `questions` that is not a list, is skipped (validation reports
those), and nesting deeper than MAX_DEPTH is not descended into.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

CONTAINER_TYPES = ("group", "repeat")
MAX_DEPTH = 10  # groups and repeats nested within a page


@dataclass(frozen=True)
class Item:
    """One page, group, repeat or question where it stands in the definition."""

    id: str
    kind: str  # "page", "group", "repeat" or "question"
    raw: dict[str, Any]
    path: str  # JSON path: "pages[0].questions[2].questions[1]"
    repeats: tuple[str, ...]  # enclosing repeat ids, outermost first (never itself)
    containers: tuple[str, ...]  # enclosing page, group and repeat ids, outermost first
    depth: int  # 0 for a page, 1 for an item directly in a page, …

    @property
    def type(self) -> str | None:
        kind = self.raw.get("type")
        return kind if isinstance(kind, str) else None


def _kind(raw: dict[str, Any]) -> str:
    kind = raw.get("type")
    return kind if kind in CONTAINER_TYPES else "question"


def walk(definition: Any) -> Iterator[Item]:
    """Every item in document order (a container before what it contains)."""
    pages = definition.get("pages") if isinstance(definition, dict) else None
    if not isinstance(pages, list):
        return
    for p, page in enumerate(pages):
        if not isinstance(page, dict):
            continue
        page_id = page.get("id") if isinstance(page.get("id"), str) else ""
        path = f"pages[{p}]"
        yield Item(page_id, "page", page, path, (), (), 0)
        yield from _items(page.get("questions"), path, (), (page_id,), 1)


def _items(children: Any, parent: str, repeats: tuple[str, ...],
           containers: tuple[str, ...], depth: int) -> Iterator[Item]:
    if not isinstance(children, list) or depth > MAX_DEPTH + 1:
        return
    for i, raw in enumerate(children):
        if not isinstance(raw, dict):
            continue
        item_id = raw.get("id") if isinstance(raw.get("id"), str) else ""
        kind = _kind(raw)
        path = f"{parent}.questions[{i}]"
        yield Item(item_id, kind, raw, path, repeats, containers, depth)
        if kind != "question":
            inner = (*repeats, item_id) if kind == "repeat" else repeats
            yield from _items(raw.get("questions"), path, inner, (*containers, item_id),
                              depth + 1)


def questions(definition: Any) -> list[Item]:
    """Only the questions (calculations and notes included), in document order."""
    return [item for item in walk(definition) if item.kind == "question"]


def ancestors(definition: Any) -> dict[str, tuple[str, ...]]:
    """id -> the repeat ids enclosing it, outermost first, for every group, repeat and
    question (the mapping `expressions.Scope` takes); `<id>_other` keys of `or_other`
    selects are included. Pages are always top level and left out."""
    found: dict[str, tuple[str, ...]] = {}
    for item in walk(definition):
        if item.kind == "page" or not item.id:
            continue
        found.setdefault(item.id, item.repeats)
        if item.kind == "question" and item.raw.get("or_other") is True:
            found.setdefault(f"{item.id}_other", item.repeats)
    return found


def repeat_ids(definition: Any) -> list[str]:
    return [item.id for item in walk(definition) if item.kind == "repeat" and item.id]


def referenced_files(definition: Any) -> set[str]:
    """Names of the files the definition uses: lists of `choices_from` and label media."""
    names: set[str] = set()
    for item in walk(definition):
        raw = item.raw
        source = raw.get("choices_from")
        if isinstance(source, dict) and isinstance(source.get("file"), str):
            names.add(source["file"])
        names |= media_files(raw.get("media"))
        choices = raw.get("choices")
        for choice in choices if isinstance(choices, list) else ():
            if isinstance(choice, dict):
                names |= media_files(choice.get("media"))
    return names


def media_files(media: Any) -> set[str]:
    """The file names in a `media` object ({"image": {lang: file}, …})."""
    if not isinstance(media, dict):
        return set()
    return {name for by_language in media.values() if isinstance(by_language, dict)
            for name in by_language.values() if isinstance(name, str)}
