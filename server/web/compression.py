"""Compression of the first visit's answers: the app shell's files, the strings catalog, the
place lists and the pairing answer, for phones on a 400 kbps link where every kilobyte is
20 ms.

Answers whose bytes repeat (a file at its hashed address, a catalog, a department's places)
are compressed once at the strongest level (brotli 11, gzip 9) and kept by the SHA-256 of
their bytes, so the cost (tens of milliseconds for the largest module) is paid once per
content, not per request. Answers made once (the pairing answer, with its token) get a fast
level. A compressed answer's ETag becomes weak, as RFC 9110 says for a changed
representation; If-None-Match is compared weakly (server/api/http.py), so a phone that
sends the weak tag back still gets its 304.

nginx (deploy/) passes an answer that already has a Content-Encoding through untouched and
gzips only what the app left plain.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import brotli
from flask import Response, after_this_request, request

TEXT_TYPES = frozenset({"text/html", "text/css", "text/javascript", "application/javascript",
                        "application/json", "application/manifest+json"})
MIN_SIZE = 500  # smaller answers fit in one packet either way
STRONG = {"br": 11, "gzip": 9}
FAST = {"br": 5, "gzip": 6}
CACHE_ENTRIES = 512  # every shell file in both encodings, with room for catalogs and places

_lock = threading.Lock()
_cache: OrderedDict[tuple[str, bytes], bytes] = OrderedDict()


def accepted_encoding(header: str) -> str | None:
    """br if the client takes it, else gzip, else None (q=0 refuses an encoding)."""
    offered = {}
    for part in header.split(","):
        name, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        offered[name.strip().lower()] = quality
    for encoding in ("br", "gzip"):
        if offered.get(encoding, offered.get("*", 0.0)) > 0:
            return encoding
    return None


def _encode(data: bytes, encoding: str, level: int) -> bytes:
    if encoding == "br":
        return brotli.compress(data, quality=level)
    return gzip.compress(data, compresslevel=level, mtime=0)


def compressed_bytes(data: bytes, encoding: str) -> bytes:
    """`data` at the strongest level, computed once per content and encoding."""
    key = (encoding, hashlib.sha256(data).digest())
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    packed = _encode(data, encoding, STRONG[encoding])
    with _lock:
        _cache[key] = packed
        while len(_cache) > CACHE_ENTRIES:
            _cache.popitem(last=False)
    return packed


def compress_response(response: Response, *, repeated: bool = True) -> Response:
    """Encode `response` for this request when it is worth it (text, 200/201, not encoded yet;
    never a 206 range).
    `repeated`: the same bytes will be asked for again, so the strong level is cached."""
    vary = response.headers.get("Vary", "")
    if "accept-encoding" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
    encoding = accepted_encoding(request.headers.get("Accept-Encoding", ""))
    if (encoding is None or response.status_code not in (200, 201)
            or response.mimetype not in TEXT_TYPES
            or "Content-Encoding" in response.headers):
        return response
    response.direct_passthrough = False  # a file from send_from_directory: read it here
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    packed = (compressed_bytes(data, encoding) if repeated
              else _encode(data, encoding, FAST[encoding]))
    response.set_data(packed)
    response.headers["Content-Encoding"] = encoding
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
    return response


def compressed(repeated: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator: the view's answer goes through compress_response."""
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            @after_this_request
            def encode(response: Response) -> Response:
                return compress_response(response, repeated=repeated)
            return view(*args, **kwargs)
        return wrapped
    return decorator
