"""Real .xlsx XLSForms for the import tests (tests/xlsform, tests/console), made with
openpyxl as a spreadsheet program would save them."""

from __future__ import annotations

import io
from copy import deepcopy

from openpyxl import Workbook

ES, QU = "label::Español (es)", "label::Quechua (qu)"

# A good bilingual form: groups (one with relevance), skip logic, constraints, choices.
GOOD_SURVEY = [
    ["type", "name", ES, QU, "hint::Español (es)", "hint::Quechua (qu)", "required",
     "relevant", "constraint", "constraint_message::Español (es)",
     "constraint_message::Quechua (qu)", "appearance"],
    ["start", "start"],
    ["select_one place_type", "place_type", "¿Dónde vives?", "¿Maypim tiyanki?", "", "",
     "yes"],
    ["begin group", "household", "Hogar", "Wasi"],
    ["integer", "people", "¿Cuántas personas viven en tu hogar?",
     "¿Hayk'a runam wasiykipi tiyanku?", "Cuenta a los niños", "Wawakunatapas yupay", "yes",
     "", ". >= 1 and . <= 30", "Entre 1 y 30", "1-manta 30-kama"],
    ["select_multiple problems", "problems", "¿Qué problemas tiene el agua?",
     "¿Yakuqa ima sasachakuykunatam apan?", "", "", "true()", "", "", "", "", "minimal"],
    ["text", "tank_detail", "Describe el tanque", "Tankita willay", "", "", "",
     "selected(${problems}, 'tank') and ${people} > 2"],
    ["end group"],
    ["begin group", "farm", "Chacra", "Chakra", "", "", "", "${place_type} = 'rural'"],
    ["decimal", "area", "Área en hectáreas", "Hayk'a hectárea", "", "", "", "",
     ". > .5", "Más de 0.5", "0.5-manta aswan"],
    ["date", "harvest", "Fecha de cosecha", "Cosecha p'unchaw", "", "", "", "",
     ". <= today()", "No en el futuro", "Ama hamuq p'unchawchu"],
    ["end group"],
    ["image", "photo", "Foto del tanque", "Tankip fotun", "", "", "",
     "count-selected(${problems}) >= 1"],
    ["note", "thanks", "Gracias", "Añaychayki"],
]
GOOD_CHOICES = [
    ["list_name", "name", ES, QU],
    ["place_type", "urban", "Ciudad", "Llaqta"],
    ["place_type", "rural", "Campo", "Chakra"],
    ["problems", "tank", "Tanque roto", "Tanki p'akisqa"],
    ["problems", "pipe", "Tubería rota", "Tubu p'akisqa"],
    ["problems", "none", "Ninguno", "Manam imapas"],
]
GOOD_SETTINGS = [
    ["form_title", "form_title::Quechua (qu)", "form_id", "version", "default_language"],
    ["Agua y chacra", "Yaku chakrapas", "agua-chacra", "2026112301", "Español (es)"],
]


def xlsx(survey=None, choices=None, settings=None, **sheets) -> bytes:
    """Bytes of an .xlsx file; each sheet is a list of rows, the first one the headers."""
    book = Workbook()
    book.remove(book.active)
    all_sheets = {"survey": survey, "choices": choices, "settings": settings, **sheets}
    for name, rows in all_sheets.items():
        if rows is None:
            continue
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([value if value != "" else None for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_form(**changes) -> bytes:
    sheets = {"survey": deepcopy(GOOD_SURVEY), "choices": deepcopy(GOOD_CHOICES),
              "settings": deepcopy(GOOD_SETTINGS)}
    sheets.update(changes)
    return xlsx(**sheets)
