"""Upgrading a database that already holds submissions fills the rollups from them."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from rollups.rollupkit import recomputed, stored
from test_migrations import fresh_database_url

from server import create_app
from server.extensions import db


def test_the_upgrade_counts_the_submissions_already_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("WILLAY_INSTANCE_DIR", str(tmp_path))
    app = create_app({"WILLAY": {"DATABASE_URL": fresh_database_url(tmp_path),
                                 "MEDIA_DIR": str(tmp_path / "media")}})
    with app.app_context():
        from server.demo.loader import load_demo
        from server.demo.samples import load_samples
        from server.places.loader import load_places

        upgrade()
        load_places()
        load_demo()
        assert load_samples() > 100
        db.session.remove()
        downgrade(revision="b5c6d7e8f9a0")  # before the rollups
        db.session.remove()
        upgrade()
        assert stored()["counts"] and stored() == recomputed()
        db.session.remove()
        db.engine.dispose()
