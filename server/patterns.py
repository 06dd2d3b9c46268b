"""Shapes of identifiers used across the API, defined once."""

from __future__ import annotations

import re

SHA256 = r"^[0-9a-f]{64}$"
UBIGEO = r"^\d{6}$"
SHA256_RE = re.compile(SHA256)
