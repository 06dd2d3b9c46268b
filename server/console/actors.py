"""Actors in the console: the list (with their commitments), creating and editing one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..commitments.errors import FieldError
from ..commitments.models import Actor, Commitment
from ..commitments.services import create_actor, delete_actor, get_actor, update_actor
from ..extensions import db
from ..places.models import Place
from .access import area_limits, can, requires
from .blueprint import bp
from .commitment_labels import actor_type_labels
from .commitment_schemas import ActorSchema, creating


def place_choices() -> list[tuple[str, str]]:
    """Departments, each followed by its provinces, an actor may be placed in."""
    places = db.session.scalars(select(Place).where(
        Place.level.in_(("department", "province"))).order_by(Place.ubigeo))
    return [(p.ubigeo, p.name if p.level == "department" else f"— {p.name}") for p in places]


@bp.get("/actors")
@requires("plans_view")
def actors():
    listed = list(db.session.scalars(select(Actor).order_by(Actor.name_es)))
    counts = dict(db.session.execute(select(Commitment.actor_id, func.count()).group_by(
        Commitment.actor_id)).all())
    return render_template("console/actors.html", actors=listed, counts=counts,
                           types=actor_type_labels(), can_edit=can("plans_edit"))


def _form(actor: Actor | None, form, errors: dict, status: int = 200):
    return render_template("console/actor_form.html", actor=actor, form=form, errors=errors,
                           types=actor_type_labels(), places=place_choices()), status


@bp.route("/actors/new", methods=["GET", "POST"])
@requires("plans_edit")
def actor_new():
    if request.method == "GET":
        return _form(None, {}, {})
    data, errors = creating(ActorSchema).load_form(request.form)
    if not errors:
        try:
            actor = create_actor(data, current_user, area_limits())
        except FieldError as exc:
            db.session.rollback()
            errors = exc.as_errors()
        else:
            flash(_("Actor created: %(name)s.", name=actor.name_es))
            return redirect(url_for("console.actors"))
    return _form(None, request.form, errors, 422)


@bp.route("/actors/<code>", methods=["GET", "POST"])
@requires("plans_edit")
def actor_edit(code: str):
    actor = get_actor(code)
    if actor is None:
        abort(404)
    if request.method == "GET":
        return _form(actor, {}, {})
    data, errors = ActorSchema().load_form(request.form)
    if not errors:
        try:
            update_actor(actor, data, current_user, area_limits())
        except FieldError as exc:
            db.session.rollback()
            errors = exc.as_errors()
        else:
            flash(_("Changes saved."))
            return redirect(url_for("console.actor_edit", code=actor.code))
    return _form(actor, request.form, errors, 422)


@bp.post("/actors/<code>/delete")
@requires("plans_edit")
def actor_delete(code: str):
    actor = get_actor(code)
    if actor is None:
        abort(404)
    if request.form.get("confirm") != "yes":
        return _form(actor, {}, {"_form": [_("Press the delete button to confirm.")]}, 400)
    try:
        delete_actor(actor, current_user, area_limits())
    except FieldError as exc:
        db.session.rollback()
        return _form(actor, {}, exc.as_errors(), 409)
    flash(_("Actor deleted."))
    return redirect(url_for("console.actors"))
