"""A survey version laid out for the bilingual preview: every text beside its translation,
with the missing ones counted and marked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PREVIEW_LANGUAGES = ("es", "qu")


@dataclass
class Text:
    """One text of the survey in both languages; None where the translation is missing."""

    kind: str  # title, page, label, hint, choice, constraint_message
    values: dict[str, str | None]

    @property
    def missing(self) -> list[str]:
        return [lang for lang, value in self.values.items() if value is None]


@dataclass
class Preview:
    title: Text
    pages: list[dict] = field(default_factory=list)
    missing: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PREVIEW_LANGUAGES, 0))

    def text(self, kind: str, value: Any) -> Text:
        values = {}
        for lang in PREVIEW_LANGUAGES:
            item = value.get(lang) if isinstance(value, dict) else None
            values[lang] = item if isinstance(item, str) and item.strip() else None
            if values[lang] is None:
                self.missing[lang] += 1
        return Text(kind, values)


def build_preview(definition: dict) -> Preview:
    preview = Preview(Text("title", {}))
    preview.title = preview.text("title", definition.get("title"))
    for page in definition.get("pages") or []:
        if not isinstance(page, dict):
            continue
        item = {"id": page.get("id"), "title": preview.text("page", page["title"])
                if "title" in page else None, "questions": []}
        for question in page.get("questions") or []:
            if not isinstance(question, dict):
                continue
            q = {"id": question.get("id"), "type": question.get("type"),
                 "required": question.get("required") is True,
                 "relevance": question.get("relevance"),
                 "constraint": question.get("constraint"),
                 "label": preview.text("label", question.get("label"))
                 if question.get("type") not in ("meta", "calculate", "hidden")
                 else Text("label", dict.fromkeys(PREVIEW_LANGUAGES, "")),  # never shown
                 "hint": preview.text("hint", question["hint"]) if "hint" in question
                 else None,
                 "constraint_message": preview.text(
                     "constraint_message", question["constraint_message"])
                 if "constraint_message" in question else None,
                 "choices": [(c.get("value"), preview.text("choice", c.get("label")))
                             for c in question.get("choices") or [] if isinstance(c, dict)]}
            item["questions"].append(q)
        preview.pages.append(item)
    return preview
