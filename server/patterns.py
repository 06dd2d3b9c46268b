"""Shapes of identifiers used across the API, defined once.

The patterns are written `^…$` so the OpenAPI document can publish them as they are, but in
Python `$` also matches before a trailing newline ("…%0A" would pass for a hash or a
ubigeo): check them with `fullmatch`, never `match` or `search`
(server/api/validators.py does so for marshmallow)."""

from __future__ import annotations

import re

SHA256 = r"^[0-9a-f]{64}$"
UBIGEO = r"^\d{6}$"
SHA256_RE = re.compile(r"\A[0-9a-f]{64}\Z")  # safe with match() too: no trailing newline

# C0 control characters and DEL: never part of an address, a search or a form field. NUL
# breaks PostgreSQL, the others are invisible garbage and spoil logs and exports.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# in text people type in a form (a reply, a comment), tabs and line breaks are allowed
TEXT_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
