"""Configuration: defaults, then `WILLAY_*` environment variables, then test overrides."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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
}


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
    if values["DATABASE_URL"] is None:
        values["DATABASE_URL"] = f"sqlite:///{Path(instance_path) / 'willay.sqlite3'}"
    if values["MEDIA_DIR"] is None:
        values["MEDIA_DIR"] = str(Path(instance_path) / "media")
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
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        "COMPRESS_REGISTER": False,  # only the views that ask (the PWA's files)
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip"],  # files are sent as streams
        "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/javascript",
                               "application/javascript", "application/manifest+json"],
        # Flask-WTF's HTTPS check wants a Referer, which our Referrer-Policy (no-referrer)
        # never lets a browser send: every console form would fail in production. The token
        # bound to a SameSite session cookie is the protection.
        "WTF_CSRF_SSL_STRICT": False,
        "WILLAY": values,
    }


def engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10}


def check_production(values: dict[str, Any]) -> None:
    if values["ENV"] == "production" and values["SECRET_KEY"] in (DEFAULT_SECRET, ""):
        raise ConfigError(
            "Refusing to start in production with the default secret key: "
            "set WILLAY_SECRET_KEY to a long random value."
        )
    if values["ENV"] == "production" and len(values["SECRET_KEY"]) < 32:
        raise ConfigError("WILLAY_SECRET_KEY must be at least 32 characters in production.")
