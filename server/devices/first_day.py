"""What a phone needs on its first day, sent with the pairing answer: the list of surveys it
may fill (as `GET /surveys` answers it) and their definitions (as `GET /surveys/<id>/versions/
<n>` answers them), so a fresh phone goes from the pairing link to its first interview
without one more round trip per survey. On 400 ms links each saved round trip is visible.

Definitions are included up to a budget: a programme with many large surveys must not make
the pairing answer itself the slow part; the phone fetches the rest as before."""

from __future__ import annotations

import json

from ..surveys.schemas import summary
from ..surveys.services import surveys_for_client
from .models import Device

# about 1.5 s of a 400 kbps link, gzipped definitions being a fifth of this
DEFINITIONS_BUDGET_BYTES = 400_000


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
    # dumped by the pairing answer's schema (SurveySummarySchema, SurveyDetailSchema)
    return {"surveys": summaries, "definitions": definitions}
