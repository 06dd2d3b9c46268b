"""Short human codes (receipts, pairing) and token hashing."""

from __future__ import annotations

import hashlib
import secrets

# No 0/O, 1/I/L or U/V pairs: easy to read aloud and to type from a paper slip.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


def short_code(length: int = 8) -> str:
    """A random code grouped in fours: 'K7M4-QX9P'."""
    # one draw from the OS for the whole code (every code equally likely), not one per
    # character: ingest makes a receipt per stored submission
    number, digits = secrets.randbelow(len(ALPHABET) ** length), []
    for _ in range(length):
        number, digit = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[digit])
    raw = "".join(digits)
    return "-".join(raw[i:i + 4] for i in range(0, length, 4))


def normalize_code(text: str) -> str | None:
    """Upper-case, drop spaces and dashes, regroup; None if it can't be one of our codes."""
    raw = "".join(ch for ch in text.upper() if ch not in " -\t")
    if not raw or len(raw) % 4 or any(ch not in ALPHABET for ch in raw):
        return None
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens and codes are high-entropy secrets: a plain SHA-256 is the right hash for lookup."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
