from __future__ import annotations

from flask import Blueprint, current_app
from flask_babel import gettext as _

from ..api.errors import ApiError
from ..api.http import cached_json
from ..web.compression import compressed
from . import LOCALES, match_locale
from .catalog import pwa_messages

bp = Blueprint("i18n", __name__, url_prefix="/api/v1/i18n")


@bp.get("/<tag>")
@compressed()  # the first visit waits for it: 16 KB plain, 4 KB in brotli
def strings(tag: str):
    locale = match_locale(tag)
    if locale not in LOCALES:
        raise ApiError(404, "not_found", _("This language is not available."))
    body, etag = pwa_messages(current_app.config["WILLAY"]["TRANSLATIONS_DIR"], locale)
    return cached_json({"locale": locale, **body}, etag, max_age=3600)
