"""Importing surveys: XLSForm spreadsheets (as made for ODK and KoboToolbox), read with
pyxform, and Willay's own JSON definitions, each checked and reported by sheet, row and
column (docs/xlsform.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import PurePath

from flask_babel import gettext as _

from ..surveys.definition import validate_definition
from .problems import ImportProblem

__all__ = ["ImportResult", "ImportProblem", "import_file", "import_json", "import_xlsform"]


@dataclass
class ImportResult:
    definition: dict | None  # None when the file could not be read at all
    code: str | None = None  # the XLSForm form_id (pyxform's id_string)
    version: str | None = None  # the XLSForm version setting, for information
    problems: list[ImportProblem] = field(default_factory=list)
    kind: str = "xlsform"
    # the source, to keep with the version (SurveyVersion.source_name/source_bytes/xform)
    source_name: str | None = None
    source_bytes: bytes | None = None
    xform: str | None = None  # the XForm XML pyxform made of the XLSForm
    files: list[str] = field(default_factory=list)  # file names the definition refers to

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def notices(self) -> list[ImportProblem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def readable(self) -> bool:
        """Whether the definition can be kept as a draft: only problems that publishing
        would also find (missing translations, files still to upload) remain; nothing was
        dropped or refused."""
        return self.definition is not None and not any(
            p.is_error and p.path is None for p in self.problems)

    @property
    def publishable(self) -> bool:
        return self.definition is not None and not self.errors


def import_xlsform(data: bytes, filename: str = "form.xlsx") -> ImportResult:
    # pyxform and openpyxl load on the first upload, not when every server process starts
    from .convert import convert
    from .reader import UnreadableFile, read_workbook

    stem = PurePath(filename).stem or None
    try:
        book = read_workbook(data, fallback_name=stem)
    except UnreadableFile as err:
        return ImportResult(None, problems=[ImportProblem(str(err), detail=err.detail)],
                            source_name=filename)
    result = convert(book)
    return ImportResult(result.definition, result.code, result.version,
                        result.problems.sorted(), source_name=filename,
                        source_bytes=data if result.definition is not None else None,
                        xform=result.xform, files=result.files)


def import_json(data: bytes) -> ImportResult:
    try:
        definition = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return ImportResult(None, kind="json", problems=[ImportProblem(
            _("This is not a JSON file (UTF-8). Check it and upload it again."))])
    if not isinstance(definition, dict):
        return ImportResult(None, kind="json", problems=[ImportProblem(
            _("The definition must be a JSON object."))])
    problems = [ImportProblem(p.message, path=p.path,
                              severity="error" if p.is_error else "warning")
                for p in validate_definition(definition)]
    return ImportResult(definition, kind="json", problems=problems)


def import_file(filename: str, data: bytes) -> ImportResult:
    """By the file's name (.json or .xlsx) or, failing that, by its first bytes."""
    name = filename.lower()
    if name.endswith(".json") or (not name.endswith(".xlsx") and data.lstrip()[:1] == b"{"):
        return import_json(data)
    return import_xlsform(data, filename)
