"""Phone numbers: one written form (E.164) and the keyed hash every SMS row is found by."""

from __future__ import annotations

import hashlib
import hmac
import re

from flask import current_app

_NOT_DIGITS = re.compile(r"[^\d]")


def normalize_number(raw: str) -> str | None:
    """'+51 951 234 567', '951234567', '0051951234567' -> '+51951234567'; None if not a number.

    Peru's mobile numbers (9 digits from 9) get the country code; other countries keep theirs.
    """
    text = (raw or "").strip()
    digits = _NOT_DIGITS.sub("", text)
    if not digits or len(digits) > 15:
        return None
    if text.startswith("00"):
        digits = digits[2:]
    elif not text.startswith("+") and len(digits) == 9 and digits.startswith("9"):
        digits = "51" + digits
    if len(digits) < 6:
        return None  # a short code of a carrier, not a resident
    return "+" + digits


def number_hash(number: str) -> str:
    """HMAC-SHA256 with the app secret: the same number always finds its rows, and a copy
    of the database alone does not tell whose they are."""
    key = current_app.config["WILLAY"]["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, b"sms-number:" + number.encode("utf-8"), hashlib.sha256).hexdigest()


def masked(number: str) -> str:
    """'+51951234567' -> '+51 ••• ••• 567', for pages that must not show the number."""
    return f"{number[:3]} ••• ••• {number[-3:]}" if len(number) > 6 else "•••"
