"""The console's main menu: (endpoint, permission, label). Entries whose endpoint is not
registered are left out, so a section appears once its module exists."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

NAV = (
    ("console.home", "dashboard", _l("Dashboard")),
    ("console.submissions", "submissions", _l("Submissions")),
    ("console.conflicts", "review", _l("Conflicts")),
    ("console.surveys", "surveys", _l("Surveys")),
    ("console.plans", "plans_view", _l("Plans")),
    ("console.commitments", "plans_view", _l("Commitments")),
    ("console.actors", "plans_view", _l("Actors")),
    ("console.exports", "export", _l("Exports")),
    ("console.portal", "publish", _l("Public portal")),
    ("console.sms", "surveys", _l("SMS")),
    ("console.devices", "devices", _l("Devices")),
    ("console.users", "users", _l("Users")),
    ("console.audit", "audit", _l("Audit log")),
    ("console.media_cleanup", "maintenance", _l("Media clean-up")),
    ("console.rollups_admin", "maintenance", _l("Count the figures again")),
)


def console_nav() -> list[tuple[str, str, str]]:
    views = current_app.view_functions
    return [(endpoint, perm, str(label)) for endpoint, perm, label in NAV if endpoint in views]
