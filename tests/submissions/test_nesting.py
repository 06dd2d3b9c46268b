"""A value nested deeper than any encoder or database keeps is refused item by item, where the
item is loaded; the rest of the batch is stored (issue 10: a meta value ~970 levels deep made
every retry of its batch a 500)."""

from __future__ import annotations

import json
import re
import uuid

import requests
from helpers import household_item
from sqlalchemy import select

from server.extensions import db
from server.submissions.content import MAX_NESTING
from server.submissions.models import Submission, SubmissionConflict


def nested(levels: int) -> str:
    """JSON text of `levels` objects one inside the other."""
    return '{"x":' * levels + "1" + "}" * levels


def post_raw(client, headers, items_json: list[str]):  # in-process
    body = '{"submissions": [' + ",".join(items_json) + "]}"
    return client.post("/api/v1/submissions", data=body, headers=headers,
                       content_type="application/json")


def with_deep_meta(item: dict, levels: int) -> str:
    """The item as JSON text, its meta carrying an unknown key nested `levels` deep."""
    text = json.dumps(item)
    return text.replace('"meta": {', '"meta": {"deep": ' + nested(levels) + ", ", 1)


def test_under_gunicorn_a_deep_meta_value_rejects_its_item_and_the_others_are_stored(
        app, live_server):
    # ~970 levels: what gunicorn's parser takes and the JSON encoder then choked on
    code = re.search(r"code (\S+)", live_server.willay("devices", "enrol", "deep")).group(1)
    token = requests.post(f"{live_server.url}/api/v1/devices/pair", json={"code": code},
                          timeout=10).json()["token"]

    def send(items_json: list[str]) -> requests.Response:
        return requests.post(f"{live_server.url}/api/v1/submissions",
                             data='{"submissions": [' + ",".join(items_json) + "]}",
                             headers={"Authorization": f"Bearer {token}",
                                      "Content-Type": "application/json"}, timeout=30)

    deep, good = household_item(), household_item()
    response = send([with_deep_meta(deep, 970), json.dumps(good)])
    assert response.status_code == 200, response.text[:300]
    first, second = response.json()["results"]
    assert first["outcome"] == "rejected" and first["uuid"] == deep["uuid"]
    (field, messages), = first["errors"].items()
    assert field.startswith("meta.deep.x")
    assert str(MAX_NESTING) in messages[0]
    assert second["outcome"] == "stored"
    # the phone's retry gets the same answer: never a 500 that would repeat forever
    again = send([with_deep_meta(deep, 970)])
    assert again.status_code == 200 and again.json()["results"][0]["outcome"] == "rejected"
    # a conflicting copy of the stored one, nested as deep, is refused too: nothing kept aside
    other = household_item(uuid=good["uuid"], answers={"household_size": 7})
    response = send([with_deep_meta(other, 970)])
    assert response.status_code == 200 and response.json()["results"][0]["outcome"] == "rejected"
    with app.app_context():
        assert db.session.scalars(select(Submission.uuid)).all() == [uuid.UUID(good["uuid"])]
        assert db.session.scalars(select(SubmissionConflict)).all() == []


def test_nesting_just_within_the_bound_is_stored_and_kept_aside_on_conflict(
        app, client, demo, device_headers):
    # the item, its meta and the key's own object: MAX_NESTING levels in all
    levels = MAX_NESTING - 2
    item = household_item()
    response = post_raw(client, device_headers, [with_deep_meta(item, levels)])
    assert response.get_json()["results"][0]["outcome"] == "stored"
    other = household_item(uuid=item["uuid"], answers={"household_size": 7})
    response = post_raw(client, device_headers, [with_deep_meta(other, levels)])
    assert response.get_json()["results"][0]["outcome"] == "conflict"
    too_deep = post_raw(client, device_headers, [with_deep_meta(household_item(), levels + 1)])
    assert too_deep.get_json()["results"][0]["outcome"] == "rejected"
    with app.app_context():
        stored = db.session.scalars(select(Submission)).one()
        value, depth = stored.extra_meta["deep"], 1
        while isinstance(value, dict):
            value, depth = value["x"], depth + 1
        assert depth == levels + 1 and value == 1
        conflict = db.session.scalars(select(SubmissionConflict)).one()
        assert "deep" in conflict.payload["meta"]
