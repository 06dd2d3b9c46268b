"""Translated marshmallow validators for the identifiers in server/patterns.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validate

from .. import patterns


class FullMatch(validate.Regexp):
    """marshmallow's Regexp with `fullmatch`: its `match` lets a trailing newline through
    a `…$` pattern. The OpenAPI document still shows the pattern as written."""

    def __call__(self, value: str) -> str:
        if not isinstance(value, str) or self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


SHA256 = FullMatch(patterns.SHA256, error=_l("Enter a SHA-256 hash (64 hex digits)."))
UBIGEO = FullMatch(patterns.UBIGEO, error=_l("Enter a 6-digit ubigeo."))
