"""Reconciling after a lost response, and residents' receipts in their language."""

from __future__ import annotations

import uuid

from helpers import household_item
from sqlalchemy import select

from server.db_types import utcnow
from server.extensions import db
from server.submissions.models import Submission


def store(client, headers, item) -> dict:
    return client.post("/api/v1/submissions", json={"submissions": [item]},
                       headers=headers).get_json()["results"][0]


def test_status_tells_which_uuids_the_server_holds(client, demo, device_headers):
    item = household_item()
    receipt = store(client, device_headers, item)["receipt"]
    unknown = str(uuid.uuid4())
    response = client.post("/api/v1/submissions/status",
                           json={"uuids": [unknown, item["uuid"]]}, headers=device_headers)
    assert response.status_code == 200
    missing, held = response.get_json()["submissions"]
    assert missing == {"uuid": unknown, "held": False, "status": None, "receipt": None,
                       "missing_attachments": []}
    assert held["held"] is True and held["receipt"] == receipt and held["status"] == "new"


def test_status_only_reveals_a_device_its_own_submissions(app, client, demo, device_headers):
    item = household_item()
    store(client, device_headers, item)
    from server.devices.services import enrol_device

    with app.app_context():
        code = enrol_device("other").code
    other = client.post("/api/v1/devices/pair", json={"code": code}).get_json()["token"]
    response = client.post("/api/v1/submissions/status", json={"uuids": [item["uuid"]]},
                           headers={"Authorization": f"Bearer {other}"})
    assert response.get_json()["submissions"][0]["held"] is False


def test_status_request_is_validated(client, demo, device_headers):
    for body in ({"uuids": []}, {"uuids": ["x"]}, {}):
        response = client.post("/api/v1/submissions/status", json=body, headers=device_headers)
        assert response.status_code == 422


def test_a_receipt_shows_status_and_answer_in_the_residents_language(app, client, demo,
                                                                       device_headers):
    receipt = store(client, device_headers, household_item())["receipt"]
    with app.app_context():
        sub = db.session.scalar(select(Submission))
        sub.status = "verified"
        sub.response = {"es": "La obra se reanuda en enero.",
                        "qu": "Llamk'ayqa eneropi qallarinqa."}
        sub.responded_at = utcnow()
        db.session.commit()
    qu = client.get(f"/api/v1/receipts/{receipt}", headers={"Accept-Language": "qu"}).get_json()
    es = client.get(f"/api/v1/receipts/{receipt}?lang=es").get_json()
    assert qu["status"] == es["status"] == "verified"
    assert qu["response"]["text"].startswith("Llamk'ayqa") and qu["response"]["language"] == "qu"
    assert es["response"]["text"].startswith("La obra")
    assert qu["status_label"] != es["status_label"]
    assert qu["survey_title"] != es["survey_title"]


def test_receipt_codes_forgive_case_and_dashes(client, demo, device_headers):
    receipt = store(client, device_headers, household_item())["receipt"]
    typed = receipt.replace("-", " ").lower()
    assert client.get(f"/api/v1/receipts/{typed}").status_code == 200


def test_unknown_receipt_is_404_and_guessing_is_rate_limited(app_factory):
    app = app_factory(RATELIMIT_RECEIPTS="5 per minute")
    client = app.test_client()
    codes = [client.get("/api/v1/receipts/2345-6789").status_code for _ in range(6)]
    assert codes == [404] * 5 + [429]
    assert client.get("/api/v1/receipts/2345-6789").get_json()["error"]["code"] == "rate_limited"


def test_behind_a_proxy_each_resident_has_their_own_limit(app_factory):
    app = app_factory(RATELIMIT_RECEIPTS="2 per minute", PROXY_HOPS=1)
    client = app.test_client()

    def look_up(address):
        return client.get("/api/v1/receipts/2345-6789",
                          headers={"X-Forwarded-For": address}).status_code

    assert [look_up("10.1.1.1") for _ in range(3)] == [404, 404, 429]
    assert look_up("10.2.2.2") == 404
