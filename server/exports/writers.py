"""Text formats written as they stream: CSV for spreadsheets, JSON Lines, GeoJSON.

Each writer takes the columns and an iterator of (values, row) and yields bytes in chunks of
a few hundred rows, so memory stays flat whatever the number of rows."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .columns import Column

BOM = "\ufeff".encode()
CHUNK_ROWS = 500
# a spreadsheet would read these as the start of a formula (=, +, -, @), or tab/CR tricks
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(_FORMULA_START)
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula. A plain number
    such as "-12.5" is left alone: it cannot run anything."""
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _protected(value: Any) -> Any:
    """`neutralise` for any value, inlined: it runs for every text cell of every row."""
    if (isinstance(value, str) and value.startswith(_FORMULA_START)
            and not _PLAIN_NUMBER.fullmatch(value)):
        return "'" + value
    return value


COORDINATE_DECIMALS = 6  # about 0.1 m: finer than any phone's fix, without float noise


def _coordinate(value: Any) -> Any:
    return round(value, COORDINATE_DECIMALS) if isinstance(value, float) else value


def _point(value: Any) -> Any:
    if isinstance(value, dict):
        parts = [_coordinate(value.get("lat")), _coordinate(value.get("lon")),
                 value.get("accuracy")]
        return " ".join(str(p) for p, k in zip(parts, ("lat", "lon", "accuracy"), strict=True)
                        if k in value)
    return value


def _flag(value: Any) -> Any:
    return value if value is None else ("true" if value else "false")


def converters(columns: list[Column], separator: str,
               protect: bool = True) -> list[tuple[int, Callable[[Any], Any]]]:
    """(position, function) for the columns whose values need work to become a spreadsheet
    cell (never called with None: see RowMaker): lists joined, points as "lat lon
    accuracy", booleans as true/false, text typed by
    people neutralised (unless `protect` is off: XLSX text cells are typed). Every other text
    cell is neutralised too: a choice code may begin with "-" ("-A1-B1") and a question with
    id `project` might be free text, so no column is trusted to be formula-free."""
    def joined(value: Any) -> Any:
        if isinstance(value, list):
            value = separator.join(map(str, value))
        return _protected(value) if protect else value

    def joined_codes(value: Any) -> Any:
        value = " ".join(map(str, value)) if isinstance(value, list) else value
        return _protected(value) if protect else value

    by_kind: dict[str, Callable[[Any], Any] | None] = {
        "plain": _protected if protect else None, "text": _protected if protect else None,
        "server": None,
        "multi": joined_codes if separator == " " else joined,
        "point": _point, "flag": _flag, "coordinate": _coordinate}
    return [(i, fn) for i, c in enumerate(columns) if (fn := by_kind[c.kind]) is not None]


def separator_for(labels: str) -> str:
    """select_multiple in one cell: codes space-separated (as ODK and KoboToolbox write
    them; codes have no spaces), labels separated by "; "."""
    return " " if labels == "codes" else "; "


def _neutralise_cells(rows: list[list], positions: list[int]) -> None:
    """`_protected` for the cells at `positions` of many rows, inlined: a call per cell
    would be most of a CSV export's time, while almost no cell needs anything."""
    start, number = _FORMULA_FIRST, _PLAIN_NUMBER.fullmatch
    for values in rows:
        for i in positions:
            value = values[i]
            if value.__class__ is str and value[:1] in start and not number(value):
                values[i] = "'" + value


def protected_positions(columns: list[Column]) -> list[int]:
    """The cells `converters(..., protect=True)` would neutralise."""
    return [i for i, c in enumerate(columns) if c.kind in ("plain", "text", "multi")]


def csv_chunks(columns: list[Column], rows: Iterable[tuple[list, Any]],
               protect: list[int] | None = None) -> Iterator[bytes]:
    """UTF-8 with a BOM, so Excel shows ñ and accents; CRLF line ends as Excel writes. The
    rows' values are cells already (see `converters`), except that with `protect` (the
    positions of `protected_positions`) those cells are neutralised here, a chunk of rows
    at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # writes None as an empty cell
    pending: list[list] = []

    def taken() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    yield BOM  # before any row is read: the download starts at once
    writer.writerow([neutralise(c.header) for c in columns])
    yield taken()
    for values, _row in rows:
        pending.append(values)
        if len(pending) == CHUNK_ROWS:
            if protect:
                _neutralise_cells(pending, protect)
            writer.writerows(pending)
            pending.clear()
            yield taken()
    if protect:
        _neutralise_cells(pending, protect)
    writer.writerows(pending)
    yield taken()


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def jsonl_chunks(columns: list[Column], rows: Iterable[tuple[list, Any]]) -> Iterator[bytes]:
    """One JSON object per line, keyed by column code; lists stay lists."""
    keys = [c.key for c in columns]
    lines: list[str] = []
    for values, _row in rows:
        lines.append(_json(dict(zip(keys, values, strict=True))))
        if len(lines) == CHUNK_ROWS:
            yield ("\n".join(lines) + "\n").encode("utf-8")
            lines.clear()
    if lines:
        yield ("\n".join(lines) + "\n").encode("utf-8")


def geojson_chunks(columns: list[Column], rows: Iterable[tuple[list, Any]],
                   locate: Callable[[Any], tuple[list[float] | None, str | None]]
                   ) -> Iterator[bytes]:
    """A FeatureCollection of points ([lon, lat], WGS 84); `_location` in the properties
    says whether the point is the exact location or the district capital."""
    keys = [c.key for c in columns]
    parts: list[str] = []
    first = True
    yield b'{"type":"FeatureCollection","features":[\n'
    for values, row in rows:
        coordinates, precision = locate(row)
        properties = dict(zip(keys, values, strict=True))
        properties["_location"] = precision
        feature = {"type": "Feature", "id": properties.get("_uuid"),
                   "geometry": {"type": "Point", "coordinates": coordinates}
                   if coordinates else None, "properties": properties}
        parts.append(("" if first else ",\n") + _json(feature))
        first = False
        if len(parts) == CHUNK_ROWS:
            yield "".join(parts).encode("utf-8")
            parts.clear()
    yield ("".join(parts) + "\n]}\n").encode("utf-8")
