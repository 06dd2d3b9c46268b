"""Locale choice for every request: ?lang=, then Accept-Language, then Spanish (Peru)."""

from __future__ import annotations

from flask import Flask, has_request_context, request, session
from flask_babel import get_locale

from ..extensions import babel

LOCALES = ("es_PE", "qu")
DEFAULT_LOCALE = "es_PE"
# Tags people and browsers actually send, mapped to our two catalogs.
_ALIASES = {
    "es": "es_PE", "es-pe": "es_PE", "es_pe": "es_PE",
    "qu": "qu", "qu-pe": "qu", "qu_pe": "qu", "quz": "qu", "quy": "qu", "que": "qu",
    "qxp": "qu", "qub": "qu", "quh": "qu",
}


def match_locale(tag: str | None) -> str | None:
    if not tag:
        return None
    tag = tag.strip().lower()
    if tag in _ALIASES:
        return _ALIASES[tag]
    primary = tag.replace("_", "-").split("-", 1)[0]
    return _ALIASES.get(primary)


def select_locale() -> str:
    if not has_request_context():  # CLI and background work speak the default language
        return DEFAULT_LOCALE
    explicit = match_locale(request.args.get("lang"))
    if explicit:
        return explicit
    remembered = match_locale(session.get("lang")) if request.cookies else None
    if remembered:  # the console remembers the language chosen there
        return remembered
    for tag, _quality in request.accept_languages:
        found = match_locale(tag)
        if found:
            return found
    return DEFAULT_LOCALE


def content_language() -> str:
    """The survey-content language ('es' or 'qu') that matches the request locale."""
    return "qu" if str(get_locale()) == "qu" else "es"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def _html_lang() -> dict[str, str]:
        return {"html_lang": "qu" if str(get_locale()) == "qu" else "es-PE"}

    @app.after_request
    def _vary_on_language(response):
        response.vary.add("Accept-Language")
        if "Content-Language" not in response.headers:
            response.headers["Content-Language"] = str(get_locale()).replace("_", "-")
        return response
