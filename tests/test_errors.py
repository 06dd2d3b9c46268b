"""Every API failure is JSON with a stable code; bad input is never a 500."""

from __future__ import annotations

import pytest

from server.extensions import db
from server.submissions.models import Submission

GARBAGE = [b"", b"null", b"[]", b"{}", b'{"submissions": null}', b'{"submissions": [null]}',
           b'{"submissions": [{"uuid": 5}]}', b'{"submissions": [{"answers": []}]}',
           b'{"submissions": [{"uuid": "00000000-0000-0000-0000-000000000000", '
           b'"survey": "moq-household", "version": 1, "answers": {"household_size": "x"}, '
           b'"meta": {"language": "es", "location": "here"}}]}',
           b'{"submissions": [{"uuid": "00000000-0000-0000-0000-000000000001", '
           b'"survey": "moq-household", "version": 1, "answers": {"district": ["180101"], '
           b'"water_problems": "tank", "health_minutes": 1e400}, '
           b'"meta": {"language": "es", "started_at": "yesterday"}}]}',
           "\u00ff\u00fe".encode("latin-1"), b'{"submissions": [' + b"[" * 200 + b"]" * 200 + b"]}",
           b"[" * 100_000 + b"]" * 100_000, b'{"submissions": [{"uuid": NaN}]}',
           b'{"submissions": [], "x": Infinity}']


@pytest.mark.parametrize("body", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_causes_a_500(app, client, demo, device_headers, body):
    response = client.post("/api/v1/submissions", data=body, headers=device_headers,
                           content_type="application/json")
    assert response.status_code in (200, 400, 413, 422), response.data
    body_json = response.get_json()
    if response.status_code == 200:
        assert all(r["outcome"] == "rejected" for r in body_json["results"])
    else:
        assert set(body_json["error"]) == {"code", "message", "details"}
    with app.app_context():
        assert db.session.query(Submission).count() == 0


def test_unknown_api_path_and_method_are_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    response = client.delete("/api/v1/submissions")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_pages_get_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_health_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_an_unexpected_error_is_a_json_500_and_the_session_is_rolled_back(app):
    @app.get("/api/v1/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal"


def test_every_response_carries_security_headers(client):
    for path in ("/", "/api/v1/places", "/api/v1/nothing", "/app/"):
        headers = client.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        # only the app's page may be framed, and only by our own pages (the console's
        # live preview of a survey)
        framed = "'self'" if path == "/app/" else "'none'"
        assert f"frame-ancestors {framed}" in headers["Content-Security-Policy"]
        assert headers["Referrer-Policy"] == "no-referrer"
