"""The audit log page (admins): newest first, filters, keyset pages, readable details."""

from __future__ import annotations

import json
from typing import Any

from flask import render_template, request
from flask_babel import gettext as _

from ..audit.queries import filtered, page
from . import timefmt  # noqa: F401  (the peru_time filter)
from .access import requires
from .admin_schemas import AuditQuerySchema
from .blueprint import bp
from .devices import state_labels
from .users import role_labels


def action_labels() -> dict[str, str]:
    """Known actions in plain words; others are shown by their code."""
    return {
        "sign_in": _("Signed in"),
        "sign_in_failed": _("Failed sign-in"),
        "sign_out": _("Signed out"),
        "user_create": _("Account created"),
        "user_update": _("Account changed"),
        "device_enrol": _("Device enrolled"),
        "device_revoke": _("Device revoked"),
        "survey_publish": _("Survey published"),
        "review": _("Review"),
        "reply": _("Reply to a resident"),
        "conflict_resolve": _("Conflict resolved"),
        "export": _("Export"),
        "export_download": _("Export downloaded"),
        "media_cleanup": _("Media clean-up"),
    }


def detail_labels() -> dict[str, str]:
    return {
        "name": _("Name"), "role": _("Role"), "active": _("Active"), "areas": _("Areas"),
        "password": _("Password changed"), "label": _("Device"), "promoter": _("Promoter"),
        "new_code": _("New pairing code"), "previous_state": _("State before"),
    }


def _plain(value: Any, names: dict[str, str] | None = None) -> str:
    if isinstance(value, str) and names and value in names:
        return names[value]
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v, names) for v in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def readable_details(details: dict | None) -> list[tuple[str, str]]:
    """[(name, text)]: changes read 'before → after'; nested values as compact JSON."""
    labels = detail_labels()
    # coded values shown in words: roles and device states
    values = {"role": role_labels(), "previous_state": state_labels()}
    lines: list[tuple[str, str]] = []
    for key, value in sorted((details or {}).items()):
        if key == "changes" and isinstance(value, dict):
            for field, change in sorted(value.items()):
                names = values.get(field)
                if isinstance(change, list) and len(change) == 2:
                    lines.append((labels.get(field, field),
                                  f"{_plain(change[0], names)} → {_plain(change[1], names)}"))
                else:
                    lines.append((labels.get(field, field), _plain(change, names)))
        else:
            lines.append((labels.get(key, key), _plain(value, values.get(key))))
    return lines


@bp.get("/audit")
@requires("audit")
def audit():
    query, errors = AuditQuerySchema().load_form(request.args)
    events, next_before = [], None
    if not errors:
        result = page(filtered(query["action"], query["actor"], query["since"],
                               query["until"]), query["before"])
        events, next_before = result.events, result.next_before
    next_args = {k: v for k, v in request.args.items() if k != "before" and v}
    return render_template("console/audit.html", events=events, errors=errors,
                           args=request.args, actions=action_labels(),
                           details=readable_details, next_before=next_before,
                           next_args=next_args), 422 if errors else 200
