"""A coordinator blocks (or unblocks) a number: its messages are then recorded and ignored."""

from __future__ import annotations

from typing import Any

from ..audit.services import record
from ..db_types import utcnow
from ..extensions import db
from .models import SmsContact
from .phones import normalize_number, number_hash


def find_contact(number: str) -> SmsContact | None:
    normal = normalize_number(number)
    return db.session.get(SmsContact, number_hash(normal)) if normal else None


def set_blocked(contact: SmsContact, blocked: bool, user: Any = None) -> SmsContact:
    contact.blocked_at = utcnow() if blocked else None
    contact.blocked_by_id = getattr(user, "id", None) if blocked else None
    # the audit names the number by the start of its hash, never the number itself
    record("sms_block" if blocked else "sms_unblock", user=user,
           target=f"sms:{contact.number_hash[:12]}", details={})
    db.session.commit()
    return contact
