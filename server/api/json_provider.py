"""Request JSON is read strictly: standard JSON only, and bounded nesting.

msgspec reads it first (several times faster on a batch of submissions; it keeps large
integers exact, as Python's json does, where orjson turns them into floats). Whatever msgspec
refuses (NaN, a lone surrogate escape, 1e400, a byte-order mark, very deep nesting) is read
again by Python's json, so every such body keeps the answer it had before: a 400 for what
is not JSON, a per-item rejection for what is JSON but cannot be stored. Answers are encoded
by orjson."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity, which are not JSON and PostgreSQL's JSONB refuses
    raise ValueError(f"{name} is not valid JSON")


_decode = msgspec.json.Decoder().decode


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        if not kwargs:
            try:
                return _decode(s)
            except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
                pass  # judged by the standard library, as always
        kwargs.setdefault("parse_constant", _refuse_constant)
        try:
            return json.loads(s, **kwargs)
        except RecursionError as err:  # e.g. 100,000 nested brackets
            raise ValueError("JSON nested too deeply") from err


def json_response(payload: Any, status: int = 200) -> Response:
    """A JSON answer encoded by orjson, for the sync API's hot paths (translated lazy texts
    become plain text)."""
    return Response(orjson.dumps(payload, default=str), status=status,
                    mimetype="application/json")
