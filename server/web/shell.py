"""The PWA's app shell: which files it is made of and the version derived from their content.

The version is a hash of every file's name and bytes under `PWA_DIR`, so any change to the
app gives the service worker a new cache name without anybody bumping a number. It is
recomputed only when a file's name, size or modification time changes (one `stat` per file
per request of `sw.js`/`version.js`; the hash itself is cached).

Immutable addresses without a build step: each file also has a hash of its own bytes, and
the page names every file as `<name>?v=<hash>`. Modules import each other by their plain
relative names; an import map in the page (written here, allowed by its CSP hash) maps each
plain address to the hashed one, so the whole module graph, and anything the tests or the
app import as `/app/x.js`, loads from the hashed addresses, which may be cached for a year.
A changed file is a new address; unchanged files stay cached across app updates.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

SW_FILE = "sw.js"
VERSION_FILE = "version.js"  # served from the version, not a file on disk
VERSION_MARK = '"__WILLAY_VERSION__"'
SHELL_MARK = '["__WILLAY_SHELL__"]'
INDEX_FILE = "index.html"
# a classic script written into the page (not a module): starts the first visit's requests
# while the modules download (pwa/boot.js)
BOOT_FILE = "boot.js"
BOOT_MARK = "<!--willay:boot-->"
ENTRY_MODULE = "app.js"  # the page's module: it and its static imports are preloaded
# the screen a first visit needs next (the form engine): app.js imports it when it starts;
# its modules are preloaded after the first screens' ones, in the same wave
NEXT_MODULE = "ui/interview-screen.js"
# replaced by one <link rel="modulepreload"> per module, so a phone on a slow link fetches
# them all at once instead of discovering them import by import (one round trip per level)
PRELOAD_MARK = "<!--willay:modulepreload-->"
VERSION_LENGTH = 16  # hex digits; devices report it in X-Willay-App (at most 40 chars)
FILE_HASH_LENGTH = 12  # hex digits of a file's own sha256 in its address (?v=...)
# the page itself, its manifest (browsers fetch it by its plain address) and the worker are
# always revalidated; every other file has an immutable hashed address
PLAIN_FILES = (INDEX_FILE, "manifest.webmanifest", SW_FILE)
LOCAL_REFERENCE = re.compile(r'(src|href)="([^":?#]+)"')


@dataclass(frozen=True)
class Shell:
    version: str
    files: tuple[str, ...]  # paths relative to PWA_DIR, "/"-separated, sorted
    hashes: dict[str, str]  # file -> the hash in its immutable address (version.js included)

    def address(self, name: str, prefix: str = "/app/") -> str:
        """The file's address: hashed (immutable) unless it is one of PLAIN_FILES."""
        if name in PLAIN_FILES or name not in self.hashes:
            return prefix + name
        return f"{prefix}{name}?v={self.hashes[name]}"

    def is_current(self, name: str, given: str | None) -> bool:
        """Whether `?v=` names this file's current bytes (then it may be cached for good)."""
        return given is not None and name not in PLAIN_FILES and self.hashes.get(name) == given

    def precache(self, prefix: str = "/app/") -> list[str]:
        """URLs the service worker stores on install (itself excluded): the same hashed
        addresses the page loads, so a first visit's files come from the browser's cache."""
        urls = [prefix, self.address(VERSION_FILE, prefix)]
        urls += [self.address(name, prefix) for name in self.files if name != SW_FILE]
        return urls

    def modules(self) -> list[str]:
        """Every ES module of the page (the worker excluded), version.js first."""
        return [VERSION_FILE] + [name for name in self.files
                                 if name.endswith(".js") and name not in (SW_FILE, BOOT_FILE)]


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
    hashes = {}
    for name, path in listing:
        data = path.read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
        hashes[name] = hashlib.sha256(data).hexdigest()[:FILE_HASH_LENGTH]
    version = digest.hexdigest()[:VERSION_LENGTH]
    hashes[VERSION_FILE] = version
    result = Shell(version, tuple(name for name, _path in listing), hashes)
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


@dataclass(frozen=True)
class Page:
    html: str
    script_hash: str  # the CSP sources of its inline scripts: "'sha256-…' 'sha256-…'"


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def index_page(pwa_dir: str, prefix: str = "/app/") -> Page:
    """index.html with every local file at its hashed address, an import map that sends the
    plain module addresses there, the first requests started inline (boot.js), and one
    <link rel="modulepreload"> per module of the first screens (app.js and what it imports)
    and then of the form engine (NEXT_MODULE), so a phone on a slow link fetches them in one
    wave instead of discovering them import by import (each wave costs the link's latency);
    the other screens (settings, receipts, preview, resident) load when asked for."""
    current = shell(pwa_dir)
    modules = current.modules()
    import_map = json.dumps({"imports": {prefix + name: current.address(name, prefix)
                                         for name in modules}}, separators=(",", ":"))
    first = first_modules(pwa_dir, ENTRY_MODULE)
    first += [name for name in first_modules(pwa_dir, NEXT_MODULE) if name not in first]
    boot = ""
    if BOOT_FILE in current.hashes:
        lines = (Path(pwa_dir) / BOOT_FILE).read_text(encoding="utf-8").splitlines()
        boot = ("\n".join(line for line in lines if not line.lstrip().startswith("//"))
                .replace(VERSION_MARK, json.dumps(current.version)))
    links = "\n  ".join(f'<link rel="modulepreload" href="{current.address(name, prefix)}">'
                        for name in first)
    source = (Path(pwa_dir) / INDEX_FILE).read_text(encoding="utf-8")
    source = LOCAL_REFERENCE.sub(
        lambda m: f'{m.group(1)}="{current.address(m.group(2), "")}"', source)
    html = source.replace(PRELOAD_MARK, f'<script type="importmap">{import_map}</script>\n  '
                                        + links)
    hashes = [_csp_hash(import_map)]
    if boot:
        html = html.replace(BOOT_MARK, f"<script>{boot}</script>")
        hashes.append(_csp_hash(boot))
    return Page(html, " ".join(hashes))


STATIC_IMPORT = re.compile(
    r"""^\s*(?:import|export)\s+(?:[^"';]*?\sfrom\s+)?["'](\.{1,2}/[^"']+)["']""", re.M)
_imports_lock = threading.Lock()
_imports_cache: dict[tuple[str, str], list[str]] = {}


def first_modules(pwa_dir: str, entry: str) -> list[str]:
    """`entry` and every module it imports statically, directly or not (relative `import …
    from "./x.js"` lines; dynamic import() is left out on purpose), version.js first."""
    current = shell(pwa_dir)
    key = (pwa_dir, current.version + entry)
    with _imports_lock:
        if key in _imports_cache:
            return _imports_cache[key]
    root = Path(pwa_dir)
    found: set[str] = set()
    waiting = [entry]
    while waiting:
        name = waiting.pop()
        if name in found or (name != VERSION_FILE and name not in current.hashes):
            continue
        found.add(name)
        if name == VERSION_FILE:
            continue
        folder = PurePosixPath(name).parent
        for target in STATIC_IMPORT.findall((root / name).read_text(encoding="utf-8")):
            waiting.append(posixpath.normpath(str(folder / target)))
    ordered = [name for name in current.modules() if name in found]
    with _imports_lock:
        _imports_cache[key] = ordered
    return ordered


def index_source(pwa_dir: str) -> str:
    return index_page(pwa_dir).html
