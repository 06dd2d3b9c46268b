"""Willay server: `create_app` wires configuration, extensions and feature blueprints."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import (
    console,
    database,
    i18n,
    models,  # noqa: F401  (every table on the metadata)
    overload,
    ratelimits,
    sms,  # SMS channel (server/sms)
)
from .api import errors
from .api.json_provider import StrictJSONProvider
from .api.openapi import bp as openapi_bp
from .attachments.views import bp as attachments_bp
from .cli import register_commands
from .config import check_production, flask_config, load_config
from .devices.views import bp as devices_bp
from .extensions import csrf, db, migrate
from .i18n.views import bp as i18n_bp
from .places.views import bp as places_bp
from .portal import compare_views as _compare_views  # noqa: F401  (its routes join portal_bp)
from .portal import open_data as _open_data  # noqa: F401  (its routes join portal_bp)
from .portal import widget as _widget  # noqa: F401  (its routes join portal_bp)
from .portal.views import bp as portal_bp
from .rollups import hooks as rollup_hooks
from .submissions.views import bp as submissions_bp
from .surveys.views import bp as surveys_bp
from .web import boundary, security
from .web.views import bp as web_bp

BLUEPRINTS = (web_bp, openapi_bp, places_bp, surveys_bp, devices_bp, submissions_bp,
              attachments_bp, i18n_bp, portal_bp)


class BoundedIntConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    instance = os.environ.get("WILLAY_INSTANCE_DIR") or None
    app = Flask(__name__, instance_path=instance, instance_relative_config=True)
    app.json = StrictJSONProvider(app)
    # <int:id> in routes: ids beyond a 32-bit integer are simply not found (404), instead of
    # overflowing the database driver
    app.url_map.converters["int"] = BoundedIntConverter
    values = load_config(app.instance_path)
    if test_config:
        values.update(test_config.get("WILLAY", {}))
    check_production(values)
    app.config.from_mapping(flask_config(values))
    app.config["MAX_CONTENT_LENGTH"] = values["MAX_BATCH_BYTES"]
    if test_config:
        app.config.update({k: v for k, v in test_config.items() if k != "WILLAY"})
    if values["PROXY_HOPS"]:
        hops = values["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=values["LOG_LEVEL"],
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    db.init_app(app)
    rollup_hooks.init_app(app)  # rollups follow every change to a submission
    database.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    overload.init_app(app)  # first: a request refused for overload costs nothing more
    ratelimits.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    boundary.init_app(app)
    csrf.init_app(app)
    for blueprint in BLUEPRINTS:
        csrf.exempt(blueprint)  # JSON API and public pages: bearer tokens, no cookies
        app.register_blueprint(blueprint)
    console.init_app(app)
    sms.init_app(app)  # SMS channel: webhooks and `willay sms`
    register_commands(app)
    return app
