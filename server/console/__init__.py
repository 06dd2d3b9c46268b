"""The coordinators' web console: server-rendered pages under /console."""

from __future__ import annotations

from flask import Flask

from .access import can, login_manager
from .blueprint import bp
from .nav import console_nav


def init_app(app: Flask) -> None:
    # every module that adds routes to the blueprint, imported before it is registered
    from . import (  # noqa: F401
        actors,  # actors, commitments and plans edited in the console (issue 8)
        audit_log,
        auth,
        commitment_labels,
        commitments,
        conflicts,
        devices,
        exports,
        form_errors,
        home,
        media,
        media_cleanup,
        plans,
        plans_edit,
        portal_admin,  # the public portal: public surveys, updates, quotable answers
        rollups_admin,  # the figures counted again from the submissions (server/rollups)
        sms,  # SMS set-up, settings and conversations (server/sms)
        submissions,
        surveys,
        users,
    )

    login_manager.init_app(app)
    app.register_blueprint(bp)

    @app.context_processor
    def _console_helpers() -> dict:
        return {"can": can, "console_nav": console_nav}
