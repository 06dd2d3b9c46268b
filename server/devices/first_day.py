"""What a phone needs on its first day, sent with the pairing answer: the list of surveys it
may fill (as `GET /surveys` answers it) and their definitions (as `GET /surveys/<id>/versions/
<n>` answers them), so a fresh phone goes from the pairing link to its first interview
without one more round trip per survey. On 400 ms links each saved round trip is visible.

Definitions are included up to a budget: a programme with many large surveys must not make
the pairing answer itself the slow part; the phone fetches the rest as before. The place
lists of the departments the included definitions name (`place` questions with a
`department`) come too, within the same budget, each with the ETag its own endpoint
(`GET /places/bulk/<department>`) gives it, so the home screen does not wait for one more
round trip after the pairing answer."""

from __future__ import annotations

import json
from typing import Any

from ..jsonutil import digest
from ..places.bulk import bulk_places
from ..surveys.schemas import summary
from ..surveys.services import surveys_for_client
from .models import Device

# about 1.5 s of a 400 kbps link, gzipped definitions being a fifth of this
DEFINITIONS_BUDGET_BYTES = 400_000


def place_departments(node: Any, found: set[str] | None = None) -> set[str]:
    """The departments a definition's `place` questions name (pwa/sync.js does the same)."""
    found = set() if found is None else found
    if isinstance(node, list):
        for item in node:
            place_departments(item, found)
    elif isinstance(node, dict):
        if node.get("type") == "place" and node.get("department"):
            found.add(str(node["department"]))
        for value in node.values():
            place_departments(value, found)
    return found


def first_day(device: Device, budget: int = DEFINITIONS_BUDGET_BYTES) -> dict:
    fillable = surveys_for_client("device", None, device.id)
    summaries = [summary(survey, version) for survey, version in fillable]
    definitions = []
    used = 0
    for (_survey, version), item in zip(fillable, summaries, strict=True):
        size = len(json.dumps(version.definition, separators=(",", ":")))
        if used + size > budget:
            continue  # a smaller one further down may still fit
        definitions.append(item | {"definition": version.definition})
        used += size
    places = []
    for department in sorted(place_departments([d["definition"] for d in definitions])):
        payload = bulk_places(department)
        if payload is None:
            continue
        size = len(json.dumps(payload, separators=(",", ":")))
        if used + size > budget:
            continue
        places.append(payload | {"etag": f'"{digest(payload)}"'})
        used += size
    # dumped by the pairing answer's schema (SurveySummarySchema, SurveyDetailSchema)
    return {"surveys": summaries, "definitions": definitions, "places": places}
