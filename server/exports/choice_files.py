"""Choice labels of select_one_from_file / select_multiple_from_file questions: the list
attached to the survey version (its SurveyFile row names the bytes in the media store), read
as ingest reads it (server/surveys/choice_files.py), then turned into {value: {language:
label}} once per file content and kept for a few lists: the exports and the console detail
look them up often, and a 50,000-row list takes a moment to index."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import select

from ..attachments.services import read_bytes
from ..extensions import db
from ..surveys.choice_files import ChoiceFileError, load
from ..surveys.models import SurveyFile

log = logging.getLogger(__name__)

Labels = dict[str, dict[str, str]]  # value -> {language: label}
CACHED_LISTS = 8
_cache: OrderedDict[tuple, Labels] = OrderedDict()
_lock = threading.Lock()


def file_choices(version_id: int, source: dict[str, Any], languages: list[str],
                 default_language: str) -> Labels:
    """{value: {language: label}} of the list `source` names; {} when the version has no
    such file or the store does not hold its bytes (the answers then show their codes)."""
    name = source.get("file")
    if not isinstance(name, str):
        return {}
    value_column = source.get("value") if isinstance(source.get("value"), str) else "name"
    label_column = source.get("label") if isinstance(source.get("label"), str) else "label"
    sha = db.session.scalar(select(SurveyFile.sha256).where(
        SurveyFile.version_id == version_id, SurveyFile.name == name))
    if sha is None:
        return {}
    key = (sha, name.lower().endswith(".geojson"), value_column, label_column,
           default_language, tuple(languages))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    try:
        parsed = load(name, sha, lambda: read_bytes(sha))
    except (OSError, ChoiceFileError) as err:
        log.warning("cannot read the choice list %s (%s): %s", name, sha, err)
        return {}
    labels: Labels = {}
    for row in parsed.rows:
        value = row.get(value_column, "")
        if value and value not in labels:
            labels[value] = {lang: text for lang in languages
                             if (text := parsed.label(row, label_column, lang,
                                                      default_language))}
    with _lock:
        _cache[key] = labels
        while len(_cache) > CACHED_LISTS:
            _cache.popitem(last=False)
    return labels
