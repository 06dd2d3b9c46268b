"""Translated marshmallow validators for the identifiers in server/patterns.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import validate

from .. import patterns

SHA256 = validate.Regexp(patterns.SHA256, error=_l("Enter a SHA-256 hash (64 hex digits)."))
UBIGEO = validate.Regexp(patterns.UBIGEO, error=_l("Enter a 6-digit ubigeo."))
