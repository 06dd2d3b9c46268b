"""Clients that stop sending in the middle of a request cannot take the server down, and a
request that would queue for long is refused at once with 503 + Retry-After (issue 10)."""

from __future__ import annotations

import json
import socket
import time

import requests


def stalled(server, count: int) -> list[socket.socket]:
    """`count` requests whose body stops after a few bytes, each on its own connection."""
    head = (f"POST /api/v1/devices/pair HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            "Content-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"code\": ")
    socks = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.sendall(head.encode())
        socks.append(sock)
    return socks


def answer_of(sock: socket.socket, wait: float) -> bytes:
    """The whole answer: its head and as many body bytes as its Content-Length says (the
    head and the body may arrive in separate segments on a busy machine)."""
    sock.settimeout(wait)
    got = b""
    try:
        while True:
            head, found, body = got.partition(b"\r\n\r\n")
            if found:
                length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                if len(body) >= length:
                    return got
            chunk = sock.recv(4096)
            if not chunk:
                return got
            got += chunk
    except TimeoutError:
        return got or b"(still open)"
    finally:
        sock.close()


def test_stalled_bodies_on_every_thread_leave_the_server_responsive(served):
    server = served(BODY_IDLE_SECONDS="2")
    socks = stalled(server, 16)  # twice the 2 workers x 4 threads
    time.sleep(0.5)
    started = time.monotonic()
    for _ in range(4):  # new connections, whichever worker takes them
        assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200
    assert time.monotonic() - started < 8
    # each stalled client was answered (408, or 503 if it queued) and its connection closed
    answers = [answer_of(sock, 10) for sock in socks]
    assert all(a.startswith((b"HTTP/1.1 408", b"HTTP/1.1 503")) for a in answers), answers
    # the phone is told in its language what happened (and retries a 408 like a 503)
    timed_out = [a for a in answers if a.startswith(b"HTTP/1.1 408")]
    assert timed_out and all(b'"code":"request_timeout"' in a.replace(b" ", b"")
                             for a in timed_out)
    body = json.loads(timed_out[0].split(b"\r\n\r\n", 1)[1])
    assert "Nada se guardó" in body["error"]["message"]


def test_a_request_that_waited_too_long_for_a_thread_gets_503_with_retry_after(served):
    server = served(workers=1, BODY_IDLE_SECONDS="3", QUEUE_LIMIT_MS="500")
    socks = stalled(server, 4)  # every thread busy for 3 s
    time.sleep(0.3)
    response = requests.post(f"{server.url}/api/v1/devices/pair", json={"code": "X"},
                             timeout=20)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) >= 2
    assert response.json()["error"]["code"] == "overloaded"
    for sock in socks:
        sock.close()
    # once the queue is gone, requests are served again
    time.sleep(0.5)
    again = requests.post(f"{server.url}/api/v1/devices/pair", json={"code": "X"}, timeout=10)
    assert again.status_code == 404
