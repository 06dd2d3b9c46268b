"""Photos and recordings in a bucket: the phone's upload (replay, damage, size limits), the
console viewing them, the ZIP export reading them, and a bucket that cannot be reached."""

from __future__ import annotations

import io
import zipfile

from helpers import household_item
from s3.bucket import media_key, put_file, send, sha_of

from server.attachments.services import media_store
from server.devices.services import enrol_device

JPEG = b"\xff\xd8\xff\xe0" + b"unfinished water tank in Omate" * 200
VOICE = b"OggS" + b"yaku mana chayamunchu" * 300


def pair(app):
    client = app.test_client()
    with app.app_context():
        code = enrol_device("Phone", "Rosa").code
    token = client.post("/api/v1/devices/pair", json={"code": code}).get_json()["token"]
    return client, {"Authorization": f"Bearer {token}"}


def test_an_upload_lands_in_the_bucket_once_and_a_replay_is_harmless(client, device_headers,
                                                                     bucket):
    first = put_file(client, device_headers, JPEG)
    assert first.status_code == 201 and first.get_json()["size"] == len(JPEG)
    sha = sha_of(JPEG)
    assert bucket.keys() == [media_key(sha)]
    assert bucket.get(media_key(sha)) == JPEG
    again = put_file(client, device_headers, JPEG)
    assert again.status_code == 200 and again.get_json()["created"] is False
    assert bucket.keys() == [media_key(sha)] and bucket.get(media_key(sha)) == JPEG


def test_damaged_bytes_never_reach_a_real_key(client, device_headers, bucket):
    damaged = client.put(f"/api/v1/attachments/{sha_of(JPEG)}", data=JPEG[:-1],
                         headers=device_headers, content_type="image/jpeg")
    assert damaged.status_code == 422
    assert damaged.get_json()["error"]["code"] == "hash_mismatch"
    assert bucket.keys() == []  # nothing: no temporary object, nothing under the hash
    assert put_file(client, device_headers, JPEG).status_code == 201  # the phone's retry
    assert bucket.get(media_key(sha_of(JPEG))) == JPEG


def test_the_size_limit_is_inclusive(app_factory, s3_settings, bucket):
    app = app_factory(MAX_ATTACHMENT_BYTES=1000, **s3_settings)
    client, headers = pair(app)
    exact = b"\xff\xd8" + b"x" * 998
    assert put_file(client, headers, exact).status_code == 201
    over = b"\xff\xd8" + b"y" * 999
    response = client.put(f"/api/v1/attachments/{sha_of(over)}", data=over, headers=headers,
                          content_type="image/jpeg")
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "too_large"
    assert bucket.keys() == [media_key(sha_of(exact))]


def test_a_submission_with_a_photo_in_the_bucket_is_complete(client, demo, device_headers):
    sha = put_file(client, device_headers, JPEG).get_json()["sha256"]
    item = household_item(answers={"water_problems": ["tank"], "problem_photo": sha},
                          attachments=[sha])
    result = send(client, device_headers, item)
    assert result["outcome"] == "stored" and result["missing_attachments"] == []


def interview(app, client, headers) -> dict:
    photo = put_file(client, headers, JPEG).get_json()["sha256"]
    voice = put_file(client, headers, VOICE, "audio/ogg").get_json()["sha256"]
    item = household_item(answers={
        "district": "180201", "community": "Omate", "water_problems": ["tank"],
        "problem_photo": photo, "voice_note": voice}, attachments=[photo, voice])
    assert send(client, headers, item)["outcome"] == "stored"
    return {"photo": photo, "voice": voice}


def test_the_console_shows_a_photo_and_seeks_a_voice_note_from_the_bucket(
        app, client, demo, device_headers, coordinator):
    files = interview(app, client, device_headers)
    photo = coordinator.get(f"/console/media/{files['photo']}")
    assert photo.status_code == 200 and photo.data == JPEG
    assert photo.mimetype == "image/jpeg"
    assert "private" in photo.headers["Cache-Control"]
    assert photo.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    again = coordinator.get(f"/console/media/{files['photo']}",
                            headers={"If-None-Match": f'"{files["photo"]}"'})
    assert again.status_code == 304
    part = coordinator.get(f"/console/media/{files['voice']}", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == VOICE[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(VOICE)}"
    tail = coordinator.get(f"/console/media/{files['voice']}", headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.data == VOICE[-10:]


def test_a_photo_gone_from_the_bucket_is_not_found_not_an_error(app, client, demo,
                                                                device_headers, coordinator,
                                                                bucket):
    files = interview(app, client, device_headers)
    bucket.client.delete_object(Bucket=bucket.name, Key=media_key(files["photo"]))
    assert coordinator.get(f"/console/media/{files['photo']}").status_code == 404


def test_the_zip_export_reads_the_media_from_the_bucket(app, client, demo, device_headers,
                                                        runner, tmp_path, bucket):
    files = interview(app, client, device_headers)
    target = tmp_path / "export.zip"
    result = runner.invoke(args=["export", "--survey", "moq-household", "--media",
                                 "--output", str(target)])
    assert result.exit_code == 0, result.output
    archive = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
    assert archive.read(f"media/{files['photo']}.jpg") == JPEG
    voice_name = next(n for n in archive.namelist() if files["voice"] in n)
    assert archive.read(voice_name) == VOICE
    assert archive.testzip() is None
    # a file missing from the bucket is left out; the export still completes
    bucket.client.delete_object(Bucket=bucket.name, Key=media_key(files["voice"]))
    result = runner.invoke(args=["export", "--survey", "moq-household", "--media",
                                 "--output", str(target)])
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(io.BytesIO(target.read_bytes())).namelist()
    assert f"media/{files['photo']}.jpg" in names
    assert not any(files["voice"] in n for n in names)


def test_an_unreachable_bucket_is_a_retry_later_for_the_phone(app_factory, s3_settings, demo):
    from live import free_port

    app = app_factory(**{**s3_settings, "S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"})
    client, headers = pair(app)
    response = client.put(f"/api/v1/attachments/{sha_of(JPEG)}", data=JPEG, headers={
        **headers, "Accept-Language": "es-PE"}, content_type="image/jpeg")
    assert response.status_code == 503
    body = response.get_json()["error"]
    assert body["code"] == "storage_unavailable" and body["message"]
    assert response.headers["Retry-After"] == "30"
    with app.app_context():
        assert media_store().describe().startswith("bucket s3://")


def test_the_store_reads_what_it_wrote(app):
    """The store's own promises, on the bucket: open/seek, size, listing, delete."""
    with app.app_context():
        store = media_store()
        sha = sha_of(VOICE)
        assert store.save(sha, io.BytesIO(VOICE), len(VOICE)) == len(VOICE)
        assert store.exists(sha) and store.size(sha) == len(VOICE)
        with store.open(sha) as stored:
            assert stored.size == len(VOICE) and stored.read(4) == b"OggS"
            stored.seek(len(VOICE) - 5)
            assert stored.read() == VOICE[-5:]
        assert [h for h, _ in store.iter_hashes()] == [sha]
        store.delete(sha)
        store.delete(sha)  # twice is fine
        assert not store.exists(sha) and list(store.iter_hashes()) == []
