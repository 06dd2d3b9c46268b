"""Display names for the ubigeo list, which is upper case and often without accents."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Spanish function words stay lower case inside a name ("San Juan de la Virgen").
_LOWER = {"de", "del", "la", "las", "los", "el", "y", "e", "en"}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def search_key(text: str) -> str:
    """Like `fold` but also folds ñ to n, so 'Canete' finds 'Cañete'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def accent_dictionary(accented_names: Iterable[str]) -> dict[str, str]:
    """Map unaccented upper-case words to their accented form, from names that have accents.

    The source often drops accents, so one accented spelling wins over unaccented ones; a word
    seen with two different accented spellings is left as it is.
    """
    seen: dict[str, set[str]] = {}
    for name in accented_names:
        for word in _WORD.findall(name):
            seen.setdefault(search_key(word).upper(), set()).add(word.lower())
    result = {}
    for key, forms in seen.items():
        accented = {f for f in forms if search_key(f) != f}
        if len(accented) == 1:
            result[key] = accented.pop()
    return result


def display_name(upper_name: str, accents: dict[str, str]) -> str:
    """'SAN JUAN DE LURIGANCHO' -> 'San Juan de Lurigancho'; accents restored when known."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        lowered = accents.get(search_key(word).upper(), word.lower())
        start = match.start()
        if start > 0 and lowered in _LOWER:
            return lowered
        return lowered[:1].upper() + lowered[1:]

    return _WORD.sub(fix, upper_name.strip())
