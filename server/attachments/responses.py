"""A stored file as an HTTP response, from whichever store holds it: streamed by this app
after the view checked who may see it (never a bucket URL handed to the browser), with
conditional requests and byte ranges (a voice note or a video can be sought)."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import current_app, request
from werkzeug.wrappers import Response
from werkzeug.wsgi import FileWrapper

from .services import media_store
from .storage import MediaMissing

CHUNK = 256 * 1024


def stored_file_response(sha256: str, mimetype: str, *, etag: str | None = None,
                         max_age: int | None = None, conditional: bool = True,
                         download_name: str | None = None,
                         as_attachment: bool = False) -> Response | None:
    """None when the store holds no such file (the view answers 404); StoreUnavailable
    propagates (answered 503). `max_age` None: the client revalidates every time."""
    try:
        stored = media_store().open(sha256)
    except MediaMissing:
        return None
    # werkzeug's own FileWrapper, not the server's: it passes seek() on for byte ranges
    response = current_app.response_class(FileWrapper(stored, CHUNK), mimetype=mimetype,
                                          direct_passthrough=True)
    response.content_length = stored.size
    if download_name is not None:
        disposition(response, download_name, as_attachment)
    if max_age is None:
        response.cache_control.no_cache = True
    else:
        response.cache_control.max_age = max_age
    if etag:
        response.set_etag(etag)
    if conditional:
        response = response.make_conditional(request, accept_ranges=True,
                                             complete_length=stored.size)
    return response


def disposition(response: Response, name: str, as_attachment: bool) -> None:
    """Content-Disposition with the file's name; a name beyond ASCII also as RFC 5987."""
    value = "attachment" if as_attachment else "inline"
    try:
        name.encode("ascii")
        names = {"filename": name}
    except UnicodeEncodeError:
        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
        names = {"filename": plain, "filename*": f"UTF-8''{quote(name, safe='!#$&+-.^_`|~')}"}
    response.headers.set("Content-Disposition", value, **names)
