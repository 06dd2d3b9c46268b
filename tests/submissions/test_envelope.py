"""Property: the compiled envelope (msgspec, submissions/envelope.py) and ItemSchema
(marshmallow) agree on every item.

- Whatever the envelope accepts, marshmallow accepts too and loads to the very same data
  (same types: an int is not a float, a time keeps its offset), so the content hash that
  tells a replay from a conflict does not depend on which path loaded an item.
- Whatever marshmallow rejects, the envelope rejects, and the ingest answers marshmallow's
  errors (the same fields, the same messages).
- On items whose values have the JSON types a phone sends, the envelope accepts exactly
  what marshmallow accepts: the fast path is taken whenever it can be.
"""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from typing import Any

import pytest
from helpers import household_item
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from server.api.errors import translate_errors
from server.submissions.content import content_hash, unstorable
from server.submissions.envelope import load_plain
from server.submissions.ingest import ITEM_SCHEMA, ItemOutcome, _load

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
PROPERTY = settings(max_examples=400, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def typed(value: Any) -> Any:
    """The value with its types spelled out: 1 and 1.0, or one instant at two offsets, differ."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), typed(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return ("list", tuple(typed(v) for v in value))
    if isinstance(value, datetime):
        return ("datetime", value.isoformat())
    if isinstance(value, uuid.UUID):
        return ("uuid", str(value))
    return (type(value).__name__, repr(value))


def marshmallow_load(raw: dict) -> tuple[dict | None, dict | None]:
    try:
        return ITEM_SCHEMA.load(copy.deepcopy(raw)), None
    except ValidationError as err:
        return None, translate_errors(err.messages)


def check_agreement(raw: dict, exact: bool) -> None:
    fast = load_plain(copy.deepcopy(raw))
    slow, errors = marshmallow_load(raw)
    if fast is not None:
        assert slow is not None, f"only the envelope accepts {raw!r}: {errors}"
        assert typed(fast) == typed(slow)
        assert content_hash(fast) == content_hash(slow)
    elif exact:
        assert slow is None, f"only marshmallow accepts {raw!r}"
    if slow is None:
        assert fast is None
        if unstorable(raw) is None:  # else the ingest refuses it earlier, for its own reason
            outcome = _load(0, copy.deepcopy(raw))
            assert isinstance(outcome, ItemOutcome) and outcome.outcome == "rejected"
            assert outcome.errors == errors


# --- items with the JSON types a phone sends, values right or wrong --------------------------

safe_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=8)
uuids = st.one_of(
    st.uuids().map(str), st.uuids().map(lambda u: u.hex), st.uuids().map(lambda u: str(u).upper()),
    st.uuids().map(lambda u: f"{{{u}}}"), st.uuids().map(lambda u: f"urn:uuid:{u}"),
    st.uuids().map(lambda u: str(u)[:-1]), st.uuids().map(lambda u: f"{u}\n"), safe_text)
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1))
offsets = st.sampled_from(["Z", "+00:00", "-05:00", "+05:30", "-0500", ""])
timestamps = st.one_of(
    st.none(), st.builds(lambda m, o: m.isoformat() + o, moments, offsets),
    st.builds(lambda m, o: m.strftime("%Y-%m-%d %H:%M") + o, moments, offsets),
    st.sampled_from(["2026-11-20", "2026-13-01T00:00:00Z", "yesterday", "", "T14:00Z"]))
districts = st.one_of(st.none(), st.from_regex(r"\A[0-9]{6}\Z"), st.sampled_from(
    ["18010", "1801011", "18010a", "180101\n", "\u0661\u0668\u0660\u0661\u0660\u0661", ""]))
coordinate = st.floats(min_value=-200, max_value=200, allow_nan=False) | st.integers(-200, 200)
locations = st.one_of(st.none(), st.fixed_dictionaries(
    {"lat": coordinate, "lon": coordinate},
    optional={"accuracy": st.none() | st.floats(-5, 100, allow_nan=False) | st.integers(-5, 5),
              "alt": st.none() | st.floats(-500, 7000, allow_nan=False),
              "heading": st.floats(0, 360)}))
names = st.one_of(st.none(), st.text(alphabet=st.characters(
    exclude_categories=("Cs",), include_characters="\x00\t\n\x7f"), max_size=8),
    st.integers(195, 205).map(lambda n: "a" * n))
metas = st.fixed_dictionaries(
    {"language": st.sampled_from(["es", "qu", "en", "ES", ""])},
    optional={"started_at": timestamps, "completed_at": timestamps, "district": districts,
              "location": locations, "consent": st.none() | st.booleans(),
              "app_version": st.none() | st.integers(36, 44).map(lambda n: "1" * n),
              "instance_name": names, "battery": st.integers(0, 100) | safe_text})
hashes = st.sampled_from([SHA, SHA.upper(), SHA[:-1], SHA + "\n", SHA + "0", "", "x" * 64])
answer_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False,
                                                                        allow_infinity=False)
    | safe_text, lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(safe_text, inner, max_size=3), max_leaves=6)
items = st.fixed_dictionaries(
    {"uuid": uuids,
     "survey": st.sampled_from(["moq-household", "", "x" * 64, "x" * 65]) | safe_text,
     "version": st.integers(-2, 3) | st.integers(999_998, 1_000_002),
     "answers": st.dictionaries(safe_text, answer_values, max_size=4),
     "meta": metas},
    optional={"attachments": st.lists(hashes, max_size=3)
              | st.integers(199, 202).map(lambda n: [SHA] * n)})


@pytest.fixture
def request_context(app):
    with app.test_request_context(headers={"Accept-Language": "es-PE"}):
        yield


@PROPERTY
@given(raw=items)
@example(raw=household_item())
@example(raw={**household_item(), "uuid": "not a uuid", "version": 0})
@example(raw={**household_item(), "meta": {"language": "qu", "started_at": "2026-11-20T14:00:00"}})
@example(raw={**household_item(), "meta": {"language": "es", "district": "180101\n"}})
@example(raw={**household_item(), "attachments": [SHA + "\n"]})
def test_on_well_typed_items_the_envelope_accepts_exactly_what_marshmallow_does(
        request_context, raw):
    check_agreement(raw, exact=True)


# --- anything a client can put in JSON, anywhere in an item --------------------------------

any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=10)
scalars = st.none() | st.booleans() | st.integers() | st.floats(
    allow_nan=False, allow_infinity=False) | any_text
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(any_text, inner, max_size=3), max_leaves=8)
PATHS = ([(k,) for k in ("uuid", "survey", "version", "answers", "meta", "attachments", "extra")]
         + [("meta", k) for k in ("language", "started_at", "completed_at", "district",
                                  "location", "consent", "app_version", "instance_name", "new")]
         + [("meta", "location", k) for k in ("lat", "lon", "accuracy", "alt", "speed")])


def mutated(changes: dict) -> dict:
    item = household_item()
    for path, value in changes.items():
        target = item
        for key in path[:-1]:
            if not isinstance(target.get(key), dict):
                target[key] = {}
            target = target[key]
        target[path[-1]] = copy.deepcopy(value)
    return item


@PROPERTY
@given(changes=st.dictionaries(st.sampled_from(PATHS), values, min_size=1, max_size=3),
       removed=st.sets(st.sampled_from(["uuid", "survey", "version", "answers", "meta",
                                        "attachments"]), max_size=2))
@example(changes={("version",): True}, removed=set())
@example(changes={("version",): 1.0}, removed=set())
@example(changes={("meta", "consent"): "yes"}, removed=set())
@example(changes={("meta", "location", "lat"): "-17.19"}, removed=set())
def test_on_any_item_the_envelope_never_accepts_what_marshmallow_refuses(
        request_context, changes, removed):
    raw = mutated(changes)
    for key in removed:
        raw.pop(key, None)
    check_agreement(raw, exact=False)
