"""A live gunicorn storing media in the bucket is killed (no graceful stop: the machine is
gone) while a phone's photo is half uploaded. Nothing is left under the photo's key, and
the phone's retry after the restart stores it whole."""

from __future__ import annotations

import socket
import time

import psutil
import pytest
import requests
from helpers import household_item
from s3.bucket import media_key, sha_of

from server.demo.loader import load_demo
from server.devices.services import enrol_device
from server.extensions import db

PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 12_000  # ~3 MB: spooled to disk
TIMEOUT = 30


@pytest.fixture
def bucket_server(app, database_url, tmp_path, s3_settings):
    from live import LiveServer

    server = LiveServer(database_url, tmp_path / "live")
    server.env.update({f"WILLAY_{name}": value for name, value in s3_settings.items()})
    with app.app_context():
        load_demo()
        db.session.remove()
    server.start()
    yield server
    server.stop()


def kill_everything(server) -> None:
    """Every worker holds the listening socket too: the port is free only once all of them
    are gone, which the restart on the same port needs."""
    master = psutil.Process(server.proc.pid)
    everyone = [*master.children(recursive=True), master]
    for process in everyone:
        process.kill()
    _gone, alive = psutil.wait_procs(everyone, timeout=TIMEOUT)
    assert alive == [], f"still running after kill: {alive}"
    server.proc.wait(TIMEOUT)
    server.proc = None
    deadline = time.monotonic() + TIMEOUT
    while True:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", server.port))
                return
            except OSError:
                assert time.monotonic() < deadline, f"port {server.port} still taken"
                time.sleep(0.1)


def test_a_server_killed_mid_upload_leaves_nothing_and_the_retry_succeeds(
        app, bucket_server, bucket):
    with app.app_context():
        code = enrol_device("Phone", "Rosa").code
    token = requests.post(f"{bucket_server.url}/api/v1/devices/pair", json={"code": code},
                          timeout=TIMEOUT).json()["token"]
    sha = sha_of(PHOTO)
    upload = socket.create_connection(("127.0.0.1", bucket_server.port), timeout=TIMEOUT)
    upload.sendall(
        (f"PUT /api/v1/attachments/{sha} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
         f"Authorization: Bearer {token}\r\nContent-Type: image/jpeg\r\n"
         f"Content-Length: {len(PHOTO)}\r\n\r\n").encode() + PHOTO[:len(PHOTO) // 2])
    time.sleep(1)  # the worker is spooling the first half
    kill_everything(bucket_server)
    upload.close()
    assert bucket.keys() == []

    bucket_server.start()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg"}
    retry = requests.put(f"{bucket_server.url}/api/v1/attachments/{sha}", data=PHOTO,
                         headers=headers, timeout=TIMEOUT)
    assert retry.status_code == 201, retry.text
    assert bucket.keys() == [media_key(sha)] and bucket.get(media_key(sha)) == PHOTO
    item = household_item(answers={"water_problems": ["tank"], "problem_photo": sha},
                          attachments=[sha])
    result = requests.post(f"{bucket_server.url}/api/v1/submissions",
                           json={"submissions": [item]},
                           headers={"Authorization": f"Bearer {token}"},
                           timeout=TIMEOUT).json()["results"][0]
    assert result["outcome"] == "stored" and result["missing_attachments"] == []
