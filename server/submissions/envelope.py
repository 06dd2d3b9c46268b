"""The fixed envelope of a submission item, checked in C (msgspec) on the ingest hot path.

`ItemSchema` (marshmallow, schemas.py) stays the description of the API and the source of
every error message. This module only answers "is this item plainly valid?" and, when it
is, returns exactly what `ItemSchema().load()` would. Anything it is unsure about (a
number sent as text, a boolean as "yes", a naive timestamp, an unknown key, any invalid
value) returns None, and the caller loads the item with marshmallow as before, so an
invalid item gets the same translated messages as ever. tests/submissions/test_envelope.py
checks the two agree on generated items.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from .. import patterns

_UBIGEO = re.compile(patterns.UBIGEO)  # fullmatch, as server/api/validators.py
_NO_CONTROL = re.compile(r"^[^\x00-\x1f\x7f]*\Z")  # MetaSchema.instance_name's validator

Latitude = Annotated[float, msgspec.Meta(ge=-90, le=90)]
Longitude = Annotated[float, msgspec.Meta(ge=-180, le=180)]
Sha256 = Annotated[str, msgspec.Meta(pattern=r"\A[0-9a-f]{64}\Z")]


class _Location(msgspec.Struct, forbid_unknown_fields=True):
    lat: Latitude
    lon: Longitude
    accuracy: Annotated[float, msgspec.Meta(ge=0)] | None = None
    alt: float | None = None


class _Meta(msgspec.Struct):  # unknown keys are kept by the caller (MetaSchema: INCLUDE)
    language: Literal["es", "qu"]
    started_at: str | None = None
    completed_at: str | None = None
    district: str | None = None
    location: _Location | None = None
    consent: bool | None = None
    app_version: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    instance_name: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class _Item(msgspec.Struct, forbid_unknown_fields=True):
    uuid: str
    survey: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    version: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]
    answers: dict
    meta: _Meta
    attachments: Annotated[list[Sha256], msgspec.Meta(max_length=200)] = []


META_FIELDS = _Meta.__struct_fields__


def _aware(text: str | None) -> datetime | None:
    """What AwareDateTime loads (datetime.fromisoformat, an offset required), or raises."""
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    if moment.utcoffset() is None:
        raise ValueError("naive")
    return moment


def load_plain(raw: dict[str, Any]) -> dict[str, Any] | None:
    """`ItemSchema().load(raw)` for an item that is plainly valid, else None."""
    try:
        item = msgspec.convert(raw, _Item)
        meta = item.meta
        if meta.district is not None and _UBIGEO.fullmatch(meta.district) is None:
            return None
        if meta.instance_name is not None and _NO_CONTROL.match(meta.instance_name) is None:
            return None
        loaded_meta = {**raw["meta"], "language": meta.language,
                       "started_at": _aware(meta.started_at),
                       "completed_at": _aware(meta.completed_at),
                       "district": meta.district, "consent": meta.consent,
                       "app_version": meta.app_version, "instance_name": meta.instance_name,
                       "location": None if meta.location is None else {
                           "lat": meta.location.lat, "lon": meta.location.lon,
                           "accuracy": meta.location.accuracy, "alt": meta.location.alt}}
        return {"uuid": uuid.UUID(item.uuid), "survey": item.survey, "version": item.version,
                "answers": dict(raw["answers"]), "meta": loaded_meta,
                "attachments": list(item.attachments)}
    except (msgspec.ValidationError, ValueError, TypeError, AttributeError):
        return None
