"""The CSV writer neutralises runnable cells a chunk of rows at a time: the same cells as
one check per cell would, whichever chunk they fall in."""

from __future__ import annotations

import csv
import io

from server.exports.columns import Column
from server.exports.writers import CHUNK_ROWS, csv_chunks, protected_positions

COLUMNS = [Column("_uuid", "_uuid", 1, kind="server"), Column("note", "note", answer="note",
                                                              kind="text"),
           Column("code", "code", answer="code"), Column("where", "where", answer="where",
                                                         kind="point"),
           Column("n", "-n", answer="n")]


def written(rows: list[list]) -> list[list[str]]:
    data = b"".join(csv_chunks(COLUMNS, ((list(r), None) for r in rows),
                               protect=protected_positions(COLUMNS)))
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_only_cells_a_spreadsheet_would_run_get_an_apostrophe():
    plain = ["3f2c-9a1b", "hola", "A1", "-17.1 -70.9 5.0", 4]
    rows = [plain] * (CHUNK_ROWS + 7)
    rows[3] = ["3f2c-9a1b", "=1+2", "-A1-B1", "-17.1 -70.9 5.0", -3]
    rows[CHUNK_ROWS + 2] = ["3f2c-9a1b", "@SUM(A1)", "+51", None, "-12.5"]
    rows[CHUNK_ROWS + 5] = ["3f2c-9a1b", "\tcmd", "\rx", "", "- no hay agua"]
    out = written(rows)
    assert out[0] == ["_uuid", "note", "code", "where", "'-n"]  # headers too
    assert out[1] == ["3f2c-9a1b", "hola", "A1", "-17.1 -70.9 5.0", "4"]
    assert out[4] == ["3f2c-9a1b", "'=1+2", "'-A1-B1", "-17.1 -70.9 5.0", "-3"]
    assert out[CHUNK_ROWS + 3] == ["3f2c-9a1b", "'@SUM(A1)", "+51", "", "-12.5"]
    assert out[CHUNK_ROWS + 6] == ["3f2c-9a1b", "'\tcmd", "'\rx", "", "'- no hay agua"]
    assert len(out) == len(rows) + 1
    assert sum(1 for row in out[1:] if row == out[1]) == len(rows) - 3
