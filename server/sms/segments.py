"""SMS length: GSM-7 (160 characters, 153 per part of a long message) or UCS-2 (70, 67).

One character outside GSM-7 (á, í, ó, ú, ’, an emoji) makes the whole message UCS-2. Ñ, ñ,
é, ü, ¿ and ¡ are GSM-7; the extension characters (€ [ ] { } ~ ^ | \\) count twice.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")
# characters outside GSM-7 that have a faithful GSM-7 reading in Spanish and Quechua
_FOLD = {"’": "'", "‘": "'", "ʼ": "'", "´": "'", "“": '"', "”": '"', "–": "-", "—": "-",
         "…": "...", "\u00a0": " ", "Á": "A", "Í": "I", "Ó": "O", "Ú": "U", "á": "a",
         "í": "i", "ó": "o", "ú": "u"}


@dataclass(frozen=True)
class Cost:
    encoding: str  # "GSM-7" or "UCS-2"
    characters: int  # in the encoding's units (septets, or UTF-16 code units)
    segments: int


def is_gsm(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text)


def cost(text: str) -> Cost:
    if is_gsm(text):
        units = sum(2 if ch in GSM_EXTENSION else 1 for ch in text)
        single, part = 160, 153
        encoding = "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
        encoding = "UCS-2"
    segments = 1 if units <= single else -(-units // part)
    return Cost(encoding, units, segments)


def fold_to_gsm(text: str) -> str:
    """The same words in GSM-7 where that reads faithfully (á -> a, ’ -> '), so a prompt
    fits one segment of 160 instead of 70; characters without a faithful reading stay."""
    out = []
    for ch in text:
        if ch in GSM_BASIC or ch in GSM_EXTENSION:
            out.append(ch)
        elif ch in _FOLD:
            out.append(_FOLD[ch])
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            out.append(base if base in GSM_BASIC and base.isalpha() else ch)
    return "".join(out)
