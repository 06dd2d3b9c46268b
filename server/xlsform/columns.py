"""XLSForm column headers: `label`, `label::Español (es)`, `label::qu`, `media::audio::es`…"""

from __future__ import annotations

import re
from dataclasses import dataclass

# language names and codes as form authors write them -> our content language
_LANGUAGE_NAMES = {
    "es": "es", "es-pe": "es", "es_pe": "es", "spa": "es", "spanish": "es", "español": "es",
    "espanol": "es", "castellano": "es",
    "qu": "qu", "quz": "qu", "quy": "qu", "que": "qu", "qu-pe": "qu", "qu_pe": "qu",
    "quechua": "qu", "runasimi": "qu", "runa simi": "qu", "qichwa": "qu", "qhichwa": "qu",
}
_CODE_IN_PARENS = re.compile(r"\(([^()]*)\)\s*$")


def language_of(text: str) -> str | None:
    """'Español (es)' -> 'es', 'Quechua (qu)' -> 'qu', 'qu' -> 'qu', 'English (en)' -> None."""
    text = text.strip()
    match = _CODE_IN_PARENS.search(text)
    if match:
        return _LANGUAGE_NAMES.get(match.group(1).strip().lower())
    return _LANGUAGE_NAMES.get(text.lower())


@dataclass(frozen=True)
class Column:
    header: str  # as written in the sheet
    field: str  # lower-case: "label", "hint", "media::audio", "constraint_message", …
    language: str | None  # "es"/"qu"; None for a column without a language
    language_text: str | None  # what followed the last "::" ("Español (es)"), if any

    @property
    def unknown_language(self) -> bool:
        return self.language_text is not None and self.language is None


# fields that can carry a language suffix
TRANSLATABLE = ("label", "hint", "guidance_hint", "constraint_message", "required_message",
                "media::image", "media::audio", "media::video", "media::big-image",
                "image", "audio", "video", "big-image", "form_title")


def parse_header(header: str) -> Column:
    text = header.strip()
    lowered = re.sub(r"\s+", " ", text.lower())
    lowered = lowered.replace("constraint message", "constraint_message").replace(
        "required message", "required_message").replace("list name", "list_name").replace(
        "choice filter", "choice_filter")
    for field in sorted(TRANSLATABLE, key=len, reverse=True):
        if lowered == field:
            return Column(text, field, None, None)
        if lowered.startswith(field + "::"):
            suffix = text[len(field) + 2:].strip()
            return Column(text, field, language_of(suffix), suffix)
    return Column(text, lowered, None, None)
