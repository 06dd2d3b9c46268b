"""Sign-in, sign-out and the remembered console language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..audit.services import record
from ..db_types import utcnow
from ..extensions import db, limiter
from ..i18n import match_locale
from ..users.services import authenticate, normalize_email
from .access import end_session, start_session
from .blueprint import bp


def _sign_in_limit() -> str:
    return current_app.config["WILLAY"]["RATELIMIT_SIGN_IN"]


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("console.home")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("console.home"))
    error = None
    email = ""
    if request.method == "POST":
        email = request.form.get("email", "")[:254]
        user = authenticate(email, request.form.get("password", ""))
        if user is None:
            record("sign_in_failed", actor=normalize_email(email))
            db.session.commit()
            error = _("Wrong e-mail or password.")
        else:
            user.last_login_at = utcnow()
            record("sign_in", user=user)
            start_session(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
    return render_template("console/sign_in.html", error=error, email=email), (
        401 if error else 200)


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        record("sign_out", user=current_user)
    end_session()
    db.session.commit()
    flash(_("You have signed out."))
    return redirect(url_for("console.sign_in"))


@bp.before_request
def _check_session() -> None:
    """Check the signed-in session before the view runs, and commit its last use (written at
    most once a minute) or its end on its own, apart from the view's work."""
    _ = current_user.is_authenticated  # loads the user: server/console/access.py
    db.session.commit()
    # a language chosen with ?lang= (the portal's links, a shared link) is remembered like
    # the buttons' choice, so it stays after the sign-in form's redirect
    chosen = match_locale(request.args.get("lang"))
    if chosen and session.get("lang") != chosen:
        session["lang"] = chosen


@bp.post("/language")
def language():
    chosen = match_locale(request.form.get("lang"))
    if chosen:
        session["lang"] = chosen
    return redirect(_safe_next(request.form.get("next")))
