"""Actor types and commitment statuses in words (server/commitments/labels.py), and the
common handling of a service's refusal (a field error or an area limit)."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from ..commitments.errors import OutsideAreas
from ..commitments.labels import actor_type_labels, status_labels  # noqa: F401 (re-exported)
from .blueprint import bp


@bp.app_errorhandler(OutsideAreas)
def outside_areas(_err: OutsideAreas):
    message = _("This is outside the areas your account is limited to. Ask an admin if you "
                "need to change it.")
    return render_template("error.html", status=403, message=message), 403
