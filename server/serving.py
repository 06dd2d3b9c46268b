"""How gunicorn serves the app (server/gunicorn_conf.py): a threaded worker that neither lets
a stalled client keep a thread nor lets requests queue for many seconds.

- A client that stops sending (headers or body) is cut off after `WILLAY_BODY_IDLE_SECONDS`
  without a byte: the receive timeout is set on the socket itself, so it bounds every read,
  whoever makes it. A body cut off this way is answered 408 and the connection closed.
- A request that waited in the worker's queue longer than `WILLAY_QUEUE_LIMIT_MS` for a thread
  is answered 503 with Retry-After (server/overload.py) before any work is done: the phone
  tries again in a few seconds instead of waiting on a queue that only grows.
"""

from __future__ import annotations

import errno
import os
import random
import socket
import struct
import threading
import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker
from werkzeug.exceptions import RequestTimeout

from .overload import SHED_KEY

NEVER_SHED = ("/healthz",)  # monitoring must see a busy server as alive
_current = threading.local()
DISCARD_CHUNKS = 1024  # 64 MiB: more than any accepted body (server/config.py limits)
DISCARD_IDLE_SECONDS = 0.5


def setting(name: str, default: float) -> float:
    raw = os.environ.get(f"WILLAY_{name}")
    return float(raw) if raw else default


class _TimedInput:
    """wsgi.input whose stalled read becomes a 408 for the app, never a 500."""

    def __init__(self, stream: Any, sock: socket.socket):
        self._stream, self._sock = stream, sock

    def _guard(self, read, *args):
        try:
            return read(*args)
        except OSError as err:
            if err.errno not in (errno.EAGAIN, errno.EWOULDBLOCK) and not isinstance(
                    err, TimeoutError):
                raise
            try:  # nothing more will be read: the connection closes after the answer
                self._sock.shutdown(socket.SHUT_RD)
            except OSError:
                pass
            raise RequestTimeout() from err

    def read(self, *args):
        return self._guard(self._stream.read, *args)

    def readline(self, *args):
        return self._guard(self._stream.readline, *args)

    def readlines(self, *args):
        return self._guard(self._stream.readlines, *args)

    def __iter__(self):
        while line := self.readline():
            yield line


def guard(app):
    limit = setting("QUEUE_LIMIT_MS", 1000) / 1000

    def guarded(environ, start_response):
        sock = environ.get("gunicorn.socket")
        if sock is not None:
            environ["wsgi.input"] = _TimedInput(environ["wsgi.input"], sock)
        waited = getattr(_current, "queue_wait", 0.0)
        if limit and waited > limit and environ.get("PATH_INFO") not in NEVER_SHED:
            # spread the retries: phones told the same second would come back together
            environ[SHED_KEY] = random.randint(2, 6) + int(waited)
            _discard(environ)
        return app(environ, start_response)
    return guarded


def _discard(environ: dict) -> None:
    """Read what a refused request sent, so the answer is not lost to a reset connection. It
    is being refused anyway: a client that pauses for half a second is cut off."""
    sock, stream = environ.get("gunicorn.socket"), environ["wsgi.input"]
    if sock is None:
        return
    sock.settimeout(DISCARD_IDLE_SECONDS)
    try:
        for _chunk in range(DISCARD_CHUNKS):
            if not stream.read(64 * 1024):
                return
    except RequestTimeout:
        pass  # its read side is shut: the 503 goes out and the connection closes
    finally:
        sock.settimeout(None)


class WillayWorker(ThreadWorker):
    """gunicorn's gthread worker, with receive timeouts and the queue wait measured."""

    def load_wsgi(self) -> None:
        super().load_wsgi()
        self.wsgi = guard(self.wsgi)

    def enqueue_req(self, conn) -> None:
        if not getattr(conn, "willay_timeout_set", False):
            seconds = setting("BODY_IDLE_SECONDS", 10.0)
            whole, fraction = int(seconds), int((seconds % 1) * 1_000_000)
            conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,
                                 struct.pack("ll", whole, fraction))
            conn.willay_timeout_set = True
        conn.willay_queued_at = time.monotonic()
        super().enqueue_req(conn)

    def handle(self, conn):
        _current.queue_wait = time.monotonic() - getattr(conn, "willay_queued_at",
                                                         time.monotonic())
        return super().handle(conn)
