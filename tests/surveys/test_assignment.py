"""Surveys assigned to some devices reach only those; unassigned ones reach every device.
A device that sends records when it last synced and with which app version."""

from __future__ import annotations

from helpers import household_item

from server.devices.models import Device
from server.devices.services import enrol_device
from server.extensions import db
from server.surveys.models import survey_devices
from server.surveys.services import get_survey


def _pair(app, client, label):
    with app.app_context():
        code = enrol_device(label, "Rosa").code
    body = client.post("/api/v1/devices/pair", json={"code": code}).get_json()
    return {"Authorization": f"Bearer {body['token']}"}, body["device"]["id"]


def _codes(client, headers):
    return {s["id"] for s in client.get("/api/v1/surveys", headers=headers).get_json()["surveys"]}


def test_assignment_limits_which_devices_receive_a_survey(app, client, demo):
    first, first_id = _pair(app, client, "A")
    second, _ = _pair(app, client, "B")
    assert "moq-household" in _codes(client, first) and "moq-household" in _codes(client, second)
    with app.app_context():
        survey = get_survey("moq-household")
        db.session.execute(survey_devices.insert().values(survey_id=survey.id,
                                                          device_id=first_id))
        db.session.commit()
    assert "moq-household" in _codes(client, first)
    assert "moq-household" not in _codes(client, second)
    assert client.get("/api/v1/surveys/moq-household", headers=second).status_code == 404


def test_a_sync_records_time_and_app_version(app, client, demo):
    headers, device_id = _pair(app, client, "C")
    response = client.post("/api/v1/submissions", json={"submissions": [household_item()]},
                           headers={**headers, "X-Willay-App": "1.4.2"})
    assert response.status_code == 200
    with app.app_context():
        device = db.session.get(Device, device_id)
        assert device.last_sync_at is not None and device.app_version == "1.4.2"
