"""The PWA's strings, read from the same gettext catalogs as the server's."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from ..jsonutil import digest

_lock = threading.Lock()
_cache: dict[tuple[str, str, float], tuple[dict[str, Any], str]] = {}


def pwa_messages(translations_dir: str, locale: str) -> tuple[dict[str, Any], str]:
    """The PWA's catalog and an ETag for it: {"messages": {msgid: translation}, "plurals":
    {singular msgid: [forms]}, "plural_forms": the catalog's Plural-Forms header}.

    The .po file says where each message is used; the compiled .mo gives the translation, so
    what the PWA gets is exactly what the server would show. Messages with a count keep all
    their forms (Spanish two, Quechua one); pwa/i18n.js picks one with the same rule.
    """
    base = Path(translations_dir) / locale / "LC_MESSAGES"
    po_path, mo_path = base / "messages.po", base / "messages.mo"
    key = (translations_dir, locale, mo_path.stat().st_mtime if mo_path.exists() else 0.0)
    with _lock:
        if key in _cache:
            return _cache[key]
    with po_path.open("rb") as handle:
        source = read_po(handle)
    pwa_ids = {_singular(m.id) for m in source
               if m.id and any(loc.startswith("pwa/") for loc, _line in m.locations)}
    with mo_path.open("rb") as handle:
        compiled = read_mo(handle)
    messages: dict[str, str] = {}
    plurals: dict[str, list[str]] = {}
    for message in compiled:
        if not message.id or _singular(message.id) not in pwa_ids:
            continue
        if isinstance(message.id, str):
            if message.string:
                messages[message.id] = message.string
        elif all(message.string):
            plurals[message.id[0]] = list(message.string)
    body = {"messages": messages, "plurals": plurals, "plural_forms": source.plural_forms}
    result = (body, digest(body))
    with _lock:
        _cache[key] = result
    return result


def _singular(msgid: str | tuple[str, ...]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]
