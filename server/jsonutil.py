"""Canonical JSON, so equal content always hashes equal."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import msgspec
import orjson


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(value: Any) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


_decode = msgspec.json.Decoder().decode


def db_dumps(value: Any) -> str:
    """JSON columns as the database keeps them, encoded by orjson (UTF-8 text, compact);
    anything orjson will not encode (an integer beyond 64 bits) by Python's json."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value)


def db_loads(text: str | bytes) -> Any:
    """JSON columns read back by msgspec (exact integers, several times faster than
    Python's json: exports decode every row's answers); what it refuses (NaN written by
    an old version, a lone surrogate) by Python's json, as before."""
    try:
        return _decode(text)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return json.loads(text)
