"""Enrolment, one-time pairing codes, hashed tokens and revocation."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from server.db_types import utcnow
from server.devices.models import Device
from server.devices.services import enrol_device, new_pairing_code, revoke
from server.extensions import db

PAIR = "/api/v1/devices/pair"


def enrol(app, label="Phone"):
    with app.app_context():
        enrolment = enrol_device(label, "Rosa Mamani")
        return enrolment.device.id, enrolment.code, enrolment.qr_text


def test_a_code_pairs_once_and_the_token_opens_the_api(app, client, demo):
    device_id, code, qr = enrol(app)
    assert qr.endswith(f"/app/#pair={code}")
    response = client.post(PAIR, json={"code": code})
    assert response.status_code == 201
    token = response.get_json()["token"]
    assert len(token) >= 40
    listed = client.get("/api/v1/surveys", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200
    again = client.post(PAIR, json={"code": code})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "pairing_code_used"


def test_codes_are_forgiving_to_type(app, client):
    _id, code, _qr = enrol(app)
    typed = code.replace("-", " ").lower()
    assert client.post(PAIR, json={"code": typed}).status_code == 201


def test_codes_and_tokens_are_stored_only_as_hashes(app, client):
    device_id, code, _qr = enrol(app)
    token = client.post(PAIR, json={"code": code}).get_json()["token"]
    with app.app_context():
        device = db.session.get(Device, device_id)
        stored = " ".join(str(v) for v in (device.token_hash, device.used_code_hash,
                                            device.pairing_code_hash))
        assert token not in stored and code not in stored
        assert len(device.token_hash) == 64


def test_unknown_code_is_404_and_expired_code_is_409(app, client):
    response = client.post(PAIR, json={"code": "2345-6789"})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "pairing_code_unknown"
    assert client.post(PAIR, json={"code": "O0O0-I1I1"}).status_code == 404
    device_id, code, _qr = enrol(app)
    with app.app_context():
        db.session.get(Device, device_id).pairing_expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    expired = client.post(PAIR, json={"code": code})
    assert expired.status_code == 409
    assert expired.get_json()["error"]["code"] == "pairing_code_expired"


def test_pairing_body_is_validated(client):
    assert client.post(PAIR, json={}).status_code == 422
    assert client.post(PAIR, data="code=1").status_code == 415


def test_a_revoked_token_stops_working_on_the_next_request(app, client, demo):
    device_id, code, _qr = enrol(app)
    token = client.post(PAIR, json={"code": code}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/surveys", headers=headers).status_code == 200
    with app.app_context():
        revoke(db.session.get(Device, device_id))
    response = client.get("/api/v1/surveys", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_revoked"
    upload = client.post("/api/v1/submissions", json={"submissions": []}, headers=headers)
    assert upload.status_code == 401


def test_a_new_code_replaces_the_old_token(app, client, demo):
    device_id, code, _qr = enrol(app)
    old = client.post(PAIR, json={"code": code}).get_json()["token"]
    with app.app_context():
        fresh = new_pairing_code(db.session.get(Device, device_id)).code
    new = client.post(PAIR, json={"code": fresh}).get_json()["token"]
    assert client.get("/api/v1/surveys",
                      headers={"Authorization": f"Bearer {old}"}).status_code == 401
    assert client.get("/api/v1/surveys",
                      headers={"Authorization": f"Bearer {new}"}).status_code == 200


def test_bad_tokens_are_401_with_a_reason(client, demo):
    for header in ("Bearer nope", "Basic abc", "Bearer "):
        response = client.get("/api/v1/surveys", headers={"Authorization": header})
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "token_invalid"
    assert client.get("/api/v1/surveys").get_json()["error"]["code"] == "token_missing"
    response = client.get("/api/v1/surveys", headers={"X-Willay-Link": "closed"})
    assert response.get_json()["error"]["code"] == "link_invalid"


def test_guessing_codes_is_rate_limited(app_factory):
    app = app_factory(RATELIMIT_PAIRING="3 per minute")
    client = app.test_client()
    codes = [client.post(PAIR, json={"code": "2345-6789"}).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    last = client.post(PAIR, json={"code": "2345-6789"})
    assert last.get_json()["error"]["code"] == "rate_limited"
    assert "Retry-After" in last.headers


def test_enrolled_devices_are_listed_with_their_state(app):
    enrol(app, "A")
    with app.app_context():
        states = [d.state for d in db.session.scalars(select(Device))]
    assert states == ["waiting"]
