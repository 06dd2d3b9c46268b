"""Feedback by SMS: gateways (channel.py, android.py, generic.py), the conversation that asks
a survey question by question (conversation.py), the durable outgoing queue (outbox.py).

See docs/sms.md for the set-up and docs/decisions.md ("SMS") for the choices made.
"""

from __future__ import annotations

from flask import Flask

from . import models  # noqa: F401  (the SMS tables on the metadata)


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from .cli import sms_cli
    from .views import bp

    csrf.exempt(bp)  # gateways sign their requests; there is no cookie to protect
    app.register_blueprint(bp)
    app.cli.add_command(sms_cli)
