"""Conflicting re-sends of a stored submission: list, compare, resolve with a note."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from ..i18n import content_language
from ..review.conflicts import compare, conflict_list, get_conflict, resolve, resolved_by_name
from ..review.schemas import ResolveFormSchema
from ..review.services import ReviewRefused
from .access import area_limits, can, requires
from .blueprint import bp


@bp.get("/conflicts")
@requires("review")
def conflicts():
    return render_template("console/conflicts.html", rows=conflict_list(area_limits()))


def _conflict_page(conflict_id: int, errors: list[str] | None = None, note: str = "",
                   status: int = 200):
    row = get_conflict(conflict_id, area_limits())
    if row is None:
        abort(404)
    return render_template(
        "console/conflict.html", row=row, errors=errors or [], note=note,
        differences=compare(row, content_language(), with_personal=can("personal")),
        resolved_by=resolved_by_name(row.conflict)), status


@bp.get("/conflicts/<int:conflict_id>")
@requires("review")
def conflict(conflict_id: int):
    return _conflict_page(conflict_id)


@bp.post("/conflicts/<int:conflict_id>/resolve")
@requires("review")
def resolve_conflict(conflict_id: int):
    note = request.form.get("note", "")
    try:
        data = ResolveFormSchema().load(request.form)
        resolve(conflict_id, data["note"], current_user, area_limits())
    except ValidationError as err:
        messages = [str(m) for msgs in err.messages.values() for m in msgs]
        return _conflict_page(conflict_id, messages, note, 400)
    except ReviewRefused as err:
        if get_conflict(conflict_id, area_limits()) is None:
            abort(404)
        return _conflict_page(conflict_id, [err.message], note, 409)
    flash(_("Conflict resolved. The stored submission stays as it was."))
    return redirect(url_for("console.conflict", conflict_id=conflict_id))
