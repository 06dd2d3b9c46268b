"""Webhooks are taken only when signed by our gateway with a fresh timestamp."""

from __future__ import annotations

import json
import time

from sms.resident_phone import GENERIC_SECRET, RESIDENT, signed
from sqlalchemy import func, select

from server.extensions import db
from server.sms.generic import signed_headers
from server.sms.models import SmsInbound


def _stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SmsInbound))


def test_a_signed_fresh_webhook_is_taken(sms_app, resident):
    body = resident.event("OPINION")
    response = resident.client.post("/sms/webhook/android", data=body, headers=signed(body))
    assert response.status_code == 200
    assert response.get_json()["stored"] == 1
    assert _stored(sms_app) == 1


def test_a_wrong_signature_is_refused_and_nothing_stored(sms_app, resident):
    body = resident.event("OPINION")
    for headers in (signed(body, key="another-key"), {"X-Timestamp": str(int(time.time()))},
                    {}, {**signed(body), "X-Signature": "00" * 32}):
        response = resident.client.post("/sms/webhook/android", data=body, headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "signature_invalid"
    # the signature covers the body: the same headers on another text do not pass
    other = resident.event("STOP")
    response = resident.client.post("/sms/webhook/android", data=other, headers=signed(body))
    assert response.status_code == 401
    assert _stored(sms_app) == 0


def test_a_stale_or_future_timestamp_is_refused(sms_app, resident):
    body = resident.event("OPINION")
    for at in (int(time.time()) - 301, int(time.time()) + 301):
        response = resident.client.post("/sms/webhook/android", data=body,
                                        headers=signed(body, at=at))
        assert response.status_code == 401
    assert _stored(sms_app) == 0


def test_other_gateway_events_are_acknowledged_without_effect(sms_app, resident):
    body = json.dumps({"event": "sms:delivered", "id": "e1", "payload": {
        "messageId": "x", "phoneNumber": RESIDENT, "deliveredAt": "2026-12-01T10:00:00-05:00"
    }}).encode()
    response = resident.client.post("/sms/webhook/android", data=body, headers=signed(body))
    assert response.status_code == 200 and response.get_json()["stored"] == 0


def test_a_signed_but_malformed_webhook_is_a_clear_422(sms_app, resident):
    body = b'{"event": "sms:received", "id": "e2", "payload": {"message": 5}}'
    response = resident.client.post("/sms/webhook/android", data=body, headers=signed(body))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"
    body = b"not json"
    response = resident.client.post("/sms/webhook/android", data=body, headers=signed(body))
    assert response.status_code == 422


def test_the_generic_provider_webhook_checks_its_shared_secret(sms_app, sms_survey, phone):
    client = sms_app.test_client()
    body = json.dumps({"id": "prov-1", "from": "951234567", "text": "OPINION",
                       "received_at": "2026-12-02T10:00:00-05:00"}).encode()
    bad = client.post("/sms/webhook/generic", data=body,
                      headers=signed_headers("wrong-secret", body))
    assert bad.status_code == 401
    stale = client.post("/sms/webhook/generic", data=body,
                        headers=signed_headers(GENERIC_SECRET, body, now=time.time() - 600))
    assert stale.status_code == 401
    good = client.post("/sms/webhook/generic", data=body,
                       headers=signed_headers(GENERIC_SECRET, body))
    assert good.status_code == 200 and good.get_json()["stored"] == 1
    # the number was written without +51: it is the same resident as the android gateway's
    assert "¿Sobre qué tema" in phone.texts(RESIDENT)[-1]


def test_an_unknown_channel_is_not_found(sms_app):
    response = sms_app.test_client().post("/sms/webhook/whatsapp", data=b"{}")
    assert response.status_code == 404
