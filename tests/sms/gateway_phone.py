"""A stand-in for the gateway phone's send API (SMS Gateway for Android, `POST /messages`):
a real HTTP process on 127.0.0.1 that records every request it takes, one JSON per line.

    python gateway_phone.py PORT RECORD_FILE
"""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Phone(BaseHTTPRequestHandler):
    record_file = ""

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        with open(self.record_file, "a", encoding="utf-8") as out:
            out.write(json.dumps({"path": self.path, "auth": self.headers.get("Authorization"),
                                  "headers": dict(self.headers), "body": data},
                                 ensure_ascii=False) + "\n")
        numbers = (data or {}).get("phoneNumbers") or [(data or {}).get("to")]
        answer = json.dumps({"id": (data or {}).get("id") or "x", "state": "Pending",
                             "recipients": [{"phoneNumber": n, "state": "Pending"}
                                            for n in numbers]}).encode()
        self.send_response(202)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args) -> None:  # quiet
        pass


if __name__ == "__main__":
    Phone.record_file = sys.argv[2]
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Phone).serve_forever()
