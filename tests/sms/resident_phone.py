"""SMS test helpers: signed webhooks from a resident's phone, and a gateway phone stand-in
(a real HTTP process) that can be switched off and on again on the same port."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from server.sms.channel import hmac_hex

SIGNING_KEY = "phone-signing-key"
GENERIC_SECRET = "provider-shared-secret"
RESIDENT = "+51951234567"
HERE = Path(__file__).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class GatewayPhone:
    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.record = tmp / "gateway-requests.jsonl"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/3rdparty/v1"

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, str(HERE / "gateway_phone.py"),
                                         str(self.port), str(self.record)])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("gateway stand-in did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def requests(self) -> list[dict]:
        if not self.record.exists():
            return []
        return [json.loads(line) for line in self.record.read_text("utf-8").splitlines()]

    def texts(self, number: str = RESIDENT) -> list[str]:
        out = []
        for r in self.requests():
            body = r["body"] or {}
            if number in (body.get("phoneNumbers") or [body.get("to")]):
                out.append((body.get("textMessage") or {}).get("text") or body.get("text"))
        return out


def signed(body: bytes, key: str = SIGNING_KEY, at: int | None = None) -> dict[str, str]:
    timestamp = str(int(time.time()) if at is None else at)
    return {"X-Timestamp": timestamp, "X-Signature": hmac_hex(key, body + timestamp.encode()),
            "Content-Type": "application/json"}


class Resident:
    """One phone writing to the programme's number through the gateway's webhook."""

    def __init__(self, client, number: str = RESIDENT) -> None:
        self.client, self.number = client, number
        self.clock = datetime.now(UTC) - timedelta(minutes=30)

    def event(self, text: str, event_id: str | None = None,
              received_at: datetime | None = None) -> bytes:
        if received_at is None:
            self.clock += timedelta(seconds=20)
            received_at = self.clock
        return json.dumps({
            "deviceId": "ffffffffceb0b1db0000018e937c815b", "event": "sms:received",
            "id": event_id or uuid.uuid4().hex[:21], "webhookId": "willay",
            "payload": {"messageId": "m" + uuid.uuid4().hex[:8], "message": text,
                        "phoneNumber": self.number, "simNumber": 1,
                        "receivedAt": received_at.astimezone(
                            UTC).isoformat(timespec="milliseconds")}}).encode()

    def send(self, text: str, **kwargs):
        body = self.event(text, **kwargs)
        response = self.client.post("/sms/webhook/android", data=body, headers=signed(body))
        assert response.status_code == 200, response.get_json()
        return response.get_json()
