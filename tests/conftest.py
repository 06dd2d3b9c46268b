"""Fixtures: a migrated database per session (SQLite, or PostgreSQL when
WILLAY_TEST_DATABASE_URL is set), a fresh app per test, and API helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import snapshot
from flask_migrate import upgrade
from helpers import CHROMIUM, CHROMIUM_ARGS, MEDIA_ARGS
from hypothesis import settings
from testapp import clean, make_app, reset_postgres

from server.extensions import db, limiter

REPO = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("WILLAY_TEST_DATABASE_URL")


SLOW_TEST_SECONDS = 900  # every other test has pyproject's `timeout` (300 s)


def pytest_collection_modifyitems(items):
    """Tests marked slow get a longer limit; an explicit @pytest.mark.timeout wins. A stuck
    browser or server fails its own test (pytest-timeout's signal method) with a stack trace
    instead of stalling the run."""
    for item in items:
        if item.get_closest_marker("slow") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(SLOW_TEST_SECONDS))


# property tests: quick in CI; HYPOTHESIS_PROFILE=thorough for a long local hunt
settings.register_profile("ci", max_examples=150, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def media_browser(playwright):
    """Chromium whose camera and microphone are fake streams (for photo and voice notes)."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                         args=CHROMIUM_ARGS + MEDIA_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium for every browser test (pytest-playwright)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if PG_URL:
        reset_postgres(PG_URL)
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'willay-test.sqlite3'}"
    app = make_app(url, tmp_path_factory.mktemp("setup"))
    with app.app_context():
        upgrade()
        from server.places.loader import load_places

        load_places()
        db.engine.dispose()
    return url


@pytest.fixture
def app_factory(database_url, tmp_path):
    """Build an app with extra WILLAY settings (e.g. small limits) on the test database."""
    made = []

    def build(**willay):
        app = make_app(database_url, tmp_path, **willay)
        made.append(app)
        return app

    yield build
    for app in made:
        clean(app)


@pytest.fixture
def app(app_factory):
    app = app_factory()
    with app.app_context():
        limiter.reset()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo(app):
    """The Moquegua demo: plan, household survey (promoters), feedback form (public link)."""
    from server.demo.loader import FEEDBACK, load_demo
    from server.surveys.services import get_survey, open_public_link

    with app.app_context():
        snapshot.load(app, "demo", load_demo)  # built once per process, then copied back
        return {"link": open_public_link(get_survey(FEEDBACK))}


@pytest.fixture
def device_token(app, client):
    """A paired promoter device's bearer token."""
    from server.devices.services import enrol_device

    with app.app_context():
        code = enrol_device("Test phone", "Rosa").code
    response = client.post("/api/v1/devices/pair", json={"code": code})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


@pytest.fixture
def device_headers(device_token):
    return {"Authorization": f"Bearer {device_token}"}


@pytest.fixture
def link_headers(demo):
    return {"X-Willay-Link": demo["link"]}


@pytest.fixture
def live_server(database_url, tmp_path, app):
    """gunicorn on the test database, with the demo loaded; `.stop()`/`.start()` keep the port."""
    from live import LiveServer

    from server.demo.loader import load_demo

    server = LiveServer(database_url, tmp_path / "live")
    # what `willay setup --no-samples` does, in this process: the database is migrated and
    # has its places already, so only the demo is missing (saves a Python start per test)
    with app.app_context():
        snapshot.load(app, "demo", load_demo)
        db.session.remove()
    server.start()
    yield server
    server.stop()
