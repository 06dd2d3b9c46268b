"""Fixtures: a migrated database per session (SQLite, or PostgreSQL when
WILLAY_TEST_DATABASE_URL is set), a fresh app per test, and API helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask_migrate import upgrade
from helpers import CHROMIUM, CHROMIUM_ARGS
from hypothesis import settings
from sqlalchemy import create_engine, text

from server import create_app
from server.extensions import db, limiter

REPO = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("WILLAY_TEST_DATABASE_URL")
KEEP_TABLES = {"places", "alembic_version"}


# property tests: quick in CI; HYPOTHESIS_PROFILE=thorough for a long local hunt
settings.register_profile("ci", max_examples=150, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium for every browser test (pytest-playwright)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_app(database_url: str, tmp_path: Path, **willay) -> object:
    settings = {
        "DATABASE_URL": database_url,
        "MEDIA_DIR": str(tmp_path / "media"),
        "SECRET_KEY": "test-secret",
        "RATELIMIT_PAIRING": "1000 per minute",
        "RATELIMIT_RECEIPTS": "1000 per minute",
        "RATELIMIT_PUBLIC_UPLOADS": "1000 per minute",
        **willay,
    }
    os.environ["WILLAY_INSTANCE_DIR"] = str(tmp_path / "instance")
    return create_app({"TESTING": True, "WILLAY": settings})


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if PG_URL:
        _reset_postgres(PG_URL)
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


def _clean(app) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in KEEP_TABLES:
                    conn.execute(table.delete())
        db.engine.dispose()


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
        _clean(app)


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
        load_demo()
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

    server = LiveServer(database_url, tmp_path / "live")
    server.willay("setup", "--no-samples")
    server.start()
    yield server
    server.stop()
