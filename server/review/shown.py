"""What a submission's page shows of its answers: pages in document order, a group's label
heading its answers, a repeat as a table with a row per instance (its number, then one cell
per question), and a repeat nested in it as a second table below, each row naming its
instance ("2.1": the first vaccination of the second member). Calculated values are marked;
personal answers and exact locations only for roles that may see them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from ..exports.choice_files import file_choices
from ..exports.rows import merged
from ..places.services import names_by_code
from ..surveys.outputs import fill_outputs, header
from ..surveys.structure import MAX_DEPTH
from .display import (
    CALCULATED_TYPES,
    MEDIA_TYPES,
    answer_text,
    children_of,
    choice_labels,
    localized,
)


@dataclass(frozen=True)
class ShownAnswer:
    question_id: str
    label: str
    type: str
    text: str  # the answer as the reader sees it ("" when unanswered)
    raw: Any = None  # the stored value (kept for comparisons)
    media: str | None = None  # sha256 of a photo, recording, video or file
    personal: bool = False
    calculated: bool = False


@dataclass(frozen=True)
class ShownColumn:
    id: str
    label: str
    calculated: bool = False
    personal: bool = False


@dataclass
class ShownInstance:
    ref: str  # "2", or "2.1" for the first instance of a repeat inside instance 2
    cells: list[ShownAnswer]


@dataclass
class ShownRepeat:
    id: str
    label: str
    parent_label: str  # the enclosing repeat's label; "" for a repeat in a page
    columns: list[ShownColumn]
    rows: list[ShownInstance]


@dataclass
class ShownBlock:
    heading: str = ""  # a group's label
    answers: list[ShownAnswer] = field(default_factory=list)
    repeats: list[ShownRepeat] = field(default_factory=list)  # a repeat, then those in it


@dataclass
class ShownPage:
    title: str
    blocks: list[ShownBlock] = field(default_factory=list)

    @property
    def answers(self) -> list[ShownAnswer]:
        """The answers outside repeats."""
        return [a for block in self.blocks for a in block.answers]

    def every_answer(self) -> Iterator[ShownAnswer]:
        for block in self.blocks:
            yield from block.answers
            for repeat in block.repeats:
                for row in repeat.rows:
                    yield from row.cells


class _Shower:
    """Walks one definition over one submission's answers."""

    def __init__(self, definition: dict, lang: str, with_personal: bool, places: dict,
                 version_id: int | None):
        self.definition, self.lang, self.places = definition, lang, places
        self.with_personal, self.version_id = with_personal, version_id
        languages = [c for c in definition.get("languages") or () if isinstance(c, str)]
        self.default_language = definition.get("default_language") or (
            languages[0] if languages else "es")
        self.languages = languages or [self.default_language]
        self.known: set[str] = set()
        self._labels: dict[str, dict[str, str]] = {}
        self.by_id: dict[str, dict] = {}
        self._index(children_of_pages(definition), 0)

    def _index(self, items: list[dict], depth: int) -> None:
        for item in items:
            if item.get("id"):
                self.by_id.setdefault(item["id"], item)
            if depth < MAX_DEPTH:
                self._index(children_of(item), depth + 1)

    def text(self, texts: Any, default: str = "") -> str:
        return localized(texts, self.lang, default, self.default_language)

    def hidden(self, q: dict) -> bool:
        """Personal answers and exact locations only for roles that may see them."""
        return not self.with_personal and (q.get("personal") is True
                                           or q.get("type") == "geopoint")

    def labels(self, q: dict) -> dict[str, str]:
        qid = q.get("id", "")
        if qid not in self._labels:
            labels = choice_labels(q, self.lang, self.default_language)
            source = q.get("choices_from")
            if isinstance(source, dict) and self.version_id is not None:
                for value, texts in file_choices(self.version_id, source, self.languages,
                                                 self.default_language).items():
                    labels.setdefault(value, self.text(texts, value))
            self._labels[qid] = labels
        return self._labels[qid]

    def value_text(self, q: dict, value: Any) -> str:
        labels = self.labels(q) if q.get("type") in ("select_one", "select_multiple") else None
        return answer_text(q, value, self.lang, self.places, labels)

    def label_of(self, q: dict, scopes: list[dict]) -> str:
        """The question's label, its `${name}` outputs filled from the nearest scope (the
        repeat instance, then the instances around it, then the interview)."""
        def value_of(name: str) -> str | None:
            for scope in scopes:
                if name in scope:
                    return self.value_text(self.by_id.get(name, {}), scope[name])
            return None

        return fill_outputs(self.text(q.get("label"), q.get("id", "")), value_of)

    def answer(self, q: dict, value: Any, label: str | None = None,
               scopes: list[dict] | None = None) -> ShownAnswer:
        qtype = q.get("type", "")
        return ShownAnswer(
            q.get("id", ""), label or self.label_of(q, scopes or []), qtype,
            self.value_text(q, value), value,
            value if qtype in MEDIA_TYPES and isinstance(value, str) else None,
            q.get("personal") is True, qtype in CALCULATED_TYPES)

    def shown(self, q: dict) -> list[tuple[dict, str | None]]:
        """(question, label) of what a question shows: itself, and the text of its "other"
        choice; none for notes and hidden personal data."""
        if q.get("type") == "note" or not q.get("id") or self.hidden(q):
            return []
        out: list[tuple[dict, str | None]] = [(q, None)]
        if q.get("or_other") is True:
            label = _("%(question)s: other", question=self.text(q.get("label"), q["id"]))
            out.append(({"id": f"{q['id']}_other", "type": "text",
                         "personal": q.get("personal")}, label))
        return out

    def page(self, page: dict, answers: dict) -> ShownPage:
        shown = ShownPage(self.text(page.get("title")), [ShownBlock()])
        self._visit(children_of(page), answers, shown, 0)
        shown.blocks = [b for b in shown.blocks if b.answers or b.repeats]
        return shown

    def _visit(self, items: list[dict], answers: dict, shown: ShownPage, depth: int) -> None:
        for item in items:
            kind = item.get("type")
            self.known.add(item.get("id", ""))
            if kind == "group" and depth < MAX_DEPTH:
                shown.blocks.append(ShownBlock(self.text(item.get("label"))))
                self._visit(children_of(item), answers, shown, depth + 1)
                shown.blocks.append(ShownBlock())
            elif kind == "repeat":
                tables = self.repeat(item, [("", answers, [answers])], "", depth)
                self.known.update(self._ids_within(item, depth))
                if tables:
                    shown.blocks += [ShownBlock(repeats=tables), ShownBlock()]
            elif kind != "group":
                if item.get("or_other") is True:
                    self.known.add(f"{item.get('id')}_other")
                for q, label in self.shown(item):
                    self.known.add(q["id"])
                    shown.blocks[-1].answers.append(self.answer(q, answers.get(q["id"]),
                                                                label, [answers]))

    def _ids_within(self, item: dict, depth: int) -> set[str]:
        ids = set()
        for child in children_of(item):
            ids.add(child.get("id", ""))
            if child.get("or_other") is True:
                ids.add(f"{child.get('id')}_other")
            if depth < MAX_DEPTH:
                ids |= self._ids_within(child, depth + 1)
        return ids

    def _direct(self, repeat: dict, depth: int) -> tuple[list[dict], list[dict]]:
        """The questions asked directly in a repeat (through its groups) and the repeats
        directly in it."""
        asked: list[dict] = []
        nested: list[dict] = []

        def visit(items: list[dict], level: int) -> None:
            for item in items:
                if item.get("type") == "group" and level < MAX_DEPTH:
                    visit(children_of(item), level + 1)
                elif item.get("type") == "repeat":
                    nested.append(item)
                elif item.get("type") != "group":
                    asked.append(item)

        visit(children_of(repeat), depth + 1)
        return asked, nested

    def repeat(self, repeat: dict, parents: list[tuple[str, dict, list[dict]]],
               parent_label: str, depth: int) -> list[ShownRepeat]:
        """The repeat's table over the instances of all `parents` ((ref, answers, scopes
        from there outwards) of the rows it is nested in), then the tables of the repeats
        inside it."""
        rid = repeat.get("id", "")
        asked, nested = self._direct(repeat, depth)
        shown = [pair for q in asked for pair in self.shown(q)]
        known = {q.get("id") for q in asked} | {q["id"] for q, _label in shown} | {
            r.get("id") for r in nested}
        hidden = {q.get("id") for q in asked if self.hidden(q)}
        hidden |= {f"{qid}_other" for qid in hidden}
        instances: list[tuple[str, dict, list[dict]]] = []
        for ref, values, scopes in parents:
            found = values.get(rid)
            if isinstance(found, dict):
                found = [found]
            for n, instance in enumerate(found if isinstance(found, list) else (), 1):
                instance = instance if isinstance(instance, dict) else {}
                instances.append((f"{ref}.{n}" if ref else str(n), instance,
                                  [instance, *scopes]))
        if not instances:
            return []
        # answers the version does not know are still shown, in their own columns
        extra = list(dict.fromkeys(k for _ref, inst, _scopes in instances for k in inst
                                   if k not in known and k not in hidden))
        columns = [ShownColumn(q["id"], label or header(self.text(q.get("label"), q["id"])),
                               q.get("type") in CALCULATED_TYPES, q.get("personal") is True)
                   for q, label in shown] + [ShownColumn(k, k) for k in extra]
        rows = []
        for ref, inst, scopes in instances:
            cells = [self.answer(q, inst.get(q["id"]), label, scopes) for q, label in shown]
            cells += [ShownAnswer(k, k, "", answer_text({}, inst.get(k), self.lang,
                                                        self.places), inst.get(k))
                      for k in extra]
            rows.append(ShownInstance(ref, cells))
        label = self.text(repeat.get("label"), rid)
        tables = [ShownRepeat(rid, label, parent_label, columns, rows)]
        if depth < MAX_DEPTH:
            for child in nested:
                tables += self.repeat(child, instances, label, depth + 1)
        return tables


def children_of_pages(definition: dict) -> list[dict]:
    return [page for page in definition.get("pages") or () if isinstance(page, dict)]


def _place_codes(answers: Any, found: set[str]) -> set[str]:
    """Six-digit codes anywhere in the answers (place answers, in repeats too)."""
    values = answers.values() if isinstance(answers, dict) else answers
    for value in values:
        if isinstance(value, str) and len(value) == 6 and value.isdigit():
            found.add(value)
        elif isinstance(value, list | dict):
            _place_codes(value, found)
    return found


def shown_answers(definition: dict | None, answers: dict[str, Any],
                  personal: dict[str, Any] | None, lang: str,
                  version_id: int | None = None) -> list[ShownPage]:
    """Every question of the version in order (personal ones and exact locations only when
    `personal` is given), then any stored answer the version does not know, so nothing is
    hidden. `version_id` lets select_*_from_file answers show their labels."""
    values = merged(answers, personal) if personal else answers
    places = names_by_code(_place_codes(values, set()))
    shower = _Shower(definition or {}, lang, personal is not None, places, version_id)
    pages = [shower.page(page, values) for page in (definition or {}).get("pages", [])
             if isinstance(page, dict)]
    personal = personal or {}
    extra = [k for k in values if k not in shower.known and (k in answers or k in personal)]
    if extra:
        pages.append(ShownPage(_("Answers to questions this version does not have"), [
            ShownBlock(answers=[ShownAnswer(k, k, "", answer_text({}, values[k], lang, places),
                                            values[k], personal=k in personal)
                                for k in extra])]))
    return pages
