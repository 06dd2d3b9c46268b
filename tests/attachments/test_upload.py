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


def test_a_voice_note_larger_than_a_json_batch_is_accepted(app, client, device_headers):
    """Files have their own limit (15 MiB by default), above the 2 MiB batch limit."""
    assert app.config["WILLAY"]["MAX_ATTACHMENT_BYTES"] > app.config["MAX_CONTENT_LENGTH"]
    audio = b"OggS" + bytes(range(256)) * (3 * 1024 * 4)  # about 3 MiB
    assert len(audio) > app.config["MAX_CONTENT_LENGTH"]
    response = client.put(url(audio), data=audio, headers=device_headers,
                          content_type="audio/ogg")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["size"] == len(audio)


def test_a_held_file_is_only_acknowledged_for_its_real_bytes(client, device_headers):
    client.put(url(JPEG), data=JPEG, headers=device_headers, content_type="image/jpeg")
    probe = client.put(url(JPEG), data=b"", headers=device_headers, content_type="image/jpeg")
    assert probe.status_code == 422
    assert probe.get_json()["error"]["code"] == "hash_mismatch"


def test_uploads_through_a_public_link_are_rate_limited(app_factory):
    app = app_factory(RATELIMIT_PUBLIC_UPLOADS="2 per minute")
    from server.demo.loader import FEEDBACK, load_demo
    from server.surveys.services import get_survey, open_public_link

    with app.app_context():
        load_demo()
        link = open_public_link(get_survey(FEEDBACK))
    client = app.test_client()
    files = [bytes([n]) * 100 for n in range(3)]
    codes = [client.put(url(f), data=f, content_type="audio/ogg",
                        headers={"X-Willay-Link": link}).status_code for f in files]
    assert codes == [201, 201, 429]
