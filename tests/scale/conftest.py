"""Two app servers on PostgreSQL + Redis + an S3 server behind the repo's nginx, for the
whole module (starting them costs seconds, the load a minute). PostgreSQL only: SQLite is
the one-server set-up. Redis: WILLAY_TEST_REDIS_URL (default db 12, flushed at start)."""

from __future__ import annotations

import os

import pytest
import requests
from scale.accounts import PAIRING_LIMIT, PASSWORD, csrf_of
from scale.cluster import Cluster
from testapp import clean, make_app

from server.extensions import db

REDIS_URL = os.environ.get("WILLAY_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture(scope="module")
def pg_url(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("scale-out runs on PostgreSQL (set WILLAY_TEST_DATABASE_URL)")
    return database_url


@pytest.fixture(scope="module")
def cluster(pg_url, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("scale")
    made = Cluster(pg_url, REDIS_URL, workdir, instances=2, job_workers=True,
                   RATELIMIT_PAIRING=f"{PAIRING_LIMIT} per minute")
    try:
        made.start()
        yield made
    finally:
        made.stop()
        app = make_app(pg_url, workdir / "clean")
        clean(app)


@pytest.fixture(scope="module")
def control(cluster, pg_url, tmp_path_factory):
    """The database as the test sees it (for set-up and for counting rows)."""
    app = make_app(pg_url, tmp_path_factory.mktemp("control"), JOBS_URL=cluster.redis_url,
                   EXPORT_DIR=cluster.env()["WILLAY_EXPORT_DIR"])
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def admin(control, cluster) -> requests.Session:
    """An admin's console session (devices are theirs), signed in on the first app server."""
    from server.users.services import create_user

    create_user("admin@example.org", "Administradora", "admin", PASSWORD)
    db.session.commit()
    session = requests.Session()
    first = cluster.servers[0].url
    page = session.get(f"{first}/console/sign-in", timeout=10)
    signed = session.post(f"{first}/console/sign-in", timeout=10, allow_redirects=False, data={
        "email": "admin@example.org", "password": PASSWORD,
        "csrf_token": csrf_of(page.text)})
    assert signed.status_code == 302, signed.text[:500]
    return session
