"""Files of a survey version (choice lists, label images, audio prompts, videos) as
publishing and ingest see them: stored in the media store by SHA-256, one `SurveyFile`
row per version and name, listed in the definition's `files` with the same name and hash.
Uploading them from the console is server/survey_files/."""

from __future__ import annotations

import logging
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..attachments.services import media_store, read_bytes
from ..extensions import db
from ..jsonutil import digest
from .choice_files import ChoiceFileError, ChoiceList, load, row_problems
from .definition_checker import WARNING, Problem
from .models import SurveyFile, SurveyVersion
from .structure import referenced_files, walk

log = logging.getLogger(__name__)


def _set_definition(version: SurveyVersion, definition: dict) -> None:
    version.definition, version.digest = definition, digest(definition)


def list_error(err: ChoiceFileError) -> str:
    where = _(" (row %(row)s)", row=err.row) if err.row else ""
    messages = {
        "not_utf8": _("The list is not UTF-8 text: save it as “CSV UTF-8”."),
        "no_header": _("The list has no header row with column names."),
        "repeated_column": _("Two columns of the list have the same name."),
        "too_many_rows": _("The list has too many rows (at most 500000)."),
        "bad_csv": _("The list is not a valid CSV file."),
        "bad_json": _("The file is not valid GeoJSON."),
        "not_feature_collection": _("The GeoJSON file must be a FeatureCollection."),
    }
    return messages.get(err.code, err.code) + where


def known_files(*versions: SurveyVersion | None) -> dict[str, tuple[str, int, str]]:
    """name -> (sha256, size, content_type) of these versions' files; earlier ones win."""
    found: dict[str, tuple[str, int, str]] = {}
    for version in versions:
        for f in version.files if version is not None else ():
            found.setdefault(f.name, (f.sha256, f.size, f.content_type))
    return found


def sync_files(version: SurveyVersion, available: dict[str, tuple[str, int, str]]) -> None:
    """Make the draft's file rows follow its definition's `files`, taking files already
    uploaded (`available`, from `known_files`) so re-uploading a form does not mean
    re-uploading its media. A definition that lists no files takes every available file
    its questions use."""
    listed = version.definition.get("files")
    if listed is None:
        used = sorted(name for name in referenced_files(version.definition)
                      if name in available)
        if used:
            _set_definition(version, {**version.definition, "files": [
                {"name": name, "sha256": available[name][0], "size": available[name][1],
                 "content_type": available[name][2]} for name in used]})
            listed = version.definition["files"]
    wanted = {e["name"]: e.get("sha256") for e in listed or []
              if isinstance(e, dict) and isinstance(e.get("name"), str)}
    for row in list(version.files):
        if wanted.get(row.name) != row.sha256:
            version.files.remove(row)
    have = {row.name for row in version.files}
    for name, sha256 in wanted.items():
        known = available.get(name)
        if name not in have and known is not None and known[0] == sha256:
            version.files.append(SurveyFile(name=name, sha256=sha256, size=known[1],
                                            content_type=known[2]))


def read_file(sha256: str) -> bytes:
    return read_bytes(sha256)


def choice_list(entry: dict[str, Any]) -> ChoiceList:
    """The parsed list of a definition's `files` entry (cached by hash)."""
    return load(entry["name"], entry["sha256"], lambda: read_file(entry["sha256"]))


def version_file_problems(version: SurveyVersion) -> tuple[list[Problem], dict]:
    """Problems with the files themselves, and the columns of each readable list (for
    `validate_definition(file_columns=…)`): each listed file must have been uploaded with
    the same hash; a list must be readable and its values usable."""
    problems: list[Problem] = []
    columns: dict[str, frozenset[str]] = {}
    stored = {f.name: f for f in db.session.scalars(
        select(SurveyFile).where(SurveyFile.version_id == version.id))} if version.id else {}
    entries = version.definition.get("files")
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        name, row = entry["name"], stored.get(entry["name"])
        present = row is not None and row.sha256 == entry.get("sha256") and \
            media_store().exists(row.sha256)
        if not present:
            problems.append(Problem(f"files[{i}]", _("Upload the file “%(name)s”.",
                                                     name=name)))
            continue
        if not name.lower().endswith((".csv", ".geojson")):
            continue
        try:
            columns[name] = frozenset(choice_list(entry).columns)
        except ChoiceFileError as err:
            problems.append(Problem(f"files[{i}]", list_error(err)))
        except OSError:
            log.exception("survey file %s (%s) unreadable", name, row.sha256)
            problems.append(Problem(f"files[{i}]", _("Upload the file “%(name)s”.",
                                                     name=name)))
    problems += _value_problems(version.definition, columns)
    return problems, columns


def _value_problems(definition: dict, columns: dict[str, frozenset[str]]) -> list[Problem]:
    entries = {e["name"]: e for e in definition.get("files") or []
               if isinstance(e, dict) and isinstance(e.get("name"), str)}
    problems = []
    for item in walk(definition):
        source = item.raw.get("choices_from")
        if not isinstance(source, dict) or source.get("file") not in columns:
            continue
        value_column = source.get("value", "name")
        if value_column not in columns[source["file"]]:
            continue  # reported by validate_definition
        for code, number in row_problems(choice_list(entries[source["file"]]), value_column):
            message = {
                "empty_value": _("Row %(row)s of %(name)s has no value.", row=number,
                                 name=source["file"]),
                "bad_value": _("The value in row %(row)s of %(name)s has spaces or is longer "
                               "than 64 characters.", row=number, name=source["file"]),
                "repeated_value": _("The value in row %(row)s of %(name)s is repeated.",
                                    row=number, name=source["file"]),
            }[code]
            problems.append(Problem(f"{item.path}.choices_from", message,
                                    WARNING if code == "repeated_value" else "error"))
    return problems
