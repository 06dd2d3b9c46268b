"""Checks of a select question's choices: listed ones, or read from an attached file."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _

from .definition_checker import Checker

CHOICE_RE = re.compile(r"^[^\s]{1,64}$")
COLUMN_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$")
LIST_FILE_RE = re.compile(r"\.(csv|geojson)$", re.IGNORECASE)
RESERVED_COLUMNS = frozenset({"name", "value", "label"})
CHOICE_KEYS = {"value", "label", "media", "data", "filter"}
MEDIA_KINDS = {"image": "image/", "audio": "audio/", "video": "video/"}


def check_choices(c: Checker, choices: Any, path: str) -> tuple[int, set[str]]:
    """(number of choices, the data columns they have)."""
    columns: set[str] = set()
    if not isinstance(choices, list) or not choices:
        c.add(path, _("Give at least one choice."))
        return 0, columns
    values: set[str] = set()
    for i, choice in enumerate(choices):
        cpath = f"{path}[{i}]"
        if not isinstance(choice, dict):
            c.add(cpath, _("A choice must be an object."))
            continue
        c.unknown_keys(choice, CHOICE_KEYS, cpath)
        value = choice.get("value")
        if not isinstance(value, str) or not CHOICE_RE.fullmatch(value):
            c.add(f"{cpath}.value", _("Give a value of 1 to 64 characters without spaces."))
        elif value in values:
            c.add(f"{cpath}.value", _("Repeated choice “%(value)s”.", value=value))
        else:
            values.add(value)
        c.text(choice.get("label"), f"{cpath}.label")
        if "filter" in choice and not isinstance(choice["filter"], str):
            c.add(f"{cpath}.filter", _("Must be text."))
        if "media" in choice:
            check_media(c, choice["media"], f"{cpath}.media")
        if "data" in choice:
            columns |= _check_data(c, choice["data"], f"{cpath}.data")
    return len(choices), columns


def _check_data(c: Checker, data: Any, path: str) -> set[str]:
    if not isinstance(data, dict):
        c.add(path, _("Must be an object: the choice's other columns by name."))
        return set()
    good = set()
    for key, value in data.items():
        if not isinstance(key, str) or not COLUMN_RE.fullmatch(key) or key in RESERVED_COLUMNS:
            c.add(f"{path}.{key}", _("Not a usable column name (name, value and label are "
                                     "taken)."))
        elif value is not None and not isinstance(value, str | int | float) or \
                isinstance(value, bool):
            c.add(f"{path}.{key}", _("Must be text or a number."))
        else:
            good.add(key)
    return good


def check_choices_from(c: Checker, source: Any, path: str) -> set[str] | None:
    """The file's columns when they are known (on publish), else None."""
    if not isinstance(source, dict):
        c.add(path, _("Give the file and its value and label columns."))
        return None
    c.unknown_keys(source, {"file", "value", "label"}, path)
    name = source.get("file")
    if not isinstance(name, str) or name not in c.files:
        c.add(f"{path}.file", _("The file “%(name)s” is not among the survey's files.",
                                name=name))
        return None
    if not LIST_FILE_RE.search(name):
        c.add(f"{path}.file", _("A list of choices must be a .csv or .geojson file."))
        return None
    for key in ("value", "label"):
        if key in source and not (isinstance(source[key], str) and
                                  COLUMN_RE.fullmatch(source[key])):
            c.add(f"{path}.{key}", _("Give the name of a column of the file."))
    columns = c.file_columns.get(name)
    if columns is None:
        return None
    for key, default in (("value", "name"), ("label", "label")):
        column = source.get(key, default)
        if isinstance(column, str) and not _has_column(columns, column):
            c.add(f"{path}.{key}", _("The file “%(name)s” has no column “%(column)s”.",
                                     name=name, column=column))
    return set(columns)


def _has_column(columns: frozenset[str], column: str) -> bool:
    """A label column may be given per language: label::es, label::Español (es)."""
    return column in columns or any(c.startswith(f"{column}::") for c in columns)


def check_media(c: Checker, media: Any, path: str) -> None:
    if not isinstance(media, dict):
        c.add(path, _("Must be an object: image, audio or video, each by language."))
        return
    for kind, by_language in media.items():
        kpath = f"{path}.{kind}"
        if kind not in MEDIA_KINDS:
            c.add(kpath, _("Use image, audio or video."))
            continue
        if not isinstance(by_language, dict):
            c.add(kpath, _("Must be an object with one file per language."))
            continue
        for lang, name in by_language.items():
            lpath = f"{kpath}.{lang}"
            if lang not in c.languages:
                c.add(lpath, _("“%(language)s” is not one of the survey's languages.",
                               language=lang))
            elif not isinstance(name, str) or name not in c.files:
                c.add(lpath, _("The file “%(name)s” is not among the survey's files.",
                               name=name))
            else:
                content_type = str(c.files[name].get("content_type", ""))
                if not content_type.startswith(MEDIA_KINDS[kind]):
                    c.add(lpath, {
                        "image": _("The file “%(name)s” is not an image.", name=name),
                        "audio": _("The file “%(name)s” is not a sound recording.",
                                   name=name),
                        "video": _("The file “%(name)s” is not a video.", name=name),
                    }[kind])
