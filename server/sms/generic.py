"""A generic provider webhook, for a commercial SMS provider (or a small adapter in front of
one) to be plugged in without code: documented JSON both ways, signed with a shared secret.

In:  POST /sms/webhook/generic, body {"id", "from", "text", "received_at"}, headers
     X-Willay-Timestamp (Unix seconds) and X-Willay-Signature = hex HMAC-SHA256(secret,
     "<timestamp>." + raw body).
Out: POST to WILLAY_SMS_GENERIC_SEND_URL, body {"id", "to", "text"}, signed the same way;
     any 2xx (with an optional {"id": "<provider id>"}) means accepted.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import requests
from werkzeug.datastructures import Headers

from .channel import (
    IncomingSms,
    PayloadError,
    SendError,
    check_signature,
    check_timestamp,
    hmac_hex,
)

NAME = "generic"
TIMESTAMP_HEADER = "X-Willay-Timestamp"
SIGNATURE_HEADER = "X-Willay-Signature"


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = str(int(time.time() if now is None else now))
    return {TIMESTAMP_HEADER: timestamp, "Content-Type": "application/json",
            SIGNATURE_HEADER: hmac_hex(secret, timestamp.encode("ascii") + b"." + body)}


class GenericProvider:
    name = NAME

    def __init__(self, settings: dict[str, Any]) -> None:
        self.secret = settings["SMS_GENERIC_SECRET"]
        self.send_url = settings["SMS_GENERIC_SEND_URL"]
        self.max_age = settings["SMS_SIGNATURE_MAX_AGE"]
        self.timeout = settings["SMS_SEND_TIMEOUT"]

    def parse(self, headers: Headers, body: bytes) -> list[IncomingSms]:
        timestamp = check_timestamp(headers.get(TIMESTAMP_HEADER), self.max_age)
        check_signature(self.secret, timestamp.encode("ascii") + b"." + body,
                        headers.get(SIGNATURE_HEADER))
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise PayloadError("not JSON") from exc
        if not isinstance(data, dict):
            raise PayloadError("not an object")
        event_id, number, text = data.get("id"), data.get("from"), data.get("text")
        if not all(isinstance(v, str) and v for v in (event_id, number)) or \
                not isinstance(text, str):
            raise PayloadError("id, from and text are required")
        raw_time = data.get("received_at")
        try:
            received = datetime.fromisoformat(raw_time) if isinstance(raw_time, str) \
                else datetime.now(UTC)
        except ValueError as exc:
            raise PayloadError("received_at is not an ISO date") from exc
        if received.tzinfo is None:
            received = received.replace(tzinfo=UTC)
        return [IncomingSms(event_id[:100], number, text, received)]

    def send(self, number: str, text: str, message_id: str) -> str:
        if not self.send_url or not self.secret:
            raise SendError("generic provider URL or secret not configured")
        body = json.dumps({"id": message_id, "to": number, "text": text},
                          ensure_ascii=False).encode("utf-8")
        try:
            response = requests.post(self.send_url, data=body, timeout=self.timeout,
                                     headers=signed_headers(self.secret, body))
        except requests.RequestException as exc:
            raise SendError(f"provider unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise SendError(f"provider answered {response.status_code}",
                            retry=response.status_code >= 500 or response.status_code in (
                                401, 403, 404, 408, 429))
        try:
            given = response.json().get("id") if response.content else None
        except (ValueError, AttributeError):
            given = None
        return given if isinstance(given, str) else message_id
