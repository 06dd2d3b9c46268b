"""A public link cannot reach a promoter's submission by re-sending its UUID, and a receipt
goes back only to the channel that made the submission (issue 10)."""

from __future__ import annotations

from helpers import feedback_item, household_item
from sqlalchemy import func, select

from server.devices.services import enrol_device
from server.extensions import db
from server.submissions.models import Submission, SubmissionConflict

URL = "/api/v1/submissions"


def send(client, headers, item) -> dict:
    response = client.post(URL, json={"submissions": [item]}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"][0]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def second_device(app, client) -> dict:
    with app.app_context():
        code = enrol_device("Second phone", "Juan").code
    token = client.post("/api/v1/devices/pair", json={"code": code}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_a_link_resending_a_promoters_uuid_is_turned_away_without_the_receipt(
        app, client, demo, device_headers, link_headers):
    item = household_item()
    stored = send(client, device_headers, item)
    assert stored["outcome"] == "stored"
    same = send(client, link_headers, item)
    assert same["outcome"] == "rejected" and same["receipt"] is None
    assert same["errors"] == {"survey": ["Este enlace es de otra encuesta."]}
    other = send(client, link_headers, household_item(uuid=item["uuid"],
                                                      answers={"household_size": 9}))
    assert other["outcome"] == "rejected" and other["receipt"] is None
    assert count(app, SubmissionConflict) == 0  # nothing recorded against the promoter's
    assert count(app, Submission) == 1


def test_a_promoters_feedback_replayed_through_a_link_gives_no_receipt(
        app, client, demo, device_headers, link_headers):
    # promoters may fill the feedback survey too; its UUID re-sent by the link
    item = feedback_item()
    assert send(client, device_headers, item)["outcome"] == "stored"
    replay = send(client, link_headers, item)
    assert replay["outcome"] == "duplicate" and replay["receipt"] is None


def test_a_receipt_is_repeated_only_to_whoever_stored_the_submission(
        app, client, demo, device_headers, link_headers):
    resident = feedback_item()
    first = send(client, link_headers, resident)
    assert first["outcome"] == "stored" and first["receipt"]
    # the same link replaying after a lost response gets its receipt again
    assert send(client, link_headers, resident)["receipt"] == first["receipt"]
    # a promoter's phone sending that UUID learns nothing of the resident's receipt
    assert send(client, device_headers, resident)["receipt"] is None
    promoter = household_item()
    mine = send(client, device_headers, promoter)
    assert send(client, device_headers, promoter)["receipt"] == mine["receipt"]
    assert send(client, second_device(app, client), promoter)["receipt"] is None
