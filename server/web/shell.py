"""The PWA's app shell: which files it is made of and the version derived from their content.

The version is a hash of every file's name and bytes under `PWA_DIR`, so any change to the
app gives the service worker a new cache name without anybody bumping a number. It is
recomputed only when a file's name, size or modification time changes (one `stat` per file
per request of `sw.js`/`version.js`; the hash itself is cached).
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

SW_FILE = "sw.js"
VERSION_FILE = "version.js"  # served from the version, not a file on disk
VERSION_MARK = '"__WILLAY_VERSION__"'
SHELL_MARK = '["__WILLAY_SHELL__"]'
INDEX_FILE = "index.html"
# replaced by one <link rel="modulepreload"> per module, so a phone on a slow link fetches
# them all at once instead of discovering them import by import (one round trip per level)
PRELOAD_MARK = "<!--willay:modulepreload-->"
VERSION_LENGTH = 16  # hex digits; devices report it in X-Willay-App (at most 40 chars)


@dataclass(frozen=True)
class Shell:
    version: str
    files: tuple[str, ...]  # paths relative to PWA_DIR, "/"-separated, sorted

    def precache(self, prefix: str = "/app/") -> list[str]:
        """URLs the service worker stores on install (itself excluded)."""
        urls = [prefix, prefix + VERSION_FILE]
        urls += [prefix + name for name in self.files if name != SW_FILE]
        return urls


_lock = threading.Lock()
_cache: dict[str, tuple[tuple, Shell]] = {}


def _listing(root: Path) -> list[tuple[str, Path]]:
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith((".", "__")) for part in relative.parts) or not path.is_file():
            continue
        found.append((relative.as_posix(), path))
    return sorted(found)


def shell(pwa_dir: str) -> Shell:
    root = Path(pwa_dir)
    listing = _listing(root)
    stamp = tuple((name, path.stat().st_size, path.stat().st_mtime_ns) for name, path in listing)
    with _lock:
        cached = _cache.get(pwa_dir)
        if cached and cached[0] == stamp:
            return cached[1]
    digest = hashlib.sha256()
    for name, path in listing:
        data = path.read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    result = Shell(digest.hexdigest()[:VERSION_LENGTH], tuple(name for name, _path in listing))
    with _lock:
        _cache[pwa_dir] = (stamp, result)
    return result


def service_worker_source(pwa_dir: str) -> str:
    current = shell(pwa_dir)
    source = (Path(pwa_dir) / SW_FILE).read_text(encoding="utf-8")
    return (source.replace(VERSION_MARK, json.dumps(current.version))
            .replace(SHELL_MARK, json.dumps(current.precache())))


def version_module(pwa_dir: str) -> str:
    return f"export const VERSION = {json.dumps(shell(pwa_dir).version)};\n"


def index_source(pwa_dir: str) -> str:
    modules = [VERSION_FILE] + [name for name in shell(pwa_dir).files
                                if name.endswith(".js") and name != SW_FILE]
    links = "\n  ".join(f'<link rel="modulepreload" href="{name}">' for name in modules)
    source = (Path(pwa_dir) / INDEX_FILE).read_text(encoding="utf-8")
    return source.replace(PRELOAD_MARK, links)
