"""Which files a survey definition uses: media in labels and choices, and the lists named
by `choices_from` (docs/survey-format.md)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

MEDIA_KINDS = ("image", "audio", "video")


@dataclass
class ListUse:
    """A select question reading its choices from a file: the columns it needs."""

    question: str
    value: str
    label: str


@dataclass
class FileUse:
    name: str
    kinds: set[str] = field(default_factory=set)  # image, audio, video, list
    used_by: list[str] = field(default_factory=list)  # question ids ("q / choice")
    lists: list[ListUse] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """The one kind the name is used as; "list" wins (a CSV is never a label image)."""
        for kind in ("list", *MEDIA_KINDS):
            if kind in self.kinds:
                return kind
        return "image"


def items(definition: Any) -> Iterator[dict]:
    """Every item (question, group, repeat) of the definition, in document order."""
    pages = definition.get("pages") if isinstance(definition, dict) else None
    stack = [page.get("questions") for page in pages or [] if isinstance(page, dict)]
    for questions in stack:
        yield from _walk(questions)


def _walk(questions: Any) -> Iterator[dict]:
    for item in questions if isinstance(questions, list) else []:
        if isinstance(item, dict):
            yield item
            yield from _walk(item.get("questions"))


def media_files(media: Any) -> Iterator[tuple[str, str, str]]:
    """(kind, language, file name) of a `media` object."""
    if not isinstance(media, dict):
        return
    for kind in MEDIA_KINDS:
        by_language = media.get(kind)
        if isinstance(by_language, str):  # one file for every language
            by_language = {"": by_language}
        if not isinstance(by_language, dict):
            continue
        for lang, name in by_language.items():
            if isinstance(name, str) and name.strip():
                yield kind, lang, name.strip()


def referenced_files(definition: Any) -> dict[str, FileUse]:
    """File name -> how the definition uses it, in order of first use."""
    uses: dict[str, FileUse] = {}

    def use(name: str, kind: str, where: str) -> FileUse:
        found = uses.setdefault(name, FileUse(name))
        found.kinds.add(kind)
        if where not in found.used_by:
            found.used_by.append(where)
        return found

    for item in items(definition):
        qid = str(item.get("id", "?"))
        for kind, _lang, name in media_files(item.get("media")):
            use(name, kind, qid)
        for choice in item.get("choices") or []:
            if isinstance(choice, dict):
                for kind, _lang, name in media_files(choice.get("media")):
                    use(name, kind, f"{qid} / {choice.get('value', '?')}")
        source = item.get("choices_from")
        if isinstance(source, dict) and isinstance(source.get("file"), str):
            found = use(source["file"].strip(), "list", qid)
            found.lists.append(ListUse(qid, str(source.get("value") or "name"),
                                       str(source.get("label") or "label")))
    return uses


def find_item(definition: Any, item_id: str) -> dict | None:
    return next((item for item in items(definition) if item.get("id") == item_id), None)
