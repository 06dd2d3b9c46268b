"""Render deploy/nginx/willay.conf.template for one site: the few values an administrator
changes (server name, certificate paths, app servers, ports), and the body limit derived
from the app's own limits (WILLAY_MAX_VIDEO_BYTES, WILLAY_MAX_ATTACHMENT_BYTES, read from the
environment like the app reads them).

    .venv/bin/python deploy/render_nginx.py --server-name willay.example.org \\
        --cert /etc/ssl/willay/fullchain.pem --key /etc/ssl/willay/privkey.pem \\
        --upstream 10.0.0.11:8000 --upstream 10.0.0.12:8000 > /etc/nginx/sites-available/willay

Only `${WILLAY_...}` placeholders are replaced (nginx's own `$host` and friends stay), and a
placeholder without a value is an error, never an empty line in a live configuration.
Standard library only: it runs before the app is installed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "willay.conf.template"
PLACEHOLDER = re.compile(r"\$\{(WILLAY_[A-Z0-9_]+)\}")
# the app's defaults (server/config.py); the environment overrides them as it does the app's
DEFAULT_LIMITS = {"WILLAY_MAX_ATTACHMENT_BYTES": 15 * 1024 * 1024,
                  "WILLAY_MAX_VIDEO_BYTES": 50 * 1024 * 1024}
MARGIN_BYTES = 1024 * 1024  # the app, not nginx, refuses bodies just over its limits
UPSTREAM = re.compile(r"[A-Za-z0-9.\-\[\]:]+:\d+|unix:/[^\s;]+")


class RenderError(ValueError):
    pass


def body_limit(environ: dict[str, str]) -> str:
    """client_max_body_size: the largest body the app accepts, plus a margin, in KiB."""
    limits = []
    for name, default in DEFAULT_LIMITS.items():
        raw = environ.get(name) or str(default)
        if not raw.isdigit():
            raise RenderError(f"{name} must be a number of bytes, got {raw!r}")
        limits.append(int(raw))
    return f"{-(-(max(limits) + MARGIN_BYTES) // 1024)}k"


def listen(value: str, default_port: int) -> tuple[str, int]:
    """'443', '8443' or '127.0.0.1:8443' -> (listen value, port)."""
    port = value.rsplit(":", 1)[-1] if value else str(default_port)
    if not port.isdigit():
        raise RenderError(f"not a port: {value!r}")
    return (value or port), int(port)


def values(server_name: str, cert: str, key: str, upstreams: list[str], https: str = "",
           http: str = "", environ: dict[str, str] | None = None) -> dict[str, str]:
    environ = dict(os.environ if environ is None else environ)
    if not upstreams:
        raise RenderError("give at least one --upstream host:port")
    for upstream in upstreams:
        if not UPSTREAM.fullmatch(upstream):
            raise RenderError(f"an upstream is host:port or unix:/path, got {upstream!r}")
    for name, text in (("server name", server_name), ("certificate", cert), ("key", key)):
        if not text or re.search(r"[\s;{}$]", text):
            raise RenderError(f"the {name} must be one word without ; {{ }} or $, got {text!r}")
    https_listen, https_port = listen(https, 443)
    http_listen, _port = listen(http, 80)
    return {
        "WILLAY_SERVER_NAME": server_name,
        "WILLAY_TLS_CERT": cert,
        "WILLAY_TLS_KEY": key,
        "WILLAY_UPSTREAMS": "\n".join(f"    server {u} max_fails=1 fail_timeout=5s;"
                                      for u in upstreams),
        "WILLAY_HTTPS_LISTEN": https_listen,
        "WILLAY_HTTP_LISTEN": http_listen,
        "WILLAY_HTTPS_PORT_SUFFIX": "" if https_port == 443 else f":{https_port}",
        "WILLAY_MAX_BODY": body_limit(environ),
    }


def render(mapping: dict[str, str], template: str | None = None) -> str:
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    missing = sorted({name for name in PLACEHOLDER.findall(text) if name not in mapping})
    if missing:
        raise RenderError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: mapping[match.group(1)], text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server-name", required=True, help="e.g. willay.example.org")
    parser.add_argument("--cert", required=True, help="certificate chain (PEM)")
    parser.add_argument("--key", required=True, help="its private key (PEM)")
    parser.add_argument("--upstream", action="append", default=[],
                        help="an app server, host:port (repeat for several)")
    parser.add_argument("--https-listen", default="", help="default 443; or address:port")
    parser.add_argument("--http-listen", default="", help="default 80; or address:port")
    parser.add_argument("--output", help="write here instead of standard output")
    args = parser.parse_args(argv)
    try:
        text = render(values(args.server_name, args.cert, args.key, args.upstream,
                             args.https_listen, args.http_listen))
    except RenderError as err:
        print(f"render_nginx: {err}", file=sys.stderr)
        return 2
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
