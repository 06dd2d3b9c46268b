"""The pairing answer carries the first day's downloads: the survey list and the definitions,
exactly as their own endpoints give them, so a fresh phone saves a round trip per survey."""

from __future__ import annotations

import json

from server.devices.first_day import first_day
from server.devices.models import Device
from server.devices.services import enrol_device
from server.extensions import db

PAIR = "/api/v1/devices/pair"


def _pair(app, client):
    with app.app_context():
        code = enrol_device("Phone", "Rosa").code
    answer = client.post(PAIR, json={"code": code})
    assert answer.status_code == 201
    return answer.get_json()


def test_the_pairing_answer_holds_the_survey_list_and_the_definitions(app, client, demo):
    paired = _pair(app, client)
    auth = {"Authorization": f"Bearer {paired['token']}"}
    assert set(paired) >= {"token", "device"}  # what older apps read is still there
    listed = client.get("/api/v1/surveys", headers=auth).get_json()["surveys"]
    assert paired["surveys"] == listed and listed
    assert [d["id"] for d in paired["definitions"]] == [s["id"] for s in listed]
    for definition in paired["definitions"]:
        own = client.get(f"/api/v1/surveys/{definition['id']}/versions/{definition['version']}",
                         headers=auth)
        assert definition == own.get_json()
        assert definition["etag"] == own.headers["ETag"].strip('"')


def test_definitions_past_the_budget_are_left_for_the_phone_to_fetch(app, client, demo):
    paired = _pair(app, client)
    with app.app_context():
        device = db.session.get(Device, paired["device"]["id"])
        everything = first_day(device)
        nothing = first_day(device, budget=10)
    assert everything["definitions"] and not nothing["definitions"]
    assert nothing["surveys"] == everything["surveys"]  # the list is always whole


def test_a_phone_without_surveys_gets_empty_lists(app, client):
    paired = _pair(app, client)
    assert paired["surveys"] == [] and paired["definitions"] == []


def test_the_pairing_answer_holds_the_place_lists_its_surveys_name(app, client, demo):
    paired = _pair(app, client)
    named = {str(q["department"]) for d in paired["definitions"]
             for page in d["definition"].get("pages", []) for q in page.get("questions", [])
             if q.get("type") == "place" and q.get("department")}
    assert named and {p["department"] for p in paired["places"]} >= named
    for places in paired["places"]:
        etag = places.pop("etag")
        own = client.get(f"/api/v1/places/bulk/{places['department']}")
        assert places == own.get_json()
        assert etag == own.headers["ETag"]  # the phone revalidates with it later
        again = client.get(f"/api/v1/places/bulk/{places['department']}",
                           headers={"If-None-Match": etag})
        assert again.status_code == 304


def test_place_lists_past_the_budget_are_left_for_the_phone_to_fetch(app, client, demo):
    paired = _pair(app, client)
    with app.app_context():
        device = db.session.get(Device, paired["device"]["id"])
        everything = first_day(device)
        size = sum(len(json.dumps(d["definition"], separators=(",", ":")))
                   for d in everything["definitions"])
        tight = first_day(device, budget=size)  # the definitions fit exactly, no place list
    assert everything["places"]
    assert tight["definitions"] == everything["definitions"] and tight["places"] == []


def test_the_pairing_answer_travels_compressed(app, client, demo):
    import brotli

    with app.app_context():
        code = enrol_device("Phone", "Rosa").code
    answer = client.post(PAIR, json={"code": code}, headers={"Accept-Encoding": "br"})
    assert answer.status_code == 201 and answer.headers["Content-Encoding"] == "br"
    assert answer.headers["Cache-Control"] == "no-store"  # the token is in it
    assert json.loads(brotli.decompress(answer.get_data()))["token"]
