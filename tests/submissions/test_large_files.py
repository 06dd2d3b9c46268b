"""Video and document answers: their files have their own, larger size limit."""

from __future__ import annotations

import hashlib

from server.devices.services import enrol_device


def url(data: bytes) -> str:
    return f"/api/v1/attachments/{hashlib.sha256(data).hexdigest()}"


def test_videos_and_documents_use_the_video_limit(app_factory):
    app = app_factory(MAX_ATTACHMENT_BYTES=1000, MAX_VIDEO_BYTES=5000)
    client = app.test_client()
    with app.app_context():
        code = enrol_device("x").code
    token = client.post("/api/v1/devices/pair", json={"code": code}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    clip = b"\x00\x00\x00\x18ftypmp42" + b"v" * 3000
    assert client.put(url(clip), data=clip, headers=headers,
                      content_type="video/mp4").status_code == 201
    pdf = b"%PDF-1.4" + b"d" * 3000
    assert client.put(url(pdf), data=pdf, headers=headers,
                      content_type="application/pdf").status_code == 201
    photo = b"\xff\xd8\xff" + b"p" * 3000  # the same size as a photo is too large
    response = client.put(url(photo), data=photo, headers=headers, content_type="image/jpeg")
    assert response.status_code == 413
    huge = b"\x00\x00\x00\x18ftypmp42" + b"v" * 6000
    response = client.put(url(huge), data=huge, headers=headers, content_type="video/mp4")
    assert response.status_code == 413
    assert response.get_json()["error"]["details"]["max_bytes"] == 5000
    page = b"<script>alert(1)</script>"
    assert client.put(url(page), data=page, headers=headers,
                      content_type="text/html").status_code == 415
