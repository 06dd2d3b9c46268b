"""The one small interface every SMS gateway implements: read a webhook, send a message."""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from werkzeug.datastructures import Headers


@dataclass(frozen=True)
class IncomingSms:
    external_id: str  # the gateway's id of this delivery: the same on every retry
    number: str  # as the gateway wrote it; normalised by phones.normalize_number
    text: str
    received_at: datetime  # when the gateway phone received it (aware)


class SignatureError(Exception):
    """The webhook is not signed by our gateway, or the signature is too old."""


class PayloadError(Exception):
    """The webhook is signed but its content is not what the channel documents."""


class SendError(Exception):
    """The gateway did not take the message. `retry` says whether trying later may help."""

    def __init__(self, message: str, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


class Channel(Protocol):
    name: str

    def parse(self, headers: Headers, body: bytes) -> list[IncomingSms]:
        """The received SMS in a verified webhook (none for other events).
        Raises SignatureError or PayloadError."""

    def send(self, number: str, text: str, message_id: str) -> str:
        """Hand one SMS to the gateway; its id there. Raises SendError."""


def hmac_hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def check_timestamp(raw: str | None, max_age: int, now: float | None = None) -> str:
    """The X-Timestamp value if it is a Unix time within max_age seconds of ours."""
    if not raw or not raw.strip().isdigit():
        raise SignatureError("missing or malformed timestamp")
    moment = int(raw.strip())
    if abs((time.time() if now is None else now) - moment) > max_age:
        raise SignatureError("timestamp too old or in the future")
    return raw.strip()


def check_signature(secret: str, message: bytes, signature: str | None) -> None:
    if not secret:
        raise SignatureError("no signing key configured")
    given = (signature or "").strip().lower()
    if given.startswith("sha256="):
        given = given[len("sha256="):]
    if not given or not hmac.compare_digest(hmac_hex(secret, message), given):
        raise SignatureError("signature does not match")
