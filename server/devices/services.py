"""Enrolment (one-time pairing code), pairing (code -> token), revocation, token lookup.

Enrolment, new codes and revocation are recorded in the audit log (`by` is the acting
console user, or None for the CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from flask import current_app
from sqlalchemy import select, update

from ..audit.services import record
from ..codes import new_token, normalize_code, short_code, token_digest
from ..db_types import utcnow
from ..extensions import db
from .models import Device

TOUCH_EVERY = timedelta(minutes=5)


class PairingError(Exception):
    def __init__(self, reason: str):  # "unknown", "used", "expired"
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Enrolment:
    device: Device
    code: str
    qr_text: str


def pairing_url(code: str) -> str:
    base = current_app.config["WILLAY"]["PUBLIC_URL"].rstrip("/")
    # the fragment keeps the code out of server and proxy logs
    return f"{base}/app/#pair={quote(code)}"


def _issue_code(device: Device) -> str:
    code = short_code(8)
    hours = current_app.config["WILLAY"]["PAIRING_CODE_HOURS"]
    device.pairing_code_hash = token_digest(code)
    device.pairing_expires_at = utcnow() + timedelta(hours=hours)
    return code


def _audit(action: str, device: Device, by: Any, **details: Any) -> None:
    record(action, user=by, target=f"device {device.id}",
           details={"label": device.label, "promoter": device.promoter_name, **details})


def enrol_device(label: str, promoter_name: str = "", created_by_id: int | None = None, *,
                 by: Any = None) -> Enrolment:
    if created_by_id is None and by is not None:
        created_by_id = by.id
    device = Device(label=label.strip() or "device", promoter_name=promoter_name.strip(),
                    created_by_id=created_by_id)
    code = _issue_code(device)
    db.session.add(device)
    db.session.flush()
    _audit("device_enrol", device, by)
    db.session.commit()
    return Enrolment(device, code, pairing_url(code))


def new_pairing_code(device: Device, *, by: Any = None) -> Enrolment:
    """A fresh code for a device (e.g. a new phone for the same promoter); the old token ends."""
    code = _issue_code(device)
    previous = device.state
    device.token_hash = None
    device.paired_at = None
    device.revoked_at = None
    _audit("device_enrol", device, by, new_code=True, previous_state=previous)
    db.session.commit()
    return Enrolment(device, code, pairing_url(code))


def list_devices() -> list[Device]:
    """Active devices first (newest first), revoked ones after them."""
    return list(db.session.scalars(select(Device).order_by(
        Device.revoked_at.is_not(None), Device.created_at.desc(), Device.id.desc())))


def pair(code_text: str) -> tuple[Device, str]:
    """Exchange a one-time code for a device token. The token is returned once, never stored."""
    code = normalize_code(code_text)
    if code is None:
        raise PairingError("unknown")
    digest = token_digest(code)
    device = db.session.scalar(select(Device).where(Device.pairing_code_hash == digest))
    if device is None:
        used = db.session.scalar(select(Device.id).where(Device.used_code_hash == digest))
        raise PairingError("used" if used else "unknown")
    if device.revoked_at is not None:
        raise PairingError("unknown")
    if device.pairing_expires_at is None or device.pairing_expires_at < utcnow():
        raise PairingError("expired")
    token = new_token()
    now = utcnow()
    # conditional on the code still being unused: of two phones racing with one code, one wins
    claimed = db.session.execute(
        update(Device).where(Device.id == device.id, Device.pairing_code_hash == digest)
        .values(token_hash=token_digest(token), pairing_code_hash=None, used_code_hash=digest,
                paired_at=now, last_seen_at=now))
    db.session.commit()
    if claimed.rowcount != 1:
        raise PairingError("used")
    db.session.refresh(device)
    return device, token


def device_for_token(token: str) -> Device | None:
    return db.session.scalar(select(Device).where(Device.token_hash == token_digest(token)))


def touch(device: Device) -> None:
    now = utcnow()
    if device.last_seen_at is None or now - device.last_seen_at > TOUCH_EVERY:
        device.last_seen_at = now
        db.session.commit()


def record_sync(device: Device, app_version: str | None, *, commit: bool = True) -> None:
    """A device delivered a batch: the console shows when, and with which app version.
    `commit=False`: one UPDATE in the caller's transaction (ingest stores the batch and this
    with a single commit)."""
    values: dict[str, Any] = {"last_sync_at": utcnow()}
    if app_version:
        values["app_version"] = app_version.strip()[:40]
    table = Device.__table__
    db.session.execute(update(table).where(table.c.id == device.id).values(**values))
    if commit:
        db.session.commit()


def revoke(device: Device, *, by: Any = None) -> bool:
    """Revoke a device; False (and nothing recorded) if it already was."""
    if device.revoked_at is not None:
        return False
    device.revoked_at = utcnow()
    device.pairing_code_hash = None
    _audit("device_revoke", device, by)
    db.session.commit()
    return True
