"""Property: whatever JSON a client puts into an item, the answer is per-item (never a 500),
a valid neighbour is always stored, and nothing half-stored remains."""

from __future__ import annotations

import copy
import json

from helpers import household_item
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

QUESTION_IDS = list(household_item()["answers"]) + ["problem_photo", "voice_note",
                                                    "respondent_name", "closing_note"]
PATHS = ([("uuid",), ("survey",), ("version",), ("answers",), ("meta",), ("attachments",)]
         + [("answers", q) for q in QUESTION_IDS]
         + [("meta", k) for k in ("language", "started_at", "completed_at", "district",
                                  "location", "consent", "app_version", "something_new")])

# any text, lone surrogates and NUL included; any integer; finite floats (JSON has no NaN)
text = st.text(alphabet=st.characters(exclude_categories=()), max_size=12)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False,
                                                                allow_infinity=False) | text
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(text, inner, max_size=4), max_leaves=10)
changes = st.dictionaries(st.sampled_from(PATHS), values, min_size=1, max_size=3)


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


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=changes)
def test_random_items_never_break_the_batch(client, demo, device_headers, changes):
    good, odd = household_item(), mutated(changes)
    body = json.dumps({"submissions": [good, odd]})
    response = client.post("/api/v1/submissions", data=body, headers=device_headers,
                           content_type="application/json")
    assert response.status_code == 200, response.data
    first, second = response.get_json()["results"]
    assert first["outcome"] == "stored"
    assert second["outcome"] in {"stored", "rejected", "duplicate", "conflict"}
    if second["outcome"] == "rejected":
        assert second["errors"], second
    status = client.post("/api/v1/submissions/status", json={"uuids": [good["uuid"]]},
                         headers=device_headers).get_json()["submissions"][0]
    assert status["held"] is True
