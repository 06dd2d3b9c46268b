"""A refused form (missing or stale CSRF token) explains itself instead of the API's
"not valid JSON" text."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from .blueprint import bp


@bp.app_errorhandler(CSRFError)
def csrf_refused(_err: CSRFError):
    message = _("This form has expired or did not come from this site. Go back, reload the "
                "page and try again.")
    return render_template("error.html", status=400, message=message), 400
