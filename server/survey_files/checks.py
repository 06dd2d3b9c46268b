"""What a survey file may be: its type from its extension, confirmed by its first bytes,
a size limit per kind, and for lists a CSV or GeoJSON that parses and has the columns the
questions name. Messages are in the console's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import gettext as _

from ..surveys.choice_files import ChoiceFileError, read_list, row_problems
from ..surveys.files import list_error
from .references import FileUse

MB = 1024 * 1024
LIMITS = {"list": 20 * MB, "image": 5 * MB, "audio": 20 * MB, "video": 20 * MB}
MAX_PROBLEM_ROWS = 5


class FileRefused(ValueError):
    """The file cannot be used; the message says why, in the user's language."""


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str
    magic: tuple[tuple[int, bytes], ...]  # (offset, bytes): any one must match; () = text


def _riff(tag: bytes) -> tuple[tuple[int, bytes], ...]:
    return ((8, tag),)


FTYP = ((4, b"ftyp"),)
WEBM = ((0, b"\x1a\x45\xdf\xa3"),)
TYPES = {
    ".csv": FileType("list", "text/csv", ()),
    ".geojson": FileType("list", "application/geo+json", ()),
    ".jpg": FileType("image", "image/jpeg", ((0, b"\xff\xd8\xff"),)),
    ".jpeg": FileType("image", "image/jpeg", ((0, b"\xff\xd8\xff"),)),
    ".png": FileType("image", "image/png", ((0, b"\x89PNG\r\n\x1a\n"),)),
    ".webp": FileType("image", "image/webp", _riff(b"WEBP")),
    ".gif": FileType("image", "image/gif", ((0, b"GIF87a"), (0, b"GIF89a"))),
    ".mp3": FileType("audio", "audio/mpeg", ((0, b"ID3"), (0, b"\xff\xfb"), (0, b"\xff\xf3"),
                                             (0, b"\xff\xf2"))),
    ".m4a": FileType("audio", "audio/mp4", FTYP),
    ".aac": FileType("audio", "audio/aac", ((0, b"\xff\xf1"), (0, b"\xff\xf9"))),
    ".ogg": FileType("audio", "audio/ogg", ((0, b"OggS"),)),
    ".oga": FileType("audio", "audio/ogg", ((0, b"OggS"),)),
    ".opus": FileType("audio", "audio/ogg", ((0, b"OggS"),)),
    ".wav": FileType("audio", "audio/wav", _riff(b"WAVE")),
    ".weba": FileType("audio", "audio/webm", WEBM),
    ".webm": FileType("video", "video/webm", WEBM),
    ".mp4": FileType("video", "video/mp4", FTYP),
    ".3gp": FileType("video", "video/3gpp", FTYP),
}
# containers that hold sound as well as pictures: what they are depends on where they are used
AUDIO_AS = {".webm": "audio/webm", ".mp4": "audio/mp4", ".3gp": "audio/3gpp"}
KIND_NAMES = {"list": "CSV, GeoJSON", "image": "JPEG, PNG, WebP, GIF",
              "audio": "MP3, M4A, AAC, OGG, Opus, WAV, WebM",
              "video": "MP4, WebM, 3GP"}


def extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def file_type(use: FileUse) -> FileType:
    """The type the file's name promises, for the way the form uses it."""
    ext = extension(use.name)
    found = TYPES.get(ext)
    kind = use.kind
    if found is not None and kind == "audio" and ext in AUDIO_AS:
        found = FileType("audio", AUDIO_AS[ext], found.magic)
    if found is None or found.kind != kind:
        raise FileRefused(_("%(name)s: a file used as %(kind)s must be %(types)s.",
                            name=use.name, kind=kind_label(kind), types=KIND_NAMES[kind]))
    return found


def kind_label(kind: str) -> str:
    return {"list": _("a list of choices"), "image": _("an image"), "audio": _("audio"),
            "video": _("video")}[kind]


def check_file(use: FileUse, stream: BinaryIO, size: int) -> FileType:
    """Refuse a file that is too large, is not what its name says, or (a list) lacks the
    columns the form reads. `stream` is left at its start."""
    kind_type = file_type(use)
    limit = LIMITS[kind_type.kind]
    if size > limit:
        raise FileRefused(_("%(name)s is too large (at most %(mb)s MB).",
                            name=use.name, mb=limit // MB))
    if size == 0:
        raise FileRefused(_("%(name)s is empty.", name=use.name))
    head = stream.read(16)
    stream.seek(0)
    if kind_type.magic and not any(head[at:at + len(sig)] == sig for at, sig in kind_type.magic):
        raise FileRefused(_("%(name)s is not really a %(ext)s file: check it and upload it "
                            "again.", name=use.name, ext=extension(use.name)[1:].upper()))
    if kind_type.kind == "list":
        _check_list(use, stream.read())
    stream.seek(0)
    return kind_type


def _has_label(columns: set[str], label: str) -> bool:
    return label in columns or any(c.startswith(f"{label}::") for c in columns)


def _missing_columns(use: FileUse, columns: set[str]) -> list[str]:
    missing: list[str] = []
    for needed in use.lists:
        if needed.value not in columns and needed.value not in missing:
            missing.append(needed.value)
        if not _has_label(columns, needed.label) and needed.label not in missing:
            missing.append(needed.label)
    return missing


def _check_list(use: FileUse, data: bytes) -> None:
    """Read the list as the phones and the server read it (server/surveys/choice_files.py)
    and check the columns and values the questions use."""
    head = data[:4096].decode("utf-8", "replace").splitlines()[:1]
    if extension(use.name) == ".csv" and head and ";" in head[0] and "," not in head[0]:
        raise FileRefused(_("%(name)s uses ; between columns: save it as \"CSV UTF-8 "
                            "(comma delimited)\".", name=use.name))
    try:
        choices = read_list(use.name, data)
    except ChoiceFileError as err:
        raise FileRefused(f"{use.name}: {list_error(err)}") from err
    missing = _missing_columns(use, set(choices.columns))
    if missing:
        raise FileRefused(_("%(name)s lacks the column(s) %(columns)s that the question "
                            "%(question)s reads.", name=use.name, columns=", ".join(missing),
                            question=", ".join(dict.fromkeys(u.question for u in use.lists))))
    if not choices.rows:
        raise FileRefused(_("%(name)s has no rows of choices.", name=use.name))
    rows = sorted({row for needed in use.lists
                   for code, row in row_problems(choices, needed.value)
                   if code != "repeated_value"})  # repeats only warn (choice filters)
    if rows:
        shown = ", ".join(str(row) for row in rows[:MAX_PROBLEM_ROWS])
        raise FileRefused(_("%(name)s: each value must be 1 to 64 characters without spaces; "
                            "see row(s) %(rows)s.", name=use.name, rows=shown))
