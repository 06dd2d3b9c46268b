"""PUT /api/v1/attachments/<sha256>: idempotent, hash-checked, size-limited."""

from __future__ import annotations

import hashlib

from helpers import household_item

from server.devices.services import enrol_device

JPEG = b"\xff\xd8\xff\xe0" + b"water tank photo" * 100


def url(data: bytes) -> str:
    return f"/api/v1/attachments/{hashlib.sha256(data).hexdigest()}"


def test_upload_is_stored_once_and_resending_is_harmless(app, client, device_headers):
    first = client.put(url(JPEG), data=JPEG, headers=device_headers, content_type="image/jpeg")
    assert first.status_code == 201
    assert first.get_json()["size"] == len(JPEG)
    again = client.put(url(JPEG), data=JPEG, headers=device_headers, content_type="image/jpeg")
    assert again.status_code == 200 and again.get_json()["created"] is False
    sha = hashlib.sha256(JPEG).hexdigest()
    stored = app.config["WILLAY"]["MEDIA_DIR"] + f"/{sha[:2]}/{sha[2:4]}/{sha}"
    with open(stored, "rb") as handle:
        assert handle.read() == JPEG


def test_a_damaged_file_is_refused_and_not_kept(app, client, device_headers):
    response = client.put(url(JPEG), data=JPEG[:-1], headers=device_headers,
                          content_type="image/jpeg")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "hash_mismatch"
    retry = client.put(url(JPEG), data=JPEG, headers=device_headers, content_type="image/jpeg")
    assert retry.status_code == 201


def test_too_large_wrong_type_bad_hash_and_no_token(app_factory):
    app = app_factory(MAX_ATTACHMENT_BYTES=1000)
    client = app.test_client()
    with app.app_context():
        code = enrol_device("x").code
    token = client.post("/api/v1/devices/pair", json={"code": code}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    big = b"\xff" * 1001
    response = client.put(url(big), data=big, headers=headers, content_type="image/jpeg")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    small = b"small"
    response = client.put(url(small), data=small, headers=headers, content_type="text/html")
    assert response.status_code == 415
    response = client.put("/api/v1/attachments/XYZ", data=small, headers=headers,
                          content_type="image/png")
    assert response.status_code == 400
    assert client.put(url(small), data=small, content_type="image/png").status_code == 401


def test_missing_attachment_clears_once_uploaded(client, demo, device_headers):
    sha = hashlib.sha256(JPEG).hexdigest()
    item = household_item(answers={"water_problems": ["tank"], "problem_photo": sha},
                          attachments=[sha])
    result = client.post("/api/v1/submissions", json={"submissions": [item]},
                         headers=device_headers).get_json()["results"][0]
    assert result["missing_attachments"] == [sha]
    status = client.post("/api/v1/submissions/status", json={"uuids": [item["uuid"]]},
                         headers=device_headers).get_json()["submissions"][0]
    assert status["missing_attachments"] == [sha]
    client.put(url(JPEG), data=JPEG, headers=device_headers, content_type="image/jpeg")
    status = client.post("/api/v1/submissions/status", json={"uuids": [item["uuid"]]},
                         headers=device_headers).get_json()["submissions"][0]
    assert status["missing_attachments"] == []
    replay = client.post("/api/v1/submissions", json={"submissions": [item]},
                         headers=device_headers).get_json()["results"][0]
    assert replay["outcome"] == "duplicate" and replay["missing_attachments"] == []
