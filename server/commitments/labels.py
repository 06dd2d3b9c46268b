"""Words for actor types and commitment statuses, in the request's language (console and
portal alike)."""

from __future__ import annotations

from flask_babel import gettext as _


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
