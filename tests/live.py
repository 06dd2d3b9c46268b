"""A real gunicorn serving the app on a fixed 127.0.0.1 port, which can stop and restart
on the same port (a service worker and its storage belong to that exact origin)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, database_url: str, instance: Path, workers: int = 2,
                 jobs_url: str = "immediate"):
        """`jobs_url`: the job queue; by default a job (an export) runs inside the request
        that asks for it, so no worker is needed; "" or redis://… for a real worker
        (tests/jobs)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("WILLAY_")}
        self.env.update({"WILLAY_DATABASE_URL": database_url,
                         "WILLAY_INSTANCE_DIR": str(instance),
                         "WILLAY_PUBLIC_URL": self.url, "WILLAY_LOG_LEVEL": "WARNING",
                         "WILLAY_SECRET_KEY": "live-test-secret",
                         "WILLAY_JOBS_URL": jobs_url,
                         # as tests/testapp.py: no fsync per commit in tests
                         "WILLAY_SQLITE_SYNCHRONOUS": "NORMAL"})
        self.workers = workers
        self.proc: subprocess.Popen | None = None

    def willay(self, *args: str) -> str:
        done = subprocess.run([str(BIN / "willay"), *args], env=self.env, capture_output=True,
                              text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(done.stderr)
        return done.stdout + done.stderr

    def command(self) -> list[str]:
        return [str(BIN / "gunicorn"), "--workers", str(self.workers), "--worker-class",
                "gthread", "--threads", "4", "--bind", f"127.0.0.1:{self.port}",
                "--graceful-timeout", "2", "--log-level", "warning", "server:create_app()"]

    def start(self) -> None:
        self.proc = subprocess.Popen(self.command(), env=self.env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None
