"""Console names of review states, channels and content languages (glossary §10)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "new": _l("New"),
    "verified": _l("Verified"),
    "flagged": _l("Flagged"),
    "spam": _l("Spam"),
    "answered": _l("Answered"),
    "closed": _l("Closed"),
}
CHANNEL_LABELS = {"device": _l("Promoter"), "public": _l("Resident (public link)"),
                  "sms": _l("Resident (SMS)")}
LANGUAGE_LABELS = {"es": _l("Spanish"), "qu": _l("Quechua")}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
