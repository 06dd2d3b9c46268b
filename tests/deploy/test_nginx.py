"""The repo's nginx configuration (deploy/), rendered for 127.0.0.1 with a certificate made
here, run by Debian's nginx in front of a real gunicorn of the app, spoken to over TLS and
HTTP/2 the way a phone would."""

from __future__ import annotations

import gzip
import hashlib
import re
import socket
import ssl
import threading
import time

import httpx
import pytest
import requests
from deploy.nginx_proxy import Nginx
from live import LiveServer

from server.demo.loader import load_demo
from server.extensions import db

pytestmark = pytest.mark.slow
ATTACHMENT_LIMIT = 1024 * 1024
VIDEO_LIMIT = 2 * 1024 * 1024
LIMITS = {"WILLAY_MAX_ATTACHMENT_BYTES": str(ATTACHMENT_LIMIT),
          "WILLAY_MAX_VIDEO_BYTES": str(VIDEO_LIMIT)}


@pytest.fixture
def stack(database_url, tmp_path, app):
    """gunicorn (one worker, four threads, the demo loaded) behind nginx; both stopped after."""
    with app.app_context():
        load_demo()
        db.session.remove()
    server = LiveServer(database_url, tmp_path / "live", workers=1)
    server.env.update({**LIMITS, "WILLAY_PROXY_HOPS": "1",
                       "WILLAY_RATELIMIT_PAIRING": "3 per minute"})
    server.start()
    proxy = Nginx([f"127.0.0.1:{server.port}"], environ=LIMITS)
    try:
        proxy.start()
        yield server, proxy
    finally:
        proxy.close()
        server.stop()


@pytest.fixture
def phone(stack):
    _server, proxy = stack
    with httpx.Client(base_url=proxy.url, http2=True, verify=False, timeout=20) as client:
        yield client


def enrol(server: LiveServer) -> str:
    return re.search(r"code (\S+)", server.willay("devices", "enrol", "Phone")).group(1)


def test_rendering_refuses_missing_or_unsafe_values():
    import subprocess
    import sys

    from deploy.nginx_proxy import RENDER

    def render(*args):
        return subprocess.run([sys.executable, str(RENDER), *args], capture_output=True,
                              text=True, timeout=30)

    base = ["--server-name", "w.example.org", "--cert", "/c.pem", "--key", "/k.pem"]
    assert "at least one --upstream" in render(*base).stderr
    assert "host:port" in render(*base, "--upstream", "x; evil").stderr
    done = render(*base, "--upstream", "10.0.0.1:8000", "--upstream", "10.0.0.2:8000")
    assert done.returncode == 0
    assert "${WILLAY" not in done.stdout and "$host" in done.stdout  # nginx's own stay
    assert "server 10.0.0.2:8000" in done.stdout
    assert "client_max_body_size 52224k;" in done.stdout  # 50 MiB videos + 1 MiB margin


def test_the_app_answers_over_https_and_http2(stack, phone):
    _server, proxy = stack
    health = phone.get("/healthz")
    assert health.http_version == "HTTP/2" and health.json()["status"] == "ok"
    assert "max-age=31536000" in health.headers["Strict-Transport-Security"]
    page = phone.get("/app/")
    assert page.status_code == 200 and '<div id="app"' in page.text
    plain = requests.get(f"http://127.0.0.1:{proxy.http_port}/app/", allow_redirects=False,
                         timeout=10)
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"https://127.0.0.1:{proxy.port}/app/"


def test_app_files_come_compressed_and_cached_for_a_year(stack, phone):
    server, _proxy = stack
    page = phone.get("/app/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert page.headers["Cache-Control"] == "no-cache"  # the page names the versions
    hashed = re.findall(r'(?:src|href)="(/?app/[^"]+\?v=[0-9a-f]+|[^"/][^"]*\?v=[0-9a-f]+)"',
                        page.text)
    assert any(url.startswith("app.js?v=") for url in hashed), hashed
    assert any(url.startswith("styles.css?v=") for url in hashed), hashed
    for url in ("app.js", "styles.css"):
        address = next(u for u in hashed if u.startswith(f"{url}?v="))
        raw = phone.get(f"/app/{address}", headers={"Accept-Encoding": "gzip"})
        assert raw.status_code == 200, address
        assert raw.headers["Content-Encoding"] == "gzip"
        assert raw.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        direct = requests.get(f"{server.url}/app/{url}", timeout=10).content
        assert raw.content == direct  # httpx decoded the gzip: the same bytes as the file
        assert int(raw.headers.get("Content-Length", len(gzip.compress(direct)))) < len(direct)
    worker = phone.get("/app/sw.js")
    assert worker.headers["Cache-Control"] == "no-cache"
    stale = phone.get("/app/app.js?v=000000000000")  # an old page during a rolling deploy
    assert stale.status_code == 200 and stale.headers["Cache-Control"] == "no-cache"


def test_api_answers_are_not_kept_and_revalidate_through_the_gzip(stack, phone):
    server, _proxy = stack
    paired = phone.post("/api/v1/devices/pair", json={"code": enrol(server)})
    assert paired.status_code == 201
    assert paired.headers["Cache-Control"] == "no-store"  # the token is in it
    auth = {"Authorization": f"Bearer {paired.json()['token']}"}
    surveys = phone.get("/api/v1/surveys", headers=auth)
    assert surveys.status_code == 200
    assert "private" in surveys.headers["Cache-Control"] and "public" not in \
        surveys.headers["Cache-Control"]
    places = phone.get("/api/v1/places/bulk/180000", headers={"Accept-Encoding": "gzip"})
    assert places.headers["Content-Encoding"] == "gzip"
    assert places.headers["Cache-Control"].startswith("private")
    tag = places.headers["ETag"]  # gzip made it weak: W/"..."
    again = phone.get("/api/v1/places/bulk/180000",
                      headers={"Accept-Encoding": "gzip", "If-None-Match": tag})
    assert again.status_code == 304  # a phone on 2G re-downloads nothing


def test_uploads_up_to_the_apps_limit_pass_and_the_app_refuses_beyond_it(stack, phone):
    server, proxy = stack
    token = phone.post("/api/v1/devices/pair", json={"code": enrol(server)}).json()["token"]
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg",
            "Accept-Language": "qu"}
    photo = (b"\xff\xd8" + bytes(range(256)) * (ATTACHMENT_LIMIT // 256))[:ATTACHMENT_LIMIT - 2]
    photo += b"\xff\xd9"
    sha = hashlib.sha256(photo).hexdigest()
    stored = phone.put(f"/api/v1/attachments/{sha}", content=photo, headers=auth)
    assert stored.status_code == 201, stored.text
    assert stored.json()["size"] == ATTACHMENT_LIMIT
    bigger = photo + b"x"
    refused = phone.put(f"/api/v1/attachments/{hashlib.sha256(bigger).hexdigest()}",
                        content=bigger, headers=auth)
    # the app's own answer (nginx lets bodies a little over the app's limits through)
    assert refused.status_code == 413
    assert refused.json()["error"]["code"] == "too_large"
    assert refused.headers["Content-Language"] == "qu"
    # far beyond anything the app accepts: nginx answers from the headers alone, before a
    # byte of the body travels (HTTP/1.1 here: the announced length is what it judges)
    huge = VIDEO_LIMIT + 2 * 1024 * 1024
    with _tls(proxy.port) as tls:
        tls.sendall(f"PUT /api/v1/attachments/{sha} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    f"Content-Type: image/jpeg\r\nContent-Length: {huge}\r\n"
                    f"Authorization: Bearer {token}\r\n\r\n".encode())
        assert tls.recv(4096).startswith(b"HTTP/1.1 413")


def _tls(port: int):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    raw = socket.create_connection(("127.0.0.1", port), timeout=30)
    return context.wrap_socket(raw, server_hostname="127.0.0.1")


def _slow_upload(port: int, seconds: float, started: threading.Event) -> None:
    """A phone on a bad link: headers, then the body a few bytes at a time."""
    body = b'{"code": "ABCD-EFGH"}'
    with _tls(port) as tls:
        tls.sendall(b"POST /api/v1/devices/pair HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: application/json\r\nContent-Length: "
                    + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n")
        started.set()
        for byte in range(len(body)):
            tls.sendall(body[byte:byte + 1])
            time.sleep(seconds / len(body))
        tls.recv(4096)


def test_slow_clients_are_held_by_nginx_not_by_gunicorn_threads(stack, phone):
    """Eight phones trickling their bodies for 4 s would take all four threads of a worker
    talking to them directly; through nginx, which reads bodies first, the app stays free."""
    _server, proxy = stack
    events = [threading.Event() for _ in range(8)]
    uploads = [threading.Thread(target=_slow_upload, args=(proxy.port, 4.0, e), daemon=True)
               for e in events]
    for thread in uploads:
        thread.start()
    for event in events:
        assert event.wait(10), "a slow upload never started"
    time.sleep(0.5)
    began = time.monotonic()
    assert phone.get("/healthz").status_code == 200
    assert time.monotonic() - began < 1.5
    for thread in uploads:
        thread.join(30)
        assert not thread.is_alive(), "a slow upload did not finish"


def test_the_app_trusts_the_address_nginx_saw_not_what_the_client_claims(stack, phone):
    """With WILLAY_PROXY_HOPS=1 the rate limits key on the address nginx put last in
    X-Forwarded-For: a client that sends its own header every time is still one client."""
    for attempt in range(4):
        spoofed = {"X-Forwarded-For": f"203.0.113.{attempt}", "X-Forwarded-Proto": "http"}
        answer = phone.post("/api/v1/devices/pair", json={"code": "NOPE-NOPE"},
                            headers=spoofed)
        if attempt < 3:
            assert answer.status_code == 404, answer.text
    assert answer.status_code == 429

