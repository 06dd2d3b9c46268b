"""Configuration comes from WILLAY_* variables; production refuses unsafe defaults."""

from __future__ import annotations

import pytest

from server import create_app
from server.config import ConfigError, load_config


def test_defaults_put_the_database_and_media_under_instance(tmp_path):
    values = load_config(str(tmp_path), environ={})
    assert values["DATABASE_URL"] == f"sqlite:///{tmp_path}/willay.sqlite3"
    assert values["MEDIA_DIR"] == f"{tmp_path}/media"
    assert values["MAX_BATCH_ITEMS"] == 100


def test_environment_variables_override(tmp_path):
    values = load_config(str(tmp_path), environ={
        "WILLAY_DATABASE_URL": "postgresql+psycopg://u@h/db", "WILLAY_MAX_BATCH_ITEMS": "50"})
    assert values["DATABASE_URL"] == "postgresql+psycopg://u@h/db"
    assert values["MAX_BATCH_ITEMS"] == 50
    with pytest.raises(ConfigError):
        load_config(str(tmp_path), environ={"WILLAY_MAX_BATCH_ITEMS": "many"})
    with pytest.raises(ConfigError):
        load_config(str(tmp_path), environ={"WILLAY_PROXY_HOPS": "-1"})


def test_production_refuses_the_default_or_a_short_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("WILLAY_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("WILLAY_ENV", "production")
    monkeypatch.delenv("WILLAY_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="default secret"):
        create_app()
    monkeypatch.setenv("WILLAY_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="at least 32"):
        create_app()
    monkeypatch.setenv("WILLAY_SECRET_KEY", "x" * 40)
    assert create_app().config["SECRET_KEY"] == "x" * 40


def test_the_password_hash_method_is_checked_and_used(tmp_path, monkeypatch):
    monkeypatch.setenv("WILLAY_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("WILLAY_PASSWORD_HASH", "md5")
    with pytest.raises(ConfigError, match="WILLAY_PASSWORD_HASH"):
        create_app()
    monkeypatch.setenv("WILLAY_PASSWORD_HASH", "pbkdf2:sha256:600000")
    app = create_app()
    from server.extensions import db
    from server.users.services import authenticate, create_user

    with app.app_context():
        db.create_all()
        user = create_user("ana@example.org", "Ana", "viewer", "correct horse battery")
        assert user.password_hash.startswith("pbkdf2:sha256:600000$")
        assert authenticate("ana@example.org", "correct horse battery") is not None
        assert authenticate("ana@example.org", "wrong horse battery") is None
