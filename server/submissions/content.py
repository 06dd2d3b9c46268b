"""What a submission's content is: its identity hash, and whether it can be stored at all."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..jsonutil import digest
from .schemas import KNOWN_META

# an app update between a lost response and the retry must still read as a replay; the
# instance name is derived from the answers (and its wording may change with the app)
HASHED_META = KNOWN_META - {"app_version", "instance_name"}
MAX_SAFE_INTEGER = 2**53  # what a phone's JavaScript can hold exactly
# objects and lists inside an item, the item counted: nested repeats (at most 10 deep, see
# surveys/structure.py) need about 25; 64 stays far below what any encoder or database takes
MAX_NESTING = 64
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates: no database takes them


def unanswered(value: Any) -> bool:
    return value is None or value == "" or value == []


def _normal(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items() if v is not None}
    return value


TIMES = ("started_at", "completed_at")


def plausible(moment: datetime) -> bool:
    return 2000 <= moment.year <= 2100


def set_aside_implausible_times(data: dict[str, Any], raw: dict[str, Any]) -> None:
    """A phone whose clock reset (1970, 1980…) still delivers its interview: the time is
    left empty and the phone's value kept in data["clock_suspect"] for coordinators."""
    meta = data["meta"]
    suspect = {key: raw["meta"][key] for key in TIMES
               if meta.get(key) is not None and not plausible(meta[key])}
    for key in suspect:
        meta[key] = None
    if suspect:
        data["clock_suspect"] = suspect


def _normal_answer(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 4.0 and 4 are the same answer
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return sorted(value)  # the order of selected options carries no meaning
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return [_normal_answers(v) for v in value]  # repeat instances: their order counts
    return value


def _normal_answers(answers: dict[str, Any]) -> dict[str, Any]:
    return {k: _normal_answer(v) for k, v in answers.items() if not unanswered(v)}


def content_hash(data: dict[str, Any]) -> str:
    """Same survey, version, answers, attachments and interview metadata -> same hash.

    Built from the loaded item, so the same instant in another UTC offset, an explicit null,
    or meta keys this server doesn't know do not make a replay look like a conflict.
    """
    meta = data["meta"]
    return digest({
        "survey": data["survey"], "version": data["version"],
        "answers": _normal_answers(data["answers"]),
        "meta": {k: _normal(meta[k]) for k in sorted(HASHED_META)
                 if meta.get(k) is not None},
        "clock_suspect": data.get("clock_suspect"),
        "attachments": sorted(set(data["attachments"])),
    })


@dataclass(frozen=True)
class Unstorable:
    path: str  # dotted path of the value ("" for the item itself)
    too_deep: bool  # nested beyond MAX_NESTING, rather than a bad text or number


def unstorable(value: Any) -> Unstorable | None:
    """The first value no database can keep faithfully, or None.

    Nesting is bounded too: Python's JSON encoder, SQLite's JSON functions and PostgreSQL's
    jsonb all stop somewhere near a thousand levels, and an item over that would fail at
    insert time, on every retry. Runs on every item of every batch, so it dispatches on exact
    types and builds a path only for the value it reports.
    """
    stack: list[tuple[tuple, int, Any]] = [((), 0, value)]
    while stack:
        where, depth, item = stack.pop()
        kind = type(item)
        if kind is str:
            bad = _BAD_TEXT.search(item) is not None
        elif kind is dict or kind is list:
            if depth >= MAX_NESTING:
                return Unstorable(_dotted(where), True)
            bad = False
            if kind is list:
                stack.extend((where, depth + 1, child) for child in item)
            else:
                for key, child in item.items():
                    if _BAD_TEXT.search(key):
                        bad = True
                        break
                    stack.append(((*where, key), depth + 1, child))
        elif kind is int:
            bad = not -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER
        elif kind is float:
            bad = not math.isfinite(item)
        else:  # None, bool
            bad = False
        if bad:
            return Unstorable(_dotted(where), False)
    return None


def _dotted(where: tuple) -> str:
    return ".".join(str(part) for part in where)
