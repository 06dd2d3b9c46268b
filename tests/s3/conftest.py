"""Media in a bucket: a real S3-compatible server (moto's standalone server, a subprocess
for the session) and, for every test here, an app whose media store is a fresh bucket."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests
from live import free_port
from s3.bucket import Bucket

from server.extensions import db, limiter

MOTO = Path(sys.executable).parent / "moto_server"
START_SECONDS = 30
KEYS = {"S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing",
        "S3_REGION": "us-east-1"}
_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def s3_endpoint():
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(MOTO), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + START_SECONDS
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"moto_server exited with {proc.returncode}")
        try:
            requests.get(url, timeout=2)
            break
        except requests.RequestException as err:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"moto_server did not answer in {START_SECONDS} s") from err
            time.sleep(0.1)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture
def bucket(s3_endpoint):
    client = boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id="testing",
                          aws_secret_access_key="testing", region_name="us-east-1")
    made = Bucket(f"willay-{uuid.uuid4().hex[:12]}", client)
    client.create_bucket(Bucket=made.name)
    yield made
    for key in made.keys():
        client.delete_object(Bucket=made.name, Key=key)
    client.delete_bucket(Bucket=made.name)


@pytest.fixture
def s3_settings(s3_endpoint, bucket) -> dict:
    return {"MEDIA_URL": f"s3://{bucket.name}/media", "S3_ENDPOINT_URL": s3_endpoint, **KEYS}


@pytest.fixture
def app(app_factory, s3_settings):
    """Every test here stores media in its own bucket."""
    app = app_factory(**s3_settings)
    with app.app_context():
        limiter.reset()
    return app


@pytest.fixture
def coordinator(app):
    """A test client signed in to the console as a coordinator."""
    from server.users.services import create_user

    with app.app_context():
        create_user("coordinator@example.org", "Coordinadora", "coordinator", PASSWORD)
        db.session.remove()
    client = app.test_client()
    page = client.get("/console/sign-in", follow_redirects=True).get_data(as_text=True)
    response = client.post("/console/sign-in", data={
        "email": "coordinator@example.org", "password": PASSWORD,
        "csrf_token": _TOKEN.search(page).group(1)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client
