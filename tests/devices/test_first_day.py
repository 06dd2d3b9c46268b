"""The pairing answer carries the first day's downloads: the survey list and the definitions,
exactly as their own endpoints give them, so a fresh phone saves a round trip per survey."""

from __future__ import annotations

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
