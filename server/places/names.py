"""Display names for the ubigeo list, which is upper case and often without accents.

Accents come from three sources, in this order of trust:
1. the accented spellings the data itself carries (the `capital` columns, which keep them),
   applied to every word of every name: a word is fixed everywhere once it is seen accented;
2. a spelling rule of Spanish: a word ending in "-ion" always carries "-ión";
3. a short supplement (data/ubigeo/accents.csv) for words the data never shows accented
   (surnames, given names and a few official place spellings), each with its reason.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

# Spanish function words stay lower case inside a name ("San Juan de la Virgen").
_LOWER = {"de", "del", "la", "las", "los", "el", "y", "e", "en"}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# words ending like a Spanish oxytone that would need an accent if stressed on the last syllable
_OXYTONE_HINT = re.compile(r"(EZ|[AEIOU]N)$")


def search_key(text: str) -> str:
    """Like `fold` but also folds ñ to n, so 'Canete' finds 'Cañete'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _key(word: str) -> str:
    return search_key(word).upper()


def _has_accent(word: str) -> bool:
    """Any diacritic counts (á, ñ, ü): the data drops them all in places."""
    return search_key(word) != word.casefold()


def _spellings(accented_names: Iterable[str]) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for name in accented_names:
        for word in _WORD.findall(name):
            seen.setdefault(_key(word), set()).add(word.lower())
    return seen


def supplement() -> dict[str, str]:
    """The shipped list of accents the data never shows: {folded upper word: accented}."""
    ref = resources.files("server.data").joinpath("ubigeo", "accents.csv")
    with ref.open(encoding="utf-8", newline="") as handle:
        return {_key(row["word"]): row["accented"] for row in csv.DictReader(handle)}


def accent_dictionary(accented_names: Iterable[str],
                      extra: dict[str, str] | None = None) -> dict[str, str]:
    """Map unaccented upper-case words to their accented form, from names that have accents.

    The source often drops accents, so one accented spelling wins over unaccented ones; a word
    seen with two different accented spellings is left as it is. `extra` (the supplement)
    fills in words the names never show accented; the data wins where both know a word.
    """
    result = dict(extra or {})
    for key, forms in _spellings(accented_names).items():
        accented = {f for f in forms if _has_accent(f)}
        if len(accented) == 1:
            result[key] = accented.pop()
        elif len(accented) > 1:
            result.pop(key, None)
    return result


def _spelled(word: str, accents: dict[str, str]) -> str:
    known = accents.get(_key(word))
    if known:
        return known
    lowered = word.lower()
    if len(lowered) > 4 and lowered.endswith("ion"):
        return lowered[:-3] + "ión"
    return lowered


def display_name(upper_name: str, accents: dict[str, str]) -> str:
    """'SAN JUAN DE LURIGANCHO' -> 'San Juan de Lurigancho'; accents restored when known."""

    def fix(match: re.Match[str]) -> str:
        lowered = _spelled(match.group(0), accents)
        if match.start() > 0 and lowered in _LOWER:
            return lowered
        return lowered[:1].upper() + lowered[1:]

    return _WORD.sub(fix, upper_name.strip())


@dataclass(frozen=True)
class AccentCensus:
    """What is left uncertain after the three sources, for a person to review."""

    conflicting: dict[str, list[str]]  # words the data spells with two different accents
    overruled: list[str]  # supplement words the data spells otherwise (the data wins)
    unaccented_oxytone_like: list[str]  # names' words ending in -ez/-an/-en/-in/-on/-un


def accent_census(names: Iterable[str], accented_names: Iterable[str],
                  extra: dict[str, str]) -> AccentCensus:
    spellings = _spellings(accented_names)
    accents = accent_dictionary((), extra)
    conflicting = {}
    for key, forms in spellings.items():
        accented = sorted(f for f in forms if _has_accent(f))
        if len(accented) > 1:
            conflicting[key] = accented
        elif accented:
            accents[key] = accented[0]
    overruled = sorted(k for k, v in extra.items()
                       if k in spellings and v not in spellings[k]
                       and any(_has_accent(f) for f in spellings[k]))
    words = {w for name in names for w in _WORD.findall(name)}
    unaccented = sorted(w for w in words if _OXYTONE_HINT.search(_key(w))
                        and not _has_accent(_spelled(w, accents)))
    return AccentCensus(conflicting, overruled, unaccented)
