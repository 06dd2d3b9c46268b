"""Several app servers as docs/deploy.md sets them up: gunicorn started like the willay-web
unit (`-c python:server.gunicorn_conf`) on PostgreSQL, with rate limits and jobs in Redis and
media in an S3-compatible bucket (moto's standalone server), behind the repo's nginx
(deploy/nginx/willay.conf.template through tests/deploy/nginx_proxy.py).
Used by tests/scale and by bench/scale.py. Every process is stopped by its own pid."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import boto3
import redis
import requests
from deploy.nginx_proxy import Nginx
from live import BIN, LiveServer, free_port

S3_KEYS = {"S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing",
           "S3_REGION": "us-east-1"}


class AppServer(LiveServer):
    """One app server. Its own process group, so `kill()` takes its workers down with the
    master at once, as a machine that loses power would."""

    def __init__(self, database_url: str, instance: Path, workers: int, env: dict[str, str]):
        super().__init__(database_url, instance, workers)
        self.env.update(env)
        self.access_log = instance.parent / f"{instance.name}-access.log"
        self.worker: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [str(BIN / "gunicorn"), "-c", "python:server.gunicorn_conf", "--bind",
                f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--log-level",
                "warning", "--access-logfile", str(self.access_log)]

    def start(self) -> None:
        self.proc = subprocess.Popen(self.command(), env=self.env, stdout=subprocess.DEVNULL,
                                     start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError("gunicorn did not start within 60 s")

    def kill(self) -> None:
        """SIGKILL to the master and its workers: nothing finishes, nothing is flushed."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(10)
        self.proc = None

    def start_worker(self) -> None:
        """The willay-worker unit beside it: `willay worker`, sharing the Redis queue."""
        self.worker = subprocess.Popen([str(BIN / "willay"), "worker", "--threads", "1"],
                                       env=self.env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, start_new_session=True)

    def stop_worker(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(5)

    def requests_served(self) -> int:
        if not self.access_log.exists():
            return 0
        return sum(1 for _line in self.access_log.open(errors="replace"))


class MotoServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        self.proc = subprocess.Popen([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p",
                                      str(self.port)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"moto_server exited with {self.proc.returncode}")
            try:
                requests.get(self.url, timeout=2)
                return
            except requests.RequestException as err:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"moto_server did not answer in {timeout} s") from err
                time.sleep(0.1)

    def client(self):
        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id="testing",
                            aws_secret_access_key="testing", region_name="us-east-1")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
            self.proc = None


class Cluster:
    """`Cluster(pg_url, redis_url, workdir, instances=2).start()`; `.url` is nginx's."""

    def __init__(self, database_url: str, redis_url: str, workdir: Path, instances: int = 2,
                 workers: int = 1, job_workers: bool = False, **settings: str):
        self.database_url, self.redis_url, self.workdir = database_url, redis_url, workdir
        self.moto = MotoServer()
        self.bucket = f"willay-scale-{uuid.uuid4().hex[:10]}"
        self.settings = settings
        self.instances = instances
        self.workers = workers
        self.job_workers = job_workers
        self.servers: list[AppServer] = []
        self.nginx: Nginx | None = None

    @property
    def url(self) -> str:
        return self.nginx.url

    def env(self) -> dict[str, str]:
        shared = {"RATELIMIT_STORAGE_URI": self.redis_url, "JOBS_URL": self.redis_url,
                  "MEDIA_URL": f"s3://{self.bucket}/media", "S3_ENDPOINT_URL": self.moto.url,
                  "PROXY_HOPS": "1", "PASSWORD_HASH": "scrypt:1024:8:1", **S3_KEYS,
                  # export files: one folder every server and worker mounts (NFS, say)
                  "EXPORT_DIR": str(self.workdir / "exports"),
                  **self.settings}
        env = {f"WILLAY_{name}": value for name, value in shared.items()}
        # the same secret everywhere: a console session is valid on every app server
        env["WILLAY_SECRET_KEY"] = "scale-test-secret-shared-by-every-app-server"
        return env

    def start(self) -> Cluster:
        redis.Redis.from_url(self.redis_url).flushdb()
        self.moto.start()
        self.moto.client().create_bucket(Bucket=self.bucket)
        for index in range(self.instances):
            server = AppServer(self.database_url, self.workdir / f"app{index}", self.workers,
                               self.env())
            self.servers.append(server)
        self.servers[0].willay("setup", "--no-samples")  # once, from one machine
        for server in self.servers:
            server.start()
            if self.job_workers:
                server.start_worker()
        self.nginx = Nginx([f"127.0.0.1:{s.port}" for s in self.servers])
        self.nginx.start()
        return self

    def bucket_keys(self) -> list[str]:
        pages = self.moto.client().get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.close()
            self.nginx = None
        for server in self.servers:
            server.stop_worker()
            server.stop()
        self.servers = []
        self.moto.stop()
