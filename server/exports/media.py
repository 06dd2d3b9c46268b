"""Media files (photos, recordings, videos, documents) in an export: each answer names its
file as it is in the ZIP (`media/<sha256>.jpg`) and links to it in the console.

The content types, which give the extension, are looked up once per batch of rows. With
media asked for, the files the rows refer to are also noted, in a temporary file rather
than in memory, so the ZIP can add them after the data files."""

from __future__ import annotations

import mimetypes
import tempfile
from collections.abc import Iterator
from itertools import repeat
from typing import Any

from flask import current_app

from .lookups import media_types

EXTENSIONS = {
    "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "audio/webm": ".webm",
    "audio/ogg": ".ogg", "audio/mp4": ".m4a", "audio/mpeg": ".mp3", "audio/aac": ".aac",
    "audio/wav": ".wav", "audio/x-wav": ".wav", "audio/3gpp": ".3gp", "audio/amr": ".amr",
    "video/mp4": ".mp4", "video/webm": ".webm", "video/3gpp": ".3gp", "video/quicktime": ".mov",
    "application/pdf": ".pdf", "text/csv": ".csv",
}
# the console's media route (server/console/media.py), which checks who may see the file
CONSOLE_MEDIA_PATH = "/console/media/"


def extension(content_type: str | None) -> str:
    if not content_type:
        return ""
    return EXTENSIONS.get(content_type) or mimetypes.guess_extension(content_type) or ""


def media_hashes(answers: list[Any], keys: set[str], repeats: set[str]) -> set[str]:
    """The hashes that answers of the `keys` questions hold in a batch of submissions'
    answers, inside the `repeats` too, at any depth. Looked up a question at a time over
    the whole batch (in C), as most submissions hold no file."""
    found: set[Any] = set()
    level = [a for a in answers if isinstance(a, dict)]
    while level:
        for key in keys:
            values = map(dict.get, level, repeat(key))
            try:
                found.update(values)
            except TypeError:  # an answer of an unexpected shape (a list): no file
                found.update(v for v in map(dict.get, level, repeat(key))
                             if isinstance(v, str))
        inner: list[dict] = []
        for repeat_id in repeats:
            for instances in map(dict.get, level, repeat(repeat_id)):
                if isinstance(instances, list):
                    inner += [i for i in instances if isinstance(i, dict)]
        level = inner
    return {sha for sha in found if isinstance(sha, str)}


def console_media_base() -> str:
    """The absolute address of the console's media route, from WILLAY_PUBLIC_URL."""
    return current_app.config["WILLAY"]["PUBLIC_URL"].rstrip("/") + CONSOLE_MEDIA_PATH


class MediaNames:
    """Names and console links of the files that one batch of rows refers to (`note` is
    called with each batch's answers before its rows are made)."""

    def __init__(self, keys: list[str], base_url: str, collect: bool = False,
                 repeats: list[str] = ()):
        """`keys`: the exported media questions; `repeats`: the survey's repeats (their
        instances may hold files); `collect`: also note the files for the ZIP (an export
        with media)."""
        self.keys = set(keys)
        self.repeats = set(repeats)
        self.base_url = base_url
        self.types: dict[str, str] = {}
        self.spool = tempfile.TemporaryFile("w+", encoding="ascii") if collect else None

    def note(self, answers: list[dict]) -> None:
        self.types = media_types(media_hashes(answers, self.keys, self.repeats))
        if self.spool is not None:
            for sha, content_type in self.types.items():
                self.spool.write(f"{sha}\t{content_type}\n")

    def name(self, sha: Any) -> Any:
        """The file's path in the ZIP; a file the server does not hold keeps its bare hash
        (it is in no ZIP, and has no link)."""
        if not isinstance(sha, str):
            return sha
        content_type = self.types.get(sha)
        return f"media/{sha}{extension(content_type)}" if content_type else sha

    def url(self, sha: Any) -> str | None:
        """The file in the console (signed-in users who may see the submission)."""
        return self.base_url + sha if isinstance(sha, str) and sha in self.types else None

    def files(self) -> Iterator[tuple[str, str]]:
        """(sha256, name in the ZIP) for each noted file; a file may come more than once."""
        if self.spool is None:
            return
        self.spool.seek(0)
        for line in self.spool:
            sha, content_type = line.rstrip("\n").split("\t")
            yield sha, f"media/{sha}{extension(content_type)}"

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()

