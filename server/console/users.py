"""Admin pages for coordinator accounts: list, create, edit role/name, (de)activate,
reset a password, limit to departments/provinces."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..places.models import Place
from ..places.region import picker_places, region_departments
from ..users.models import ROLES, User
from ..users.models import user_areas as user_areas_table
from ..users.services import (
    MIN_PASSWORD,
    UserError,
    create_user,
    list_users,
    reset_password,
    set_areas,
    update_user,
    user_area_codes,
)
from . import timefmt  # noqa: F401  (the peru_time filter)
from .access import requires
from .admin_schemas import (
    AreasSchema,
    PasswordSchema,
    UserActiveSchema,
    UserCreateSchema,
    UserEditSchema,
)
from .blueprint import bp


def _service_message(err: UserError) -> str:
    """The translated text for a refusal the service made."""
    return {
        "email": _("Enter an e-mail address like name@example.org."),
        "email_taken": _("A user with this e-mail already exists."),
        "role": _("Choose one of the roles."),
        "password_short": ngettext("Use at least %(min)s character.",
                                       "Use at least %(min)s characters.", MIN_PASSWORD,
                                       min=MIN_PASSWORD),
        "areas": _("Choose departments or provinces from the list."),
        "self_role": _("You cannot change your own role. Ask another admin."),
        "self_deactivate": _("You cannot deactivate yourself. Ask another admin."),
    }.get(err.code, _("Some data is not valid."))


def role_labels() -> dict[str, str]:
    labels = {"admin": _("Admin"), "coordinator": _("Coordinator"), "viewer": _("Viewer")}
    return {role: labels[role] for role in ROLES}


def area_choices(chosen: tuple[str, ...] = ()) -> list[tuple[Place, list[Place]]]:
    """The region's departments, each with its provinces, for the area picker; areas a
    user already has stay on offer even outside the region."""
    region = region_departments()
    scope = tuple(sorted(set(region) | {code[:2] + "0000" for code in chosen})) if region else ()
    places = picker_places(scope, districts=False)
    departments: dict[str, tuple[Place, list[Place]]] = {}
    for place in places:
        if place.level == "department":
            departments[place.ubigeo] = (place, [])
        elif place.parent_ubigeo in departments:
            departments[place.parent_ubigeo][1].append(place)
    return sorted(departments.values(), key=lambda pair: pair[0].name)


def _area_names_by_user() -> dict[int, list[str]]:
    """Every user's area names in one query (the list page shows them all)."""
    names: dict[int, list[str]] = {}
    rows = db.session.execute(select(user_areas_table.c.user_id, Place.name).join(
        Place, Place.ubigeo == user_areas_table.c.ubigeo).order_by(Place.name))
    for user_id, name in rows:
        names.setdefault(user_id, []).append(name)
    return names


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users")
@requires("users")
def users():
    accounts = list_users()
    areas = _area_names_by_user()
    return render_template("console/users.html", accounts=accounts, areas=areas,
                           roles=role_labels())


@bp.route("/users/new", methods=["GET", "POST"])
@requires("users")
def user_new():
    form, errors = request.form, {}
    if request.method == "POST":
        data, errors = UserCreateSchema().load_form(request.form, lists=("areas",))
        if not errors:
            try:
                user = create_user(data["email"], data["name"], data["role"], data["password"],
                                   by=current_user, areas=data["areas"])
            except UserError as err:
                db.session.rollback()
                errors = {err.field or "email": [_service_message(err)]}
            else:
                flash(_("Account created for %(email)s.", email=user.email))
                return redirect(url_for("console.user_edit", user_id=user.id))
    return render_template("console/users_new.html", form=form, errors=errors,
                           roles=role_labels(), places=area_choices(tuple(form.getlist("areas"))),
                           chosen=set(form.getlist("areas"))), 422 if errors else 200


def _edit_page(user: User, errors: dict | None = None, form=None, status: int = 200):
    chosen = set(form.getlist("areas")) if form is not None and "areas_form" in form else set(
        user_area_codes(user))
    return render_template("console/users_edit.html", account=user, errors=errors or {},
                           form=form or {}, roles=role_labels(), places=area_choices(tuple(chosen)),
                           chosen=chosen), status


@bp.get("/users/<int:user_id>")
@requires("users")
def user_edit(user_id: int):
    return _edit_page(_get_user(user_id))


def _apply(user: User, schema, action, success: str, lists: tuple[str, ...] = ()):
    """Validate a form, run a service, then show the page again with a message."""
    data, errors = schema.load_form(request.form, lists=lists)
    if not errors:
        try:
            action(data)
        except UserError as err:
            db.session.rollback()
            errors = {err.field or "_form": [_service_message(err)]}
        else:
            flash(success)
            return redirect(url_for("console.user_edit", user_id=user.id))
    return _edit_page(user, errors, request.form, 422)


@bp.post("/users/<int:user_id>")
@requires("users")
def user_update(user_id: int):
    user = _get_user(user_id)
    return _apply(user, UserEditSchema(), lambda d: update_user(
        user, by=current_user, name=d["name"], role=d["role"]), _("Changes saved."))


@bp.post("/users/<int:user_id>/active")
@requires("users")
def user_active(user_id: int):
    user = _get_user(user_id)
    return _apply(user, UserActiveSchema(), lambda d: update_user(
        user, by=current_user, active=d["active"]),
        _("Account reactivated.") if request.form.get("active") in ("1", "true")
        else _("Account deactivated: it can no longer sign in."))


@bp.post("/users/<int:user_id>/password")
@requires("users")
def user_password(user_id: int):
    user = _get_user(user_id)
    return _apply(user, PasswordSchema(), lambda d: reset_password(
        user, d["password"], by=current_user),
        _("New password set. Give it to %(name)s privately.", name=user.name or user.email))


@bp.post("/users/<int:user_id>/areas")
@requires("users")
def user_areas(user_id: int):
    user = _get_user(user_id)
    return _apply(user, AreasSchema(), lambda d: set_areas(user, d["areas"], by=current_user),
                  _("Areas saved."), lists=("areas",))

