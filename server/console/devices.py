"""Admin pages for promoter devices: enrol (pairing code + QR), list, revoke, new code."""

from __future__ import annotations

import segno
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..devices.models import Device
from ..devices.services import Enrolment, enrol_device, list_devices, new_pairing_code, revoke
from ..extensions import db
from . import timefmt  # noqa: F401  (the peru_time filter)
from .access import requires
from .admin_schemas import DeviceEnrolSchema
from .blueprint import bp


def state_labels() -> dict[str, str]:
    return {"waiting": _("Waiting for pairing"), "paired": _("Paired"),
            "revoked": _("Revoked")}


def qr_svg(text: str) -> Markup:
    """The QR code as inline SVG (no script, no external image: fine under our CSP)."""
    svg = segno.make(text, error="m").svg_inline(scale=6, border=4, omitsize=True, dark="#000",
                                                  light="#fff", title=_("QR code"))
    return Markup(svg)  # segno escapes the title; the rest is paths it generates


def _get_device(device_id: int) -> Device:
    device = db.session.get(Device, device_id)
    if device is None:
        abort(404)
    return device


def _code_page(enrolment: Enrolment, fresh: bool):
    response = render_template("console/devices_code.html", enrolment=enrolment,
                               device=enrolment.device, qr=qr_svg(enrolment.qr_text),
                               fresh=fresh, states=state_labels())
    # the code is shown once: keep the page out of caches and the browser history store
    return response, 200, {"Cache-Control": "no-store"}


@bp.get("/devices")
@requires("devices")
def devices():
    return render_template("console/devices.html", devices=list_devices(),
                           states=state_labels())


@bp.route("/devices/new", methods=["GET", "POST"])
@requires("devices")
def device_new():
    errors: dict = {}
    if request.method == "POST":
        data, errors = DeviceEnrolSchema().load_form(request.form)
        if not errors:
            enrolment = enrol_device(data["label"], data["promoter"], by=current_user)
            return _code_page(enrolment, fresh=True)
    return render_template("console/devices_new.html", form=request.form,
                           errors=errors), 422 if errors else 200


@bp.get("/devices/<int:device_id>/revoke")
@requires("devices")
def device_revoke_confirm(device_id: int):
    device = _get_device(device_id)
    return render_template("console/devices_revoke.html", device=device, states=state_labels())


@bp.post("/devices/<int:device_id>/revoke")
@requires("devices")
def device_revoke(device_id: int):
    device = _get_device(device_id)
    if revoke(device, by=current_user):
        flash(_("Device revoked: %(label)s. It can no longer send or receive anything.",
                label=device.label))
    else:
        flash(_("This device was already revoked."), "warning")
    return redirect(url_for("console.devices"))


@bp.post("/devices/<int:device_id>/code")
@requires("devices")
def device_code(device_id: int):
    device = _get_device(device_id)
    if device.state == "paired":
        flash(_("This device is paired. Revoke it first if the promoter needs a new phone."),
              "warning")
        return redirect(url_for("console.devices"))
    return _code_page(new_pairing_code(device, by=current_user), fresh=False)
