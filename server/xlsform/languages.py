"""XLSForm language names (`Español (es)`, `Runasimi (qu)`, `English (en)`, `es`,
`default` …) -> Willay content language codes (docs/survey-format.md)."""

from __future__ import annotations

import re

CODE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_IN_PARENS = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
# Spellings of the same language that the app shows with one interface language
_SAME = {"es-pe": "es", "es_pe": "es", "spa": "es", "qu-pe": "qu", "qu_pe": "qu",
         "quz": "qu", "quy": "qu", "que": "qu", "qxu": "qu", "eng": "en", "aym": "ay",
         "ayc": "ay", "ayr": "ay"}
_NAMES = {
    "español": "es", "espanol": "es", "castellano": "es", "spanish": "es",
    "quechua": "qu", "runasimi": "qu", "runa simi": "qu", "qichwa": "qu", "qhichwa": "qu",
    "quechua sureño": "qu", "quechua del sur": "qu",
    "english": "en", "inglés": "en", "ingles": "en",
    "aymara": "ay", "aimara": "ay", "aymar aru": "ay",
    "portuguese": "pt", "portugués": "pt", "português": "pt",
    "french": "fr", "français": "fr", "francés": "fr",
    "asháninka": "cni", "ashaninka": "cni",
}
DEFAULT = "default"  # pyxform's name for columns without a language


def _code(text: str) -> str | None:
    lowered = text.strip().lower().replace("_", "-")
    lowered = _SAME.get(lowered, lowered)
    if CODE_RE.fullmatch(lowered):
        main, _dash, rest = lowered.partition("-")
        return _SAME.get(main, main) + ("-" + rest.upper() if len(rest) == 2 else
                                        "-" + rest if rest else "")
    return None


def language_code(name: str) -> str | None:
    """'Español (es)' -> 'es'; 'Runasimi (qu)' -> 'qu'; 'qu' -> 'qu'; 'English' -> 'en';
    'pt-br' -> 'pt-BR'; 'Klingon' -> None."""
    text = " ".join(name.split())
    match = _IN_PARENS.match(text)
    if match:
        return _code(match.group(2)) or _NAMES.get(match.group(1).lower())
    if len(text) <= 3 or "-" in text or "_" in text:
        found = _code(text)
        if found:
            return found
    return _NAMES.get(text.lower())


def display_name(name: str) -> str | None:
    """The name part of 'Español (es)'; None for a bare code."""
    text = " ".join(name.split())
    match = _IN_PARENS.match(text)
    if match and match.group(1):
        return match.group(1)
    if _code(text) is None and text.lower() != DEFAULT:
        return text
    return None
