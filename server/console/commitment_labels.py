"""Words for actor types and commitment statuses in the console's language, and the
common handling of a service's refusal (a field error or an area limit)."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from ..commitments.errors import OutsideAreas
from .blueprint import bp


def actor_type_labels() -> dict[str, str]:
    return {
        "regional_government": _("Regional government"),
        "provincial_municipality": _("Provincial municipality"),
        "district_municipality": _("District municipality"),
        "ministry": _("Ministry"),
        "mining_company": _("Mining company"),
        "other_company": _("Other company"),
        "civil_society": _("Civil-society organisation"),
        "community_organisation": _("Community organisation"),
        "cooperation_agency": _("Cooperation agency"),
        "academia": _("Academia"),
    }


def status_labels() -> dict[str, str]:
    return {
        "pending": _("Pending"),
        "in_progress": _("In progress"),
        "fulfilled": _("Fulfilled"),
        "late": _("Late"),
        "dropped": _("Dropped"),
    }


@bp.app_errorhandler(OutsideAreas)
def outside_areas(_err: OutsideAreas):
    message = _("This is outside the areas your account is limited to. Ask an admin if you "
                "need to change it.")
    return render_template("error.html", status=403, message=message), 403
