"""Role × route authorization for the whole console, read from the app's URL map, so a route
added by anyone is checked without touching this file.

The table below is this test's own copy of the policy: changing who may do what means
changing it here too, on purpose."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select

from server.console.access import PERMISSIONS
from server.extensions import db
from tests.helpers import feedback_item, household_item

ALL = frozenset({"admin", "coordinator", "viewer"})
STAFF = frozenset({"admin", "coordinator"})
ADMIN = frozenset({"admin"})
POLICY: dict[str, frozenset[str]] = {
    "dashboard": ALL, "plans_view": ALL,
    "plans_edit": STAFF, "surveys": STAFF, "submissions": STAFF, "review": STAFF,
    "export": STAFF, "personal": STAFF, "publish": STAFF,
    "devices": ADMIN, "users": ADMIN, "audit": ADMIN, "maintenance": ADMIN,
}
PUBLIC = {"console.sign_in", "console.sign_out", "console.language"}
ROLES = ("admin", "coordinator", "viewer", None)

PHONE = "951234567"
COMMENT = "El tanque de Yacango sigue sin agua"
DUMMY_INT = 987654


def console_routes(app) -> list[tuple[str, str, object]]:
    """(endpoint, method, rule) for every console route."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("console."):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method, rule))
    return sorted(found, key=lambda item: (item[2].rule, item[1]))


def permission_of(app, endpoint: str) -> str | None:
    return getattr(app.view_functions[endpoint], "willay_permission", None)


@pytest.fixture
def world(app, client, demo, users, device_headers, link_headers):
    """Real things for URL parameters: a user, a device, submissions with personal data."""
    from server.devices.models import Device
    from server.submissions.models import Submission
    from server.users.models import User

    feedback = feedback_item(answers={**feedback_item()["answers"], "consent": "yes",
                                      "phone": PHONE, "comment": COMMENT})
    sent = client.post("/api/v1/submissions", json={"submissions": [feedback]},
                       headers=link_headers)
    assert sent.status_code in (200, 207), sent.get_json()
    household = household_item()
    household["meta"]["location"] = {"lat": -17.123456, "lon": -70.654321, "accuracy": 5.0}
    sent = client.post("/api/v1/submissions", json={"submissions": [household]},
                       headers=device_headers)
    assert sent.status_code in (200, 207), sent.get_json()
    with app.app_context():
        return {
            "user_id": db.session.scalar(select(User.id).where(User.email == users["viewer"])),
            "device_id": db.session.scalar(select(Device.id).order_by(Device.id)),
            "submission_id": db.session.scalar(select(Submission.id).where(
                Submission.uuid == uuid.UUID(feedback["uuid"]))),
            ("plans", "code"): "PDRC-MOQ-2033",
            ("plans", "project_code"): "MOQ-AGU-001",
            ("plans", "theme_code"): "services",
            ("commitments", "code"): "CAJ-C01",  # the Cajamarca demo's
            ("actors", "code"): "gore-cajamarca",
            ("surveys", "code"): "moq-feedback",
            "number": 1,
        }


def build_url(app, rule, world: dict) -> str:
    section = rule.rule.split("/")[2] if rule.rule.count("/") > 1 else ""
    values = {}
    for name, converter in rule._converters.items():
        if (section, name) in world:
            values[name] = world[(section, name)]
        elif name in world:
            values[name] = world[name]
        elif type(converter).__name__ == "IntegerConverter":
            values[name] = DUMMY_INT
        elif type(converter).__name__ == "UUIDConverter":
            values[name] = uuid.uuid4()
        else:
            values[name] = "0" * 64
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {table.name: db.session.scalar(select(func.count()).select_from(table))
                for table in db.metadata.sorted_tables}


def test_every_console_route_is_guarded_or_explicitly_public(app):
    routes = console_routes(app)
    assert len(routes) > 10
    unguarded = sorted({endpoint for endpoint, _m, _r in routes
                        if endpoint not in PUBLIC and permission_of(app, endpoint) is None})
    assert unguarded == [], "console routes without @requires(...) and not public"
    unknown = {permission_of(app, e) for e, _m, _r in routes} - set(POLICY) - {None}
    assert unknown == set()
    assert {k: set(v) for k, v in PERMISSIONS.items()} == {k: set(v) for k, v in POLICY.items()}


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_role_by_route(app, console_as, world, role):
    console = console_as(role)
    problems: list[str] = []
    for endpoint, method, rule in console_routes(app):
        if endpoint in PUBLIC:
            continue
        url = build_url(app, rule, world)
        allowed = role is not None and role in POLICY[permission_of(app, endpoint)]
        response = console.get(url) if method == "GET" else console.post(url, {})
        status = response.status_code
        response.get_data()
        response.close()  # a streamed answer (an export) ends its request context here
        where = f"{role or 'anonymous'} {method} {url} -> {status}"
        if role is None:
            if method == "GET":
                if status != 302 or "/console/sign-in" not in response.headers["Location"]:
                    problems.append(where + " (expected a redirect to sign-in)")
            else:
                if status not in (302, 400, 401):
                    problems.append(where + " (expected 302/400/401)")
                bare = console.post(url, {}, csrf=False).status_code  # no token at all
                if bare not in (302, 400, 401):
                    problems.append(where + f" without token -> {bare}")
        elif not allowed:
            if status != 403:
                problems.append(where + " (expected 403)")
        elif status == 403 or status >= 500:
            problems.append(where + " (expected access)")
    assert problems == []


@pytest.mark.parametrize("role", ("coordinator", "viewer", None),
                         ids=lambda r: r or "anonymous")
def test_refused_requests_change_nothing(app, console_as, world, role):
    """Every POST a role may not make, with a valid form token: not one row changes."""
    console = console_as(role)
    posts = [(e, r) for e, m, r in console_routes(app) if m == "POST" and e not in PUBLIC
             and (role is None or role not in POLICY[permission_of(app, e)])]
    assert posts
    before = row_counts(app)
    for _endpoint, rule in posts:
        url = build_url(app, rule, world)
        console.post(url, {"active": "0", "role": "admin", "name": "X", "label": "X",
                           "password": "long-enough-pw", "confirm": "long-enough-pw",
                           "status": "spam", "comment": "x", "text": "x"})
    assert row_counts(app) == before


def _viewer_pages(app, world) -> list[str]:
    return [build_url(app, rule, world) for endpoint, method, rule in console_routes(app)
            if method == "GET" and endpoint not in PUBLIC
            and "viewer" in POLICY[permission_of(app, endpoint)]]


def test_a_viewer_never_sees_personal_data_or_exports(app, console_as, world):
    viewer = console_as("viewer")
    pages = _viewer_pages(app, world)
    assert "/console/" in pages
    for url in pages:
        response = viewer.get(url)
        assert response.status_code in (200, 404), url
        page = response.get_data(as_text=True)
        assert PHONE not in page, url
        assert COMMENT not in page, url
        assert "-17.1234" not in page and "-70.6543" not in page, url
        links = re.findall(r'(?:href|action)="([^"]*)"', page)
        assert not [link for link in links if "export" in link.lower()], url
        assert not [link for link in links if "/console/submissions" in link], url


def test_the_same_pages_do_show_data_to_staff(app, console_as, world):
    """The viewer check above can fail: a coordinator does see the resident's words."""
    coordinator = console_as("coordinator")
    page = coordinator.get(f"/console/submissions/{world['submission_id']}").get_data(
        as_text=True)
    assert COMMENT in page
