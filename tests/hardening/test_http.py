"""HTTP details a client relies on: size limits are inclusive and the same with or without
Content-Length (checked against a real gunicorn, which ends request streams itself), 405
says which methods exist, the OpenAPI document lists the errors pairing and status really
give, empty query parameters count as absent, and identifiers never pass with a trailing
newline."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
import requests
from helpers import household_item
from live import LiveServer

LIMIT = 4096


@pytest.fixture
def small_limits_server(database_url, tmp_path, app):
    """gunicorn on the test database with small limits, and a paired device's headers."""
    server = LiveServer(database_url, tmp_path / "live")
    server.env.update({"WILLAY_MAX_ATTACHMENT_BYTES": str(LIMIT),
                       "WILLAY_MAX_BATCH_BYTES": str(LIMIT)})
    server.willay("setup", "--no-samples")
    code = re.search(r"code (\S+)", server.willay("devices", "enrol", "Phone")).group(1)
    server.start()
    try:
        token = requests.post(f"{server.url}/api/v1/devices/pair", json={"code": code},
                              timeout=10).json()["token"]
        yield server, {"Authorization": f"Bearer {token}"}
    finally:
        server.stop()


def chunks(data: bytes):
    """A body sent with Transfer-Encoding: chunked (no Content-Length)."""
    yield data[: len(data) // 2]
    yield data[len(data) // 2:]


def put(server, headers, data: bytes, *, chunked: bool = False) -> requests.Response:
    sha = hashlib.sha256(data).hexdigest()
    return requests.put(f"{server.url}/api/v1/attachments/{sha}",
                        data=chunks(data) if chunked else data, timeout=30,
                        headers={**headers, "Content-Type": "image/jpeg"})


def json_of_size(size: int) -> bytes:
    """A batch of no submissions, padded with spaces to exactly `size` bytes."""
    body = json.dumps({"submissions": []}).encode()
    return body + b" " * (size - len(body))


def post_batch(server, headers, body: bytes, *, chunked: bool = False) -> requests.Response:
    return requests.post(f"{server.url}/api/v1/submissions", timeout=30,
                         data=chunks(body) if chunked else body,
                         headers={**headers, "Content-Type": "application/json"})


def test_size_limits_are_inclusive_and_alike_with_or_without_content_length(
        small_limits_server):
    server, headers = small_limits_server
    for chunked in (False, True):
        exact = put(server, headers, bytes([chunked]) * LIMIT, chunked=chunked)
        assert exact.status_code == 201, (chunked, exact.text)
        over = put(server, headers, b"o" * (LIMIT + 1) + bytes([chunked]), chunked=chunked)
        assert over.status_code == 413 and over.json()["error"]["code"] == "too_large"
        assert over.json()["error"]["details"]["max_bytes"] == LIMIT

        assert post_batch(server, headers, json_of_size(LIMIT), chunked=chunked).json() == {
            "results": []}
        too_big = post_batch(server, headers, json_of_size(LIMIT + 1), chunked=chunked)
        assert too_big.status_code == 413, (chunked, too_big.text)
        assert too_big.json()["error"]["code"] == "too_large"
        assert too_big.json()["error"]["details"]["max_bytes"] == LIMIT


@pytest.mark.parametrize(("method", "url", "allowed"), [
    ("delete", "/api/v1/submissions", {"POST"}),
    ("put", "/api/v1/places", {"GET", "HEAD"}),
    ("get", "/console/sign-out", {"POST"}),
])
def test_405_says_which_methods_exist(client, method, url, allowed):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}
    if url.startswith("/api/"):
        assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_openapi_lists_the_errors_pairing_and_status_really_give(client, device_headers):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    seen = {
        "/devices/pair": {
            client.post("/api/v1/devices/pair", data="{", content_type="application/json"),
            client.post("/api/v1/devices/pair", data="code", content_type="text/plain")},
        "/submissions/status": {
            client.post("/api/v1/submissions/status", data="[", headers=device_headers,
                        content_type="application/json"),
            client.post("/api/v1/submissions/status", data="x", headers=device_headers,
                        content_type="text/plain")},
    }
    for path, responses in seen.items():
        statuses = {str(r.status_code) for r in responses}
        assert statuses == {"400", "415"}
        assert statuses <= set(paths[path]["post"]["responses"]), path
        assert "413" in paths[path]["post"]["responses"]


@pytest.mark.parametrize("query", ["?q=&parent=&level=&limit=", "?q=", "?level=", "?limit="])
def test_empty_place_filters_are_the_same_as_none(client, query):
    plain = client.get("/api/v1/places")
    response = client.get("/api/v1/places" + query)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == plain.get_json()


def test_an_empty_parent_beside_a_search_is_ignored(client):
    response = client.get("/api/v1/places?q=ichuna&parent=&level=district")
    assert response.status_code == 200
    assert response.get_json()["places"][0]["ubigeo"] == "180204"


def test_a_hash_with_a_trailing_newline_is_not_a_hash(client, device_headers):
    data = b"\xff\xd8photo"
    sha = hashlib.sha256(data).hexdigest()
    response = client.put(f"/api/v1/attachments/{sha}%0A", data=data, headers=device_headers,
                          content_type="image/jpeg")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "malformed"


def test_a_listed_attachment_with_a_trailing_newline_rejects_the_item(client, demo,
                                                                       device_headers):
    item = household_item(attachments=["a" * 64 + "\n"])
    result = client.post("/api/v1/submissions", json={"submissions": [item]},
                         headers=device_headers).get_json()["results"][0]
    assert result["outcome"] == "rejected" and any(
        key.startswith("attachments") for key in result["errors"])


def test_a_ubigeo_with_a_trailing_newline_is_refused_by_the_schema(client, demo,
                                                                   device_headers):
    item = household_item()
    item["meta"]["district"] = "180101\n"
    result = client.post("/api/v1/submissions", json={"submissions": [item]},
                         headers=device_headers).get_json()["results"][0]
    assert result["outcome"] == "rejected"
    assert result["errors"]["meta"] == {"district": ["Escribe un ubigeo de 6 dígitos."]}


def test_an_instance_name_ending_in_a_line_break_is_refused_like_other_control_characters(
        client, demo, device_headers):
    item = household_item()
    item["meta"]["instance_name"] = "Quispe — Carumas\n"
    result = client.post("/api/v1/submissions", json={"submissions": [item]},
                         headers=device_headers).get_json()["results"][0]
    assert result["outcome"] == "rejected"
    assert result["errors"]["meta"] == {"instance_name": ["Quita los caracteres de control."]}
