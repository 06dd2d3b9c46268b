"""Background jobs with real parts: the queue on its SQLite file or on Redis (db 1; 11
beside PostgreSQL), real `willay worker` processes (started, stopped, killed), and
coordinators signed in to the console through the Flask test client."""

from __future__ import annotations

import os

import pytest
import redis
from console.conftest import PASSWORD, sign_in
from jobs.jobkit import Worker

# its own database number, flushed by these tests: .ci/run runs the SQLite and the
# PostgreSQL suites at the same time, so they must not share one
REDIS_URL = os.environ.get("WILLAY_TEST_REDIS_URL") or (
    "redis://127.0.0.1:6379/11" if os.environ.get("WILLAY_TEST_DATABASE_URL")
    else "redis://127.0.0.1:6379/1")
BACKENDS = {"sqlite": "", "redis": REDIS_URL}
LEASE_SECONDS = 2


@pytest.fixture(params=sorted(BACKENDS))
def backend(request) -> str:
    """Each test that uses it runs on both queues: the SQLite file and Redis."""
    url = BACKENDS[request.param]
    if url:
        client = redis.Redis.from_url(url)
        client.flushdb()
        yield url
        client.flushdb()
        client.close()
    else:
        yield url


@pytest.fixture
def app(app_factory, backend):
    """The web side: it only queues jobs; a `worker` fixture runs them."""
    return app_factory(JOBS_URL=backend, JOBS_LEASE_SECONDS=LEASE_SECONDS)


@pytest.fixture
def worker(app, database_url, tmp_path):
    """A worker, not yet started (`worker.start()`), stopped after the test."""
    made = Worker.for_app(app, database_url, tmp_path / "worker.log")
    yield made
    made.stop()


@pytest.fixture
def people(app):
    """E-mail per role, plus a second coordinator."""
    from server.users.services import create_user

    with app.app_context():
        for email, role in (("admin@example.org", "admin"),
                            ("coordinator@example.org", "coordinator"),
                            ("second@example.org", "coordinator"),
                            ("viewer@example.org", "viewer")):
            create_user(email, email.split("@")[0].title(), role, PASSWORD)
    return {"admin": "admin@example.org", "coordinator": "coordinator@example.org",
            "second": "second@example.org", "viewer": "viewer@example.org"}


@pytest.fixture
def console_as(app, people):
    def make(who: str):
        return sign_in(app.test_client(), people[who])

    return make
