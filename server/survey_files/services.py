"""Attaching, replacing and removing a draft's files, carrying them into the next draft,
and audio prompts recorded in the console. Each function owns its transaction and its
audit record (survey_file, survey_prompt)."""

from __future__ import annotations

import hashlib
import re
from copy import deepcopy
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import gettext as _

from ..attachments.services import media_store
from ..audit.services import record
from ..extensions import db
from ..jsonutil import digest
from ..surveys.models import Survey, SurveyFile, SurveyVersion
from .checks import LIMITS, FileRefused, check_file, file_type
from .references import FileUse, find_item, referenced_files

CHUNK = 64 * 1024
RECORDING_TYPES = {"audio/webm": ".webm", "audio/ogg": ".ogg", "audio/mp4": ".m4a"}
NOT_ASKED = {"calculate", "hidden", "meta"}
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class VersionPublished(FileRefused):
    """Published versions are immutable."""


class DraftExists(FileRefused):
    """A prompt on a published version would need a new draft, but one exists already."""

    def __init__(self, message: str, number: int):
        super().__init__(message)
        self.number = number


@dataclass
class FileState:
    use: FileUse
    stored: SurveyFile | None


def file_states(version: SurveyVersion) -> list[FileState]:
    """Every file the version's definition uses, with what is stored for it."""
    stored = {f.name: f for f in version.files}
    return [FileState(use, stored.get(name))
            for name, use in referenced_files(version.definition).items()]


def missing_files(version: SurveyVersion) -> list[str]:
    return [s.use.name for s in file_states(version) if s.stored is None]


def _refuse_published(version: SurveyVersion) -> None:
    if version.status != "draft":
        raise VersionPublished(_("Version %(number)s is published: its files cannot change. "
                                 "Upload a new version to change them.", number=version.number))


def _size(stream: BinaryIO) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def _sha256(stream: BinaryIO) -> str:
    hasher = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        hasher.update(chunk)
    stream.seek(0)
    return hasher.hexdigest()


def _resolve(uses: dict[str, FileUse], filename: str) -> FileUse:
    """The referenced file an upload is for: by exact name, else ignoring letter case."""
    if filename in uses:
        return uses[filename]
    folded = [use for name, use in uses.items() if name.casefold() == filename.casefold()]
    if len(folded) == 1:
        return folded[0]
    if not uses:
        raise FileRefused(_("%(name)s: this form uses no files.", name=filename))
    raise FileRefused(_("%(name)s: this form uses no file of that name. It uses: %(names)s.",
                        name=filename, names=", ".join(uses)))


def _store(version: SurveyVersion, use: FileUse, stream: BinaryIO) -> SurveyFile:
    """Check and keep the bytes; add or update the version's row (not committed)."""
    size = _size(stream)
    kind_type = check_file(use, stream, size)
    sha256 = _sha256(stream)
    media_store().save(sha256, stream, LIMITS[kind_type.kind])
    row = next((f for f in version.files if f.name == use.name), None)
    if row is None:
        row = SurveyFile(name=use.name, sha256=sha256, size=size,
                         content_type=kind_type.content_type)
        version.files.append(row)
    else:
        row.sha256, row.size, row.content_type = sha256, size, kind_type.content_type
    return row


def sync_definition(version: SurveyVersion) -> None:
    """Make the definition's `files` list what is stored, dropping rows the definition no
    longer uses (not committed; drafts only)."""
    uses = referenced_files(version.definition)
    for row in [f for f in version.files if f.name not in uses]:
        version.files.remove(row)
    listed = [{"name": f.name, "sha256": f.sha256, "size": f.size,
               "content_type": f.content_type}
              for f in sorted(version.files, key=lambda f: f.name)]
    definition = deepcopy(version.definition)
    if listed:
        definition["files"] = listed
    else:
        definition.pop("files", None)
    if definition != version.definition:
        version.definition, version.digest = definition, digest(definition)


def attach_files(version: SurveyVersion, uploads: list[tuple[str, BinaryIO]],
                 user: object) -> tuple[list[str], list[str]]:
    """Keep every good upload (a file of the same name is replaced); returns the names kept
    and a message for each file refused."""
    _refuse_published(version)
    uses = referenced_files(version.definition)
    kept: list[str] = []
    refused: list[str] = []
    for filename, stream in uploads:
        try:
            use = _resolve(uses, filename)
            replaced = any(f.name == use.name for f in version.files)
            _store(version, use, stream)
        except FileRefused as err:
            refused.append(str(err))
            continue
        kept.append(use.name)
        record("survey_file", user=user, target=version.survey.code,
               details={"version": version.number, "name": use.name,
                        "action": "replace" if replaced else "upload"})
    if kept:
        sync_definition(version)
        db.session.commit()
    return kept, refused


def remove_file(version: SurveyVersion, name: str, user: object) -> bool:
    _refuse_published(version)
    row = next((f for f in version.files if f.name == name), None)
    if row is None:
        return False
    version.files.remove(row)
    sync_definition(version)
    record("survey_file", user=user, target=version.survey.code,
           details={"version": version.number, "name": name, "action": "remove"})
    db.session.commit()
    return True


def carry_files(version: SurveyVersion) -> list[str]:
    """After a new spreadsheet went into a draft: keep the draft's files it still uses, and
    bring along those an earlier version holds under the same name (a 50,000-row village
    list is not uploaded again for a corrected label). Returns the names brought along."""
    if version.status != "draft":
        return []
    uses = referenced_files(version.definition)
    own = {f.name for f in version.files}
    earlier = sorted((v for v in version.survey.versions if v.number < version.number),
                     key=lambda v: -v.number)
    brought = []
    for name, use in uses.items():
        if name in own:
            continue
        row = next((f for v in earlier for f in v.files if f.name == name), None)
        if row is None:
            continue
        try:
            content_type = file_type(use).content_type
        except FileRefused:
            continue  # now used as another kind of file: it must be uploaded again
        version.files.append(SurveyFile(name=name, sha256=row.sha256, size=row.size,
                                        content_type=content_type))
        brought.append(name)
    sync_definition(version)
    db.session.commit()
    return brought


# --- audio prompts recorded in the console ---------------------------------------------


def prompt_name(question_id: str, choice: str | None, lang: str, ext: str) -> str:
    parts = ["prompt", question_id] + ([choice] if choice else []) + [lang]
    return _UNSAFE.sub("_", "-".join(parts))[:200] + ext


def _draft_for_prompt(survey: Survey, version: SurveyVersion) -> tuple[SurveyVersion, bool]:
    """The version a prompt goes into: the draft itself, or a new draft copied from a
    published version (which stays as it is). Returns (draft, copied)."""
    if version.status == "draft":
        return version, False
    latest = survey.versions[-1]
    if latest.status == "draft":
        raise DraftExists(_("Version %(number)s is already a draft: record the prompt there.",
                            number=latest.number), latest.number)
    # read everything (the source is loaded on demand) before the new row joins the session
    copied = {"definition": deepcopy(version.definition), "digest": version.digest,
              "source_name": version.source_name, "source_bytes": version.source_bytes,
              "xform": version.xform}
    files = [SurveyFile(name=row.name, sha256=row.sha256, size=row.size,
                        content_type=row.content_type) for row in version.files]
    draft = SurveyVersion(survey=survey, number=latest.number + 1, status="draft",
                          files=files, **copied)
    db.session.add(draft)
    return draft, True


def _set_audio(target: dict, languages: list[str], lang: str, name: str) -> None:
    media = target.get("media") if isinstance(target.get("media"), dict) else {}
    audio = media.get("audio")
    if isinstance(audio, str):  # one file for every language: keep it for the others
        audio = dict.fromkeys(languages, audio)
    audio = dict(audio) if isinstance(audio, dict) else {}
    audio[lang] = name
    target["media"] = {**media, "audio": audio}


def record_prompt(survey: Survey, version: SurveyVersion, *, question: str,
                  choice: str | None, lang: str, content_type: str, stream: BinaryIO,
                  user: object) -> tuple[SurveyVersion, str]:
    """Keep a recording as the audio prompt of a question (or one of its choices) in one
    language. Returns the draft that now holds it and the file's name."""
    definition = version.definition
    languages = [str(x) for x in definition.get("languages") or ["es", "qu"]]
    if lang not in languages:
        raise FileRefused(_("This survey has no language %(language)s.", language=lang))
    item = find_item(definition, question)
    if item is None or item.get("type") in NOT_ASKED:
        raise FileRefused(_("This survey has no question %(question)s.", question=question))
    if choice and not any(isinstance(c, dict) and c.get("value") == choice
                          for c in item.get("choices") or []):
        raise FileRefused(_("The question %(question)s has no choice %(choice)s.",
                            question=question, choice=choice))
    ext = RECORDING_TYPES.get(content_type.split(";")[0].strip().lower())
    if ext is None:
        raise FileRefused(_("This browser recorded in a format the phones cannot play. "
                            "Use Chrome, Edge or Firefox."))
    draft, copied = _draft_for_prompt(survey, version)
    name = prompt_name(question, choice, lang, ext)
    definition = deepcopy(draft.definition)
    target = find_item(definition, question)
    if choice:
        target = next(c for c in target["choices"]
                      if isinstance(c, dict) and c.get("value") == choice)
    _set_audio(target, languages, lang, name)
    draft.definition, draft.digest = definition, digest(definition)
    try:
        _store(draft, FileUse(name, {"audio"}), stream)
    except FileRefused:
        db.session.rollback()
        raise
    sync_definition(draft)
    record("survey_prompt", user=user, target=survey.code,
           details={"version": draft.number, "question": question, "choice": choice,
                    "language": lang, **({"from_version": version.number} if copied else {})})
    db.session.commit()
    return draft, name
