"""SMS Gateway for Android (capcom6/android-sms-gateway): signed `sms:received` webhooks in,
messages out through its Python client (`android-sms-gateway` on PyPI).

Webhook signature (the gateway's docs, "Payload Signing"): X-Signature is the hex
HMAC-SHA256, with the signing key set in the app, of the raw body followed by the
X-Timestamp value (Unix seconds).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import requests
from android_sms_gateway import APIClient, Message, TextMessage
from android_sms_gateway import errors as gateway_errors
from android_sms_gateway.http import RequestsHttpClient
from werkzeug.datastructures import Headers

from .channel import IncomingSms, PayloadError, SendError, check_signature, check_timestamp

NAME = "android"


class _TimedSession(requests.Session):
    """The client's requests carry no timeout; a gateway phone that went quiet must not hold
    a web worker, so every request gets one."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", self._timeout)
        return super().request(*args, **kwargs)


def _aware(text: Any) -> datetime:
    if not isinstance(text, str):
        raise PayloadError("receivedAt missing")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise PayloadError("receivedAt is not an ISO date") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class AndroidGateway:
    name = NAME

    def __init__(self, settings: dict[str, Any]) -> None:
        self.url = settings["SMS_GATEWAY_URL"]
        self.login = settings["SMS_GATEWAY_LOGIN"]
        self.password = settings["SMS_GATEWAY_PASSWORD"]
        self.signing_key = settings["SMS_GATEWAY_SIGNING_KEY"]
        self.max_age = settings["SMS_SIGNATURE_MAX_AGE"]
        self.timeout = settings["SMS_SEND_TIMEOUT"]

    def parse(self, headers: Headers, body: bytes) -> list[IncomingSms]:
        timestamp = check_timestamp(headers.get("X-Timestamp"), self.max_age)
        check_signature(self.signing_key, body + timestamp.encode("ascii"),
                        headers.get("X-Signature"))
        try:
            event = json.loads(body)
        except ValueError as exc:
            raise PayloadError("not JSON") from exc
        if not isinstance(event, dict):
            raise PayloadError("not an object")
        if event.get("event") != "sms:received":
            return []  # sms:sent, sms:delivered, system:ping…: acknowledged, nothing to do
        payload = event.get("payload")
        if not isinstance(payload, dict):
            raise PayloadError("payload missing")
        # the top-level id names this delivery and stays the same on the gateway's retries;
        # payload.messageId is derived from the content and may repeat (the gateway's docs)
        event_id = event.get("id") or payload.get("messageId")
        number, text = payload.get("phoneNumber"), payload.get("message")
        if not isinstance(event_id, str) or not isinstance(number, str) or \
                not isinstance(text, str):
            raise PayloadError("id, phoneNumber and message are required")
        return [IncomingSms(event_id[:100], number, text, _aware(payload.get("receivedAt")))]

    def send(self, number: str, text: str, message_id: str) -> str:
        if not self.url or not self.password:
            raise SendError("SMS gateway URL or password not configured", retry=True)
        message = Message(phone_numbers=[number], text_message=TextMessage(text=text),
                          id=message_id, with_delivery_report=False)
        http = RequestsHttpClient(session=_TimedSession(self.timeout))
        try:
            with APIClient(self.login or None, self.password, base_url=self.url,
                           http=http) as client:
                state = client.send(message)
        except gateway_errors.APIError as exc:
            status = exc.status_code or 0
            if status == 409:  # this id is already there: an earlier attempt got through
                return message_id
            raise SendError(f"gateway answered {status}", retry=status >= 500 or status in (
                401, 403, 404, 429)) from exc
        except (requests.RequestException, ValueError, KeyError) as exc:
            raise SendError(f"gateway unreachable: {type(exc).__name__}") from exc
        finally:
            http._session.close()  # noqa: SLF001 - the session we made for this send
        return state.id
