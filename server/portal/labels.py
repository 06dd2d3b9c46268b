"""Words for the codes the portal shows (actor types, commitment statuses): the console's
words, with the plainer "Company" for other companies."""

from __future__ import annotations

from flask_babel import gettext as _

from ..commitments.labels import actor_type_labels as _actor_types
from ..commitments.labels import status_labels as commitment_status_labels  # noqa: F401


def actor_type_labels() -> dict[str, str]:
    return {**_actor_types(), "other_company": _("Company")}
