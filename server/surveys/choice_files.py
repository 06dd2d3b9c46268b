"""Lists of choices attached to a survey version: CSV (a header row, then one choice per
row) or GeoJSON (one choice per feature, its properties as columns).

Read the same way by the server (ingest checks, exports' labels) and by the phone
(pwa/): UTF-8 (a BOM is ignored), comma-separated with "…" quoting, cells taken with
surrounding spaces removed, empty rows skipped; GeoJSON property values that are numbers
are written as JavaScript writes them (1, 2.5), and a feature's top-level `id` is the
column `id` unless a property has that name.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

MAX_ROWS = 500_000
CACHE_SIZE = 16  # parsed lists kept per process, by content hash


class ChoiceFileError(ValueError):
    """The file cannot be read as a list of choices. `row` is 1-based when known."""

    def __init__(self, code: str, row: int | None = None):
        super().__init__(code if row is None else f"{code} (row {row})")
        self.code = code
        self.row = row


@dataclass(frozen=True)
class ChoiceList:
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    numbers: tuple[int, ...] = ()  # each row's place in the file (CSV line, GeoJSON feature)
    _values: dict[str, frozenset[str]] = field(default_factory=dict, compare=False)

    def values(self, column: str) -> frozenset[str]:
        """Every value of a column (the choice values, for the value column)."""
        found = self._values.get(column)
        if found is None:
            found = frozenset(v for row in self.rows if (v := row.get(column, "")))
            self._values[column] = found
        return found

    def label(self, row: dict[str, str], column: str, language: str,
              default_language: str) -> str:
        """`label::<lang>` (or `label::Name (lang)`), else the plain column."""
        for lang in (language, default_language):
            for name in self.columns:
                if name == f"{column}::{lang}" or (name.startswith(f"{column}::") and
                                                   name.endswith(f"({lang})")):
                    if row.get(name):
                        return row[name]
        return row.get(column, "")


def _cell(text: str) -> str:
    return text.strip()


def read_csv(data: bytes) -> ChoiceList:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ChoiceFileError("not_utf8") from err
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [_cell(h) for h in next(reader, [])]
        if not any(header):
            raise ChoiceFileError("no_header", 1)
        if len(set(header)) != len(header):
            raise ChoiceFileError("repeated_column", 1)
        rows, numbers = [], []
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ChoiceFileError("too_many_rows", number)
            rows.append({h: _cell(v) for h, v in zip(header, cells, strict=False) if h})
            numbers.append(number)
    except csv.Error as err:
        raise ChoiceFileError("bad_csv", reader.line_num) from err
    return ChoiceList(tuple(h for h in header if h), tuple(rows), tuple(numbers))


def _js_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    if isinstance(value, int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def read_geojson(data: bytes) -> ChoiceList:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as err:
        raise ChoiceFileError("bad_json") from err
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise ChoiceFileError("not_feature_collection")
    if len(features) > MAX_ROWS:
        raise ChoiceFileError("too_many_rows", MAX_ROWS + 1)
    columns: dict[str, None] = {}
    rows = []
    for feature in features:
        props = feature.get("properties") if isinstance(feature, dict) else None
        row = {str(k): _js_string(v).strip() for k, v in (props or {}).items()} \
            if isinstance(props, dict) else {}
        if isinstance(feature, dict) and "id" not in row and feature.get("id") is not None:
            row["id"] = _js_string(feature["id"]).strip()
        columns.update(dict.fromkeys(row))
        rows.append(row)
    return ChoiceList(tuple(columns), tuple(rows), tuple(range(1, len(rows) + 1)))


def read_list(name: str, data: bytes) -> ChoiceList:
    return read_geojson(data) if name.lower().endswith(".geojson") else read_csv(data)


_cache: OrderedDict[tuple[str, str], ChoiceList] = OrderedDict()
_lock = threading.Lock()


def load(name: str, sha256: str, read_bytes) -> ChoiceList:  # noqa: ANN001
    """The parsed list of a stored file, parsed once per process and content hash;
    `read_bytes()` gives the file's bytes on a miss (OSError if it is gone)."""
    key = (sha256, "geojson" if name.lower().endswith(".geojson") else "csv")
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    parsed = read_list(name, read_bytes())
    with _lock:
        _cache[key] = parsed
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return parsed


def row_problems(choices: ChoiceList, value_column: str) -> list[tuple[str, int]]:
    """(problem code, row) for values that cannot be answers: empty, with spaces, too
    long, or repeated (the first 20). Rows are CSV lines (the header is 1) or GeoJSON
    features (the first is 1)."""
    problems: list[tuple[str, int]] = []
    seen: set[str] = set()
    for index, row in zip(choices.numbers, choices.rows, strict=True):
        value = row.get(value_column, "")
        if not value:
            problems.append(("empty_value", index))
        elif any(ch.isspace() for ch in value) or len(value) > 64:
            problems.append(("bad_value", index))
        elif value in seen:
            problems.append(("repeated_value", index))
        seen.add(value)
        if len(problems) >= 20:
            break
    return problems
