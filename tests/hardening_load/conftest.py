"""gunicorn started the way `make run` starts it: with server/gunicorn_conf.py."""

from __future__ import annotations

import pytest
from live import BIN, LiveServer


class ConfiguredServer(LiveServer):
    """The embedded default (gunicorn -c python:server.gunicorn_conf) on a free port."""

    def __init__(self, database_url, instance, workers: int = 2, **env: str):
        super().__init__(database_url, instance, workers)
        self.env.update({f"WILLAY_{k}": v for k, v in env.items()})

    def command(self) -> list[str]:
        return [str(BIN / "gunicorn"), "-c", "python:server.gunicorn_conf",
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                "--log-level", "warning", "--access-logfile", "/dev/null"]


@pytest.fixture
def served(database_url, tmp_path, app):
    """Start the embedded default with extra WILLAY_* settings: served(BODY_IDLE_SECONDS="2")."""
    started = []

    def start(workers: int = 2, **env: str) -> ConfiguredServer:
        server = ConfiguredServer(database_url, tmp_path / f"live{len(started)}", workers,
                                  **env)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
