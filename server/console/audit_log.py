"""The audit log page (admins): newest first, filters, keyset pages, details in words
(the words themselves are in audit_words)."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_babel import gettext as _

from ..audit.queries import filtered, page
from . import timefmt  # noqa: F401  (the peru_time filter)
from .access import requires
from .admin_schemas import AuditQuerySchema
from .audit_words import action_labels, detail_labels, size_text, value_labels
from .blueprint import bp
from .devices import state_labels
from .users import role_labels


def _plain(value: Any, names: dict[str, str] | None = None) -> str:
    if isinstance(value, str) and names and value in names:
        return names[value]
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v, names) for v in value)
    if isinstance(value, dict):
        # keys in words when known (filters, languages of a reply), values in words too
        return "\n".join(f"{(names or {}).get(k, k)}: {_plain(v, names)}"
                         for k, v in sorted(value.items()))
    return str(value)


def _line(key: str, value: Any, labels: dict[str, str],
          values: dict[str, dict[str, str]]) -> tuple[str, str]:
    if key == "bytes" and isinstance(value, int) and not isinstance(value, bool):
        return labels[key], size_text(value)
    return labels.get(key, key), _plain(value, values.get(key))


def readable_details(details: dict | None) -> list[tuple[str, str]]:
    """[(name, text)]: changes read 'before → after'; coded values and keys in words."""
    labels = detail_labels()
    values = {**value_labels(), "role": role_labels(), "previous_state": state_labels()}
    lines: list[tuple[str, str]] = []
    details = dict(details or {})
    if "from" in details and "to" in details:  # a review's move between states
        statuses = values["status"]
        lines.append((_("Status"), f"{_plain(details.pop('from'), statuses)} → "
                                   f"{_plain(details.pop('to'), statuses)}"))
    for key, value in sorted(details.items()):
        if key == "changes" and isinstance(value, dict):
            for field, change in sorted(value.items()):
                names = values.get(field)
                if isinstance(change, list) and len(change) == 2:
                    lines.append((labels.get(field, field),
                                  f"{_plain(change[0], names)} → {_plain(change[1], names)}"))
                else:
                    lines.append(_line(field, change, labels, values))
        else:
            lines.append(_line(key, value, labels, values))
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
