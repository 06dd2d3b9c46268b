"""Configuration: defaults, then `WILLAY_*` environment variables, then test overrides."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from .jsonutil import db_dumps, db_loads

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-secret-change-me"


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe or unusable."""


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"WILLAY_{name} must be an integer, got {value!r}") from exc


# name -> (default, parser). Every entry can be set as WILLAY_<NAME>.
SETTINGS: dict[str, tuple[Any, Any]] = {
    "ENV": ("development", str),
    "SECRET_KEY": (DEFAULT_SECRET, str),
    "DATABASE_URL": (None, str),
    "MEDIA_DIR": (None, str),
    "PWA_DIR": (str(REPO_ROOT / "pwa"), str),
    "TRANSLATIONS_DIR": (str(REPO_ROOT / "translations"), str),
    "PUBLIC_URL": ("http://127.0.0.1:8000", str),
    # the public portal hides every figure computed from fewer than PORTAL_K submissions
    "PORTAL_K": (5, _int),
    # the licence of the portal's open data (its name, and where it is explained)
    "PORTAL_LICENCE": ("CC BY 4.0", str),
    "PORTAL_LICENCE_URL": ("https://creativecommons.org/licenses/by/4.0/", str),
    "MAX_BATCH_ITEMS": (100, _int),
    "MAX_BATCH_BYTES": (2 * 1024 * 1024, _int),
    "MAX_ATTACHMENT_BYTES": (15 * 1024 * 1024, _int),
    # videos and documents (video and file answers; videos shown with a survey's labels)
    "MAX_VIDEO_BYTES": (50 * 1024 * 1024, _int),
    "PAIRING_CODE_HOURS": (72, _int),
    "RATELIMIT_STORAGE_URI": ("memory://", str),
    "RATELIMIT_PAIRING": ("20 per minute", str),
    "RATELIMIT_RECEIPTS": ("30 per minute", str),
    # residents' phones through a public link; promoter devices are not limited
    "RATELIMIT_PUBLIC_UPLOADS": ("60 per hour", str),
    # console sign-in attempts per client address (guessing protection)
    "RATELIMIT_SIGN_IN": ("10 per minute", str),
    "LOG_LEVEL": ("INFO", str),
    # how many reverse proxies (load balancer, nginx) stand in front: their X-Forwarded-*
    # headers are trusted that many hops deep, so rate limits see the real client address
    "PROXY_HOPS": (0, _int),
    # how long the console dashboard may reuse figures it computed (0: always recompute)
    "DASHBOARD_CACHE_SECONDS": (60, _int),
    # the dashboard's "answers overdue": residents waiting longer than this many days
    "ANSWER_OVERDUE_DAYS": (7, _int),
    # a console session ends after this long without a request, and this long after sign-in
    "SESSION_IDLE_MINUTES": (120, _int),
    "SESSION_MAX_HOURS": (12, _int),
    # SQLite: FULL syncs the write-ahead log on every commit, so what the API confirmed as
    # stored survives a power cut (NORMAL may lose the last commits); see docs/decisions.md
    "SQLITE_SYNCHRONOUS": ("FULL", str),
    # how console passwords are hashed (Werkzeug's method string: scrypt:N:r:p or
    # pbkdf2:sha256:iterations); stored hashes name their own method, so a change applies
    # to passwords set from then on
    "PASSWORD_HASH": ("scrypt:32768:8:1", str),
}

# --- SMS channel (server/sms, docs/sms.md) ---------------------------------------------
SETTINGS.update({
    # which gateway sends the outgoing SMS: "android" (SMS Gateway for Android), "generic"
    # (a provider that takes our signed JSON) or "" (none: messages wait in the queue)
    "SMS_SEND_CHANNEL": ("", str),
    # SMS Gateway for Android: its API (local mode http://<phone>:8080, or the cloud
    # https://api.sms-gate.app/3rdparty/v1), its user and password, its webhook signing key
    "SMS_GATEWAY_URL": ("", str),
    "SMS_GATEWAY_LOGIN": ("", str),
    "SMS_GATEWAY_PASSWORD": ("", str),
    "SMS_GATEWAY_SIGNING_KEY": ("", str),
    # generic provider: the shared secret of both directions, and where to POST outgoing SMS
    "SMS_GENERIC_SECRET": ("", str),
    "SMS_GENERIC_SEND_URL": ("", str),
    # webhook timestamps older or newer than this are refused (replayed requests)
    "SMS_SIGNATURE_MAX_AGE": (300, _int),
    # a conversation without an answer for this long is closed; its answers kept as partial
    "SMS_ABANDON_HOURS": (24, _int),
    # incoming messages answered per number per hour, and from everyone per minute
    "SMS_LIMIT_PER_NUMBER_HOUR": (40, _int),
    "SMS_LIMIT_GLOBAL_MINUTE": (600, _int),
    # sending: seconds per request to the gateway, and attempts before a message is failed
    "SMS_SEND_TIMEOUT": (5, _int),
    "SMS_MAX_ATTEMPTS": (60, _int),
})

# --- rate-limit counts (issue 10, server/ratelimits.py) -------------------------------
# empty: a SQLite file in the instance folder that every worker of this machine shares;
# "redis://host:6379" for several servers; "memory://" counts per worker process
SETTINGS["RATELIMIT_STORAGE_URI"] = ("", str)


# --- media storage (issue 11, server/attachments, docs/media-storage.md) ---------------
SETTINGS.update({
    # empty: files in MEDIA_DIR; s3://bucket/prefix: any S3-compatible object store
    "MEDIA_URL": ("", str),
    # the store's address (empty: AWS itself), and its credentials (empty: boto3's own
    # chain: AWS_* variables, ~/.aws, an instance role)
    "S3_ENDPOINT_URL": ("", str),
    "S3_ACCESS_KEY_ID": ("", str),
    "S3_SECRET_ACCESS_KEY": ("", str),
    "S3_REGION": ("", str),
    # the media clean-up keeps a file no submission uses for this many days after it arrived
    "MEDIA_GRACE_DAYS": (7, _int),
})


# --- background jobs (issue 11, server/jobs, docs/exports.md) ---------------------------
SETTINGS.update({
    # the queue: empty = a SQLite file of its own in the instance folder (one machine);
    # "redis://host:6379/0" when several servers share the work; "immediate" runs each job
    # inside the request that asks for it (tests, or a set-up without a worker)
    "JOBS_URL": ("", str),
    # how many jobs one `willay worker` runs at once (threads)
    "JOBS_WORKERS": (2, _int),
    # a running job's worker renews its lease this often x3; a job whose lease ran out
    # (its worker died) is queued again, at most JOBS_MAX_ATTEMPTS times in all
    "JOBS_LEASE_SECONDS": (30, _int),
    "JOBS_MAX_ATTEMPTS": (3, _int),
    # where finished exports wait for their download (empty: <instance>/exports), and for
    # how many days
    "EXPORT_DIR": ("", str),
    "EXPORT_KEEP_DAYS": (7, _int),
})


def load_config(instance_path: str, environ: dict[str, str] | None = None) -> dict[str, Any]:
    environ = dict(os.environ if environ is None else environ)
    values: dict[str, Any] = {}
    for name, (default, parse) in SETTINGS.items():
        raw = environ.get(f"WILLAY_{name}")
        if raw is None or raw == "":
            values[name] = default
        else:
            values[name] = raw if parse is str else parse(raw, name)
    if values["PROXY_HOPS"] < 0:
        raise ConfigError("WILLAY_PROXY_HOPS must be 0 or more")
    if values["PORTAL_K"] < 2:
        raise ConfigError("WILLAY_PORTAL_K must be 2 or more")
    if values["SESSION_IDLE_MINUTES"] < 1 or values["SESSION_MAX_HOURS"] < 1:
        raise ConfigError("WILLAY_SESSION_IDLE_MINUTES and WILLAY_SESSION_MAX_HOURS must be 1 "
                          "or more")
    values["SQLITE_SYNCHRONOUS"] = values["SQLITE_SYNCHRONOUS"].upper()
    if values["SQLITE_SYNCHRONOUS"] not in ("FULL", "NORMAL", "EXTRA"):
        raise ConfigError("WILLAY_SQLITE_SYNCHRONOUS must be FULL, EXTRA or NORMAL")
    if not re.fullmatch(r"scrypt(:\d+){3}|pbkdf2:sha256:\d+", values["PASSWORD_HASH"]):
        raise ConfigError("WILLAY_PASSWORD_HASH must be scrypt:N:r:p or pbkdf2:sha256:N")
    if values["MEDIA_URL"]:
        from .attachments.s3 import parse_media_url

        try:
            parse_media_url(values["MEDIA_URL"])
        except ValueError as exc:
            raise ConfigError("WILLAY_MEDIA_URL must be empty (files in WILLAY_MEDIA_DIR) or "
                              "s3://bucket/prefix") from exc
    if values["MEDIA_GRACE_DAYS"] < 1:
        raise ConfigError("WILLAY_MEDIA_GRACE_DAYS must be 1 or more")
    if values["DATABASE_URL"] is None:
        values["DATABASE_URL"] = f"sqlite:///{Path(instance_path) / 'willay.sqlite3'}"
    if values["MEDIA_DIR"] is None:
        values["MEDIA_DIR"] = str(Path(instance_path) / "media")
    if not values["EXPORT_DIR"]:
        values["EXPORT_DIR"] = str(Path(instance_path) / "exports")
    if values["JOBS_LEASE_SECONDS"] < 2 or values["EXPORT_KEEP_DAYS"] < 1:
        raise ConfigError("WILLAY_JOBS_LEASE_SECONDS must be 2 or more and "
                          "WILLAY_EXPORT_KEEP_DAYS 1 or more")
    return values


def flask_config(values: dict[str, Any]) -> dict[str, Any]:
    """Translate Willay settings into the keys Flask and its extensions read."""
    return {
        "SECRET_KEY": values["SECRET_KEY"],
        "SQLALCHEMY_DATABASE_URI": values["DATABASE_URL"],
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(values["DATABASE_URL"]),
        "BABEL_DEFAULT_LOCALE": "es_PE",
        "BABEL_TRANSLATION_DIRECTORIES": values["TRANSLATIONS_DIR"],
        "RATELIMIT_STORAGE_URI": values["RATELIMIT_STORAGE_URI"],
        "RATELIMIT_HEADERS_ENABLED": True,
        "JSON_SORT_KEYS": False,
        # console session cookie: not readable by scripts, not sent cross-site, HTTPS-only
        # in production; forms carry a CSRF token (Flask-WTF) valid for the session
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": values["ENV"] == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": values["ENV"] == "production",
        "PERMANENT_SESSION_LIFETIME": values["SESSION_MAX_HOURS"] * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        # Flask-WTF's HTTPS check wants a Referer, which our Referrer-Policy (no-referrer)
        # never lets a browser send: every console form would fail in production. The token
        # bound to a SameSite session cookie is the protection.
        "WTF_CSRF_SSL_STRICT": False,
        "WILLAY": values,
    }


def engine_options(url: str) -> dict[str, Any]:
    # JSON columns through fast codecs (ingest writes, exports read every row's answers)
    codecs = {"json_serializer": db_dumps, "json_deserializer": db_loads}
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}, **codecs}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10, **codecs}


def check_production(values: dict[str, Any]) -> None:
    if values["ENV"] == "production" and values["SECRET_KEY"] in (DEFAULT_SECRET, ""):
        raise ConfigError(
            "Refusing to start in production with the default secret key: "
            "set WILLAY_SECRET_KEY to a long random value."
        )
    if values["ENV"] == "production" and len(values["SECRET_KEY"]) < 32:
        raise ConfigError("WILLAY_SECRET_KEY must be at least 32 characters in production.")
