"""The PWA's strings, read from the same gettext catalogs as the server's."""

from __future__ import annotations

import threading
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from ..jsonutil import digest

_lock = threading.Lock()
_cache: dict[tuple[str, str, float], tuple[dict[str, str], str]] = {}


def pwa_messages(translations_dir: str, locale: str) -> tuple[dict[str, str], str]:
    """{msgid: translation} for messages used in pwa/ files, and an ETag for them.

    The .po file says where each message is used; the compiled .mo gives the translation, so
    what the PWA gets is exactly what the server would show.
    """
    base = Path(translations_dir) / locale / "LC_MESSAGES"
    po_path, mo_path = base / "messages.po", base / "messages.mo"
    key = (translations_dir, locale, mo_path.stat().st_mtime if mo_path.exists() else 0.0)
    with _lock:
        if key in _cache:
            return _cache[key]
    with po_path.open("rb") as handle:
        pwa_ids = {m.id for m in read_po(handle)
                   if m.id and any(loc.startswith("pwa/") for loc, _line in m.locations)}
    with mo_path.open("rb") as handle:
        compiled = read_mo(handle)
    messages = {}
    for message in compiled:
        if message.id in pwa_ids and message.string:
            key_id = message.id if isinstance(message.id, str) else message.id[0]
            messages[key_id] = message.string if isinstance(message.string, str) \
                else message.string[0]
    result = (messages, digest(messages))
    with _lock:
        _cache[key] = result
    return result
