"""Request JSON is read strictly: standard JSON only, and bounded nesting."""

from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity, which are not JSON and PostgreSQL's JSONB refuses
    raise ValueError(f"{name} is not valid JSON")


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_constant", _refuse_constant)
        try:
            return json.loads(s, **kwargs)
        except RecursionError as err:  # e.g. 100,000 nested brackets
            raise ValueError("JSON nested too deeply") from err
