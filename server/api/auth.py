"""Who is calling: a paired promoter device (Bearer token) or a resident's public link."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request
from flask_babel import gettext as _

from ..devices.models import Device
from ..devices.services import device_for_token, touch
from ..surveys.models import Survey
from ..surveys.services import survey_for_link
from .errors import ApiError

LINK_HEADER = "X-Willay-Link"
APP_VERSION_HEADER = "X-Willay-App"  # the app version a device runs (shown in the console)


@dataclass(frozen=True)
class Client:
    channel: str  # "device" or "public"
    device: Device | None = None
    survey: Survey | None = None  # the only survey a public link may reach

    @property
    def device_id(self) -> int | None:
        return self.device.id if self.device else None

    def may_fill(self, survey_id: int) -> bool:
        if self.channel == "device":
            return True
        return self.survey is not None and self.survey.id == survey_id


def current_client() -> Client:
    """The authenticated caller, or an ApiError (401) saying what is wrong."""
    cached = g.get("willay_client")
    if cached is not None:
        return cached
    header = request.headers.get("Authorization", "")
    link = request.headers.get(LINK_HEADER) or request.args.get("link")
    if header:
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "token_invalid", _("The device key is not valid. Pair again."))
        device = device_for_token(token.strip())
        if device is None:
            raise ApiError(401, "token_invalid", _("The device key is not valid. Pair again."))
        if device.revoked_at is not None:
            raise ApiError(401, "token_revoked",
                           _("This device was disconnected by a coordinator. Ask for a new "
                             "pairing code; what is saved on the device is kept."))
        touch(device)
        client = Client("device", device=device)
    elif link:
        survey = survey_for_link(link.strip())
        if survey is None:
            raise ApiError(401, "link_invalid",
                           _("This link is not valid or has been closed."))
        client = Client("public", survey=survey)
    else:
        raise ApiError(401, "token_missing",
                       _("This device is not connected. Pair it with a code."))
    g.willay_client = client
    return client
