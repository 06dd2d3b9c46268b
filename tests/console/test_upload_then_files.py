"""Uploading an XLSForm that uses a CSV list: the upload page says which files are still to
upload (and links to where), instead of asking to fix and upload the form again; a new
version of the form that still uses the list finds it already attached."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from survey_file_builders import upload

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "xlsform"))
import corpus  # noqa: E402  (tests/xlsform/corpus.py)


def _upload_form(console, content: bytes):
    return console.post("/console/surveys/upload",
                        {"file": (io.BytesIO(content), "household.xlsx"), "code": "hogares",
                         "for_promoters": "true"},
                        content_type="multipart/form-data")


def _flashes(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", m).strip()
            for m in re.findall(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', page, re.S)]


def test_the_upload_says_which_files_come_next_and_a_new_version_keeps_them(app, console_as):
    console = console_as("coordinator")
    response = _upload_form(console, corpus.build("household"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    flashes = _flashes(page)
    assert ("Ahora sube los archivos que usa este formulario: villages.csv. "
            "El formulario no necesita cambios.") in flashes
    # not "fix the form and upload it again": the form is fine, only its list is missing
    assert not any("vuelve a subir el archivo" in f for f in flashes)
    assert "no está entre los archivos" not in page
    assert 'href="/console/surveys/hogares/versions/1#files">Subir los archivos</a>' in page

    csv_file = corpus.files("household")["villages.csv"]
    assert upload(console, "hogares", 1, [("villages.csv", csv_file)]).status_code in (200, 302)
    again = _upload_form(console, corpus.build("household")).get_data(as_text=True)
    assert "Se guardó como borrador, versión 1 de hogares." in _flashes(again)  # draft replaced
    assert not any("Ahora sube los archivos" in f for f in _flashes(again))
    assert "Subir los archivos" not in again
