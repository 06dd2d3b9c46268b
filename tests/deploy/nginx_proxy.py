"""Debian's nginx running the repo's configuration (deploy/nginx/willay.conf.template) in front
of live app servers, for tests and benchmarks: rendered by deploy/render_nginx.py for
127.0.0.1 with a self-signed certificate made here, on free ports, as an unprivileged
process with its own prefix, pid file, logs and temp dirs. Stopped by its own pid."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
RENDER = REPO / "deploy" / "render_nginx.py"

MAIN_CONF = """\
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {root}/access.log;
    client_body_temp_path {root}/temp/body;
    proxy_temp_path {root}/temp/proxy;
    fastcgi_temp_path {root}/temp/fastcgi;
    uwsgi_temp_path {root}/temp/uwsgi;
    scgi_temp_path {root}/temp/scgi;
    include {root}/willay.conf;
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 valid two days (openssl, as an administrator would)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


class Nginx:
    """`Nginx(["127.0.0.1:8001"]).start()`; `.url` is https://127.0.0.1:<port>."""

    def __init__(self, upstreams: list[str], environ: dict[str, str] | None = None):
        self.upstreams = upstreams
        self.environ = environ or {}
        self.port, self.http_port = free_port(), free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        # pytest's tmp_path is private to root; as root the workers run as nobody, who must
        # read the certificate and write the temp dirs, so the prefix is a dir of its own
        self.root = Path(tempfile.mkdtemp(prefix="willay-nginx-"))
        self.cert, self.key = self_signed(self.root)
        self.config = self.root / "willay.conf"

    def render(self) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("WILLAY_")}
        env.update(self.environ)
        args = [sys.executable, str(RENDER), "--server-name", "127.0.0.1", "--cert",
                str(self.cert), "--key", str(self.key), "--https-listen",
                f"127.0.0.1:{self.port}", "--http-listen", f"127.0.0.1:{self.http_port}"]
        for upstream in self.upstreams:
            args += ["--upstream", upstream]
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=30)
        if done.returncode:
            raise RuntimeError(f"render_nginx failed: {done.stderr}")
        return done.stdout

    def _own(self) -> dict:
        """As root: the files belong to nobody and nginx runs as nobody."""
        if os.geteuid() != 0:
            return {}
        nobody = pwd.getpwnam("nobody")
        for path in [self.root, *self.root.rglob("*")]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        return {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}

    def start(self, timeout: float = 20) -> None:
        self.config.write_text(self.render(), encoding="utf-8")
        (self.root / "temp").mkdir(exist_ok=True)
        (self.root / "nginx.conf").write_text(MAIN_CONF.format(root=self.root))
        as_user = self._own()
        command = [NGINX, "-p", str(self.root), "-c", str(self.root / "nginx.conf"),
                   "-e", str(self.root / "error.log"), "-g", "daemon off;"]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30,
                               **as_user)
        if check.returncode:
            raise RuntimeError(f"nginx -t refused the configuration:\n{check.stderr}")
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, **as_user)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.errors()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not listen within {timeout} s: {self.errors()}")

    def errors(self) -> str:
        log = self.root / "error.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""

    def access_log(self) -> str:
        log = self.root / "access.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
            self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
