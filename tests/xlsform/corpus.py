"""The XLSForm corpus: forms written by this team, one per feature, plus a household survey
as KoboToolbox exports it and a 1,000-row form with 300 calculations.

For every test that needs a real form (import, PWA end to end, exports, benchmarks):

    from xlsform import corpus            # tests/ is on the path (pyproject: pythonpath)
    corpus.NAMES                          # ("basic", "repeats", …)
    data = corpus.build("household")      # the .xlsx bytes, as a spreadsheet program saves
    corpus.files("household")             # {"villages.csv": b"…"}: what the form references
    corpus.describe("household")          # one line: what the form is for
    corpus.sheets("household")            # the rows themselves, to change before building

The same files are kept under tests/data/xlsforms/ (`python tests/xlsform/corpus.py`
writes them; tests/xlsform/test_corpus.py checks they match) for people and tools that
want to open them.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the corpus_* modules beside us

import corpus_files  # noqa: E402
import corpus_forms  # noqa: E402
import corpus_household  # noqa: E402

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "xlsforms"
_FIXED_TIME = datetime(2026, 12, 1, 9, 0, 0)

_FORMS: dict[str, Callable[[], dict]] = {
    "basic": corpus_forms.basic,
    "repeats": corpus_forms.repeats,
    "calculates": corpus_forms.calculates,
    "cascade": corpus_forms.cascade,
    "from_file": corpus_forms.from_file,
    "media": corpus_forms.media,
    "or_other": corpus_forms.or_other,
    "types": corpus_forms.types,
    "appearances": corpus_forms.appearances,
    "instance_name": corpus_forms.instance_name,
    "defaults": corpus_forms.defaults,
    "trigger": corpus_forms.trigger,
    "languages": corpus_forms.languages,
    "household": corpus_household.household,
    "large": corpus_household.large,
}
NAMES: tuple[str, ...] = tuple(_FORMS)


def _media_files() -> dict[str, bytes]:
    out = {}
    for i, stem in enumerate(("water", "people_es", "network", "river")):
        out[f"{stem}.png"] = corpus_files.png((40 * i, 120, 200 - 40 * i))
    for i, stem in enumerate(("water_es", "water_qu", "people_es", "people_qu", "network_qu",
                              "river_qu")):
        out[f"{stem}.wav"] = corpus_files.wav(300.0 + 60 * i)
    return out


def _crops_csv() -> bytes:
    return corpus_files.csv_bytes(["code", "crop_name"], [
        ["potato", "Papa"], ["maize", "Maíz"], ["quinoa", "Quinua"], ["barley", "Cebada"],
        ["broad_bean", "Haba"], ["oca", "Oca"]])


_FILES: dict[str, Callable[[], dict[str, bytes]]] = {
    "from_file": lambda: {"villages.csv": corpus_files.villages_csv(120),
                          "crops.csv": _crops_csv()},
    "media": _media_files,
    "household": lambda: {"villages.csv": corpus_files.villages_csv(240)},
}


def sheets(name: str) -> dict[str, list[list[str]]]:
    """The form's sheets as rows (headers first); a fresh copy each time."""
    return _FORMS[name]()


def describe(name: str) -> str:
    doc = (_FORMS[name].__doc__ or name).strip()
    return " ".join(doc.split())


def workbook_bytes(sheets_rows: dict[str, list[list[str]] | None]) -> bytes:
    """An .xlsx of the given sheets, empty strings left as empty cells, with fixed document
    times so that the same rows always give the same cells."""
    book = Workbook()
    book.remove(book.active)
    for sheet_name, rows in sheets_rows.items():
        if rows is None:
            continue
        sheet = book.create_sheet(sheet_name)
        for row in rows:
            sheet.append([value if value != "" else None for value in row])
    book.properties.created = book.properties.modified = _FIXED_TIME
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build(name: str) -> bytes:
    """The .xlsx bytes of one corpus form."""
    return workbook_bytes(sheets(name))


def files(name: str) -> dict[str, bytes]:
    """The CSV lists and media files the form references, by file name (maybe empty)."""
    maker = _FILES.get(name)
    return maker() if maker else {}


def write_all(directory: Path = DATA_DIR) -> list[Path]:
    """Write every form as <name>.xlsx and its files under <name>/ in `directory`."""
    written = []
    directory.mkdir(parents=True, exist_ok=True)
    for name in NAMES:
        path = directory / f"{name}.xlsx"
        path.write_bytes(build(name))
        written.append(path)
        for file_name, data in files(name).items():
            target = directory / name / file_name
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(data)
            written.append(target)
    return written


if __name__ == "__main__":
    for written_path in write_all():
        print(written_path.relative_to(DATA_DIR.parents[1]))  # noqa: T201
