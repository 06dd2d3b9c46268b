"""Amounts in soles as people type them."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MAX_AMOUNT = Decimal("999999999999.99")


def parse_amount(text: str) -> Decimal | None:
    """'S/ 28 800 000,50' or '28800000.50' -> Decimal; None when it is not an amount."""
    cleaned = re.sub(r"^(S/\.?|PEN)\s*", "", text.strip(), flags=re.I).replace(" ", "")
    cleaned = cleaned.replace("\u00a0", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"\d{1,12}(\.\d{1,2})?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern above rules it out
        return None
