"""What a promoter does with each corpus form on the phone, and what must come out of it.

Each script fills one form through its screens (exercising the form's feature: repeats
added and removed, a cascade narrowed, a CSV list searched, an or_other typed, calculations
seen on screen, defaults and read-only fields, a language switched…) up to the review
step, and returns what the server must have stored (`answers`: a subset, nested), and
optionally the readable name, and a check of the parsed exports."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from playwright.sync_api import expect

from e2e_forms.flow import Phone


@dataclass
class Expected:
    answers: dict
    instance_name: str | None = None
    # (parsed exports, stored submission) -> None; asserts what the files must hold
    exports: Callable[[dict, dict], None] | None = None
    district: str = "180102"  # Carumas, the district chosen when finishing
    language: str = "es"


def _today_minus(years: int, month: int = 1, day: int = 15) -> str:
    today = date.today()
    return f"{today.year - years:04d}-{month:02d}-{day:02d}"


def _main(tables: dict, code: str) -> list[dict]:
    return tables.get(f"{code}.csv") or tables["main"]


def _row(rows: list[dict], uuid: str) -> dict:
    found = [r for r in rows if r.get("_uuid") == uuid]
    assert len(found) == 1, (uuid, rows[:2])
    return found[0]


def _line(lines: list[dict], uuid: str) -> dict:
    found = [line for line in lines if line.get("_uuid", line.get("uuid")) == uuid]
    assert len(found) == 1, (uuid, lines[:1])
    return found[0]


def _answers_of(line: dict) -> dict:
    return line.get("answers", line)


# ---- one feature per form ---------------------------------------------------------------

def basic(phone: Phone) -> Expected:
    """Skip logic, a constraint with its message, a hint, capitals in names."""
    page = phone.page
    phone.next()  # required: stays on the page with the message
    expect(page.locator("[data-question=Consent] .error")).to_have_text(
        "Esta pregunta es obligatoria.")
    page.get_by_label("Sí").check()
    phone.next()
    page.get_by_label("Apellido de la familia").fill("Quispe")
    page.get_by_label(re.compile("Cuántas personas viven aquí")).fill("31")
    expect(page.get_by_text("Cuenta a los niños")).to_be_visible()
    expect(page.get_by_label("¿Qué otra fuente?")).to_be_hidden()
    page.get_by_label("Otra", exact=True).check()
    page.get_by_label("¿Qué otra fuente?").fill("Manantial")
    phone.next()
    expect(page.locator("[data-question=HH01] .error")).to_have_text("Entre 1 y 30")
    page.get_by_label(re.compile("Cuántas personas viven aquí")).fill("4")
    phone.next()
    expect(page.get_by_text("Gracias por tu tiempo")).to_be_visible()
    return Expected({"Consent": "yes", "HH_name": "Quispe", "HH01": 4, "Water": ["other"],
                     "water_other": "Manantial"})


def repeats(phone: Phone) -> Expected:
    """A roster that follows the count, a nested user-driven repeat (added, one removed)
    and a third level; position(..), indexed-repeat(), count(), sum() on screen."""
    page = phone.page
    page.get_by_label(re.compile("Cuántas personas hay")).fill("2")
    phone.next()  # a top-level repeat is a page of its own
    expect(page.locator("label[for='q-m_name__1']")).to_contain_text("Nombre de la persona 2")
    page.locator("#q-m_name__0").fill("Rosa")
    expect(page.locator("label[for='q-m_age__0']")).to_contain_text("Edad de Rosa")
    page.locator("#q-m_age__0").fill("40")
    page.locator("#q-m_has_children__0-0").check()
    page.locator("#q-m_name__1").fill("Juan")
    page.locator("#q-m_age__1").fill("70")
    page.locator("#q-m_has_children__1-1").check()
    rosa = page.locator("[data-instance='members[0]']")
    add_child = rosa.get_by_role("button", name=re.compile("Hijo o hija$"))
    add_child.click()
    page.locator("#q-c_name__0_0").fill("Ana")
    page.locator("#q-c_age__0_0").fill("50")  # older than her mother: the constraint
    page.locator("[data-instance='members[0].children[0]']").get_by_role(
        "button", name=re.compile("Vacuna$")).click()
    page.locator("#q-v_kind__0_0_0-0").check()
    page.locator("#q-v_date__0_0_0").fill("2026-05-01")
    add_child.last.click()
    page.locator("#q-c_name__0_1").fill("Luis")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-instance='members[0].children[1]'] > .remove-instance").click()
    expect(page.locator("#q-c_name__0_1")).to_have_count(0)
    phone.fits()
    phone.next()
    expect(page.locator("[data-key='members[0].children[0].c_age'] .error")).not_to_have_text("")
    page.locator("#q-c_age__0_0").fill("12")
    phone.next()
    expect(page.get_by_text("Primera persona: Rosa; niños: 1")).to_be_visible()

    def exports(files: dict, stored: dict) -> None:
        uuid = stored["uuid"]
        tables = files["csv"]
        members = tables["repeticiones-members.csv"]
        children = tables["repeticiones-children.csv"]
        vaccines = tables["repeticiones-vaccines.csv"]
        assert [m["m_name"] for m in members] == ["Rosa", "Juan"]
        assert {m["PARENT_KEY"] for m in members} == {uuid}
        assert [c["c_name"] for c in children] == ["Ana"]
        assert children[0]["PARENT_KEY"] == members[0]["KEY"] == f"{uuid}/members[1]"
        assert vaccines[0]["PARENT_KEY"] == children[0]["KEY"]
        assert vaccines[0]["v_kind"] == "bcg" and vaccines[0]["v_date"] == "2026-05-01"
        main = _row(_main(tables, "repeticiones"), uuid)
        assert main["total_age"] == "110" and main["first_name"] == "Rosa"
        sheets = files["xlsx"]
        assert {"members", "children", "vaccines"} <= {name.split("-")[-1] for name in sheets}
        nested = _answers_of(_line(files["jsonl"], uuid))
        assert nested["members"][0]["children"][0]["vaccines"][0]["v_kind"] == "bcg"

    return Expected({
        "n_members": 2, "total_age": "110", "first_name": "Rosa", "n_children": "1",
        "members": [
            {"m_pos": "1", "m_name": "Rosa", "m_age": 40, "m_has_children": "yes",
             "children": [{"c_name": "Ana", "c_age": 12, "c_vaccines": "1",
                           "vaccines": [{"v_kind": "bcg", "v_date": "2026-05-01"}]}]},
            {"m_pos": "2", "m_name": "Juan", "m_age": 70, "m_has_children": "no"}]},
        exports=exports)


def calculates(phone: Phone) -> Expected:
    page = phone.page
    born = _today_minus(30)
    page.get_by_label("Nombre", exact=True).fill("Rosa")
    page.get_by_label("Apellido").fill("Mamani")
    page.get_by_label("Fecha de nacimiento").fill(born)
    page.get_by_label("Peso (kg)").fill("60")
    page.get_by_label("Talla (m)").fill("1.5")
    page.get_by_label("Maíz").check()
    expect(page.get_by_text("Rosa Mamani: 30 años, IMC 26.7, Maíz")).to_be_visible()
    page.get_by_label("Papa").check()
    # the note recomputes as answers change: 60 / 1.5² = 26.7; the choices keep the
    # list's order (as ODK stores them), so Papa is now the first
    expect(page.get_by_text("Rosa Mamani: 30 años, IMC 26.7, Papa")).to_be_visible()
    phone.next()
    return Expected({"first": "Rosa", "last": "Mamani", "full_name": "Rosa Mamani",
                     "born": born, "age": "30", "adult": "yes", "bmi": "26.7",
                     "crops": ["potato", "maize"], "first_crop": "potato",
                     "first_crop_label": "Papa", "n_crops": "2", "nickname": "Rosa",
                     "name_length": "11", "source": "promotor",
                     "born_text": f"{born[8:10]}/{born[5:7]}/{born[:4]}"},
                    exports=_calculated_in_exports)


def _calculated_in_exports(files: dict, stored: dict) -> None:
    uuid = stored["uuid"]
    row = _row(_main(files["csv"], "calculos"), uuid)
    assert row["full_name"] == "Rosa Mamani" and row["bmi"] == "26.7" and row["age"] == "30"
    sheet = next(iter(files["xlsx"].values()))
    cells = next(r for r in sheet if r.get("_uuid") == uuid)
    assert str(cells["bmi"]) == "26.7"
    assert _answers_of(_line(files["jsonl"], uuid))["first_crop_label"] == "Papa"


def cascade(phone: Phone) -> Expected:
    page = phone.page
    district = page.locator("#q-district")
    expect(page.locator("[data-question=district]")).to_contain_text("No hay opciones")
    page.get_by_label("Ilo", exact=True).first.check()
    expect(district.locator("option")).to_have_text(["Elige…", "Ilo", "El Algarrobal",
                                                     "Pacocha"])
    page.locator("[data-question=province]").get_by_label("Mariscal Nieto").check()
    expect(district.locator("option")).to_have_count(7)
    district.select_option(label="Carumas")
    other = page.locator("[data-question=district_any]")
    search = other.get_by_role("searchbox")
    search.fill("ilo")
    expect(other.get_by_role("radio")).to_have_count(1)  # only other provinces' districts
    search.fill("carumas")
    expect(other.get_by_role("radio")).to_have_count(0)
    search.fill("omate")
    other.get_by_role("radio", name="Omate").check()
    phone.next()

    def exports(files: dict, stored: dict) -> None:
        row = _row(_main(files["csv"], "cascada"), stored["uuid"])
        assert (row["province"], row["district"], row["district_any"]) == (
            "1801", "180102", "180201")

    return Expected({"province": "1801", "district": "180102", "district_any": "180201"},
                    exports=exports)


def from_file(phone: Phone) -> Expected:
    page = phone.page
    page.get_by_label("Carumas").check()
    village = page.locator("[data-question=village]")
    # villages_csv(120): every 20th row is in Carumas (v00002, v00022, …): six of them
    expect(village.get_by_role("radio")).to_have_count(6)
    village.get_by_role("searchbox").fill("QUCHA PAMPA")
    expect(village.get_by_role("radio")).to_have_count(1)
    village.get_by_role("radio", name="Qucha Pampa 2").check()
    page.get_by_label("Quinua").check()
    page.get_by_label("Oca").check()
    phone.next()

    def exports(files: dict, stored: dict) -> None:
        uuid = stored["uuid"]
        row = _row(_main(files["csv"], "desde_archivo"), uuid)
        assert row["village"] == "v00002"
        labelled = csv_labels(files)  # headers and answers as Spanish labels
        assert labelled["Centro poblado"] == "Qucha Pampa 2"
        assert "Quinua" in labelled["Cultivos"] and "Oca" in labelled["Cultivos"]

    return Expected({"district": "180102", "village": "v00002", "crops": ["quinoa", "oca"]},
                    exports=exports)


def csv_labels(files: dict) -> dict:
    """The Spanish-labelled export's answers (fetched by the test into files['labels'])."""
    rows = next(iter(files["labels"].values()))
    return rows[-1]


def media(phone: Phone) -> Expected:
    page = phone.page
    question = page.locator("[data-question=water]")
    question.locator("button.listen").first.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-question=water] audio')]"
        ".some((a) => a.currentTime > 0 || a.ended)", timeout=10000)
    expect(question.locator(".choice-row button.listen")).to_have_count(2)
    expect(page.locator("[data-question=water] img").first).to_be_visible()
    question.get_by_role("radio", name="Río").check()
    page.get_by_role("textbox", name="¿Cuántas personas?").fill("3")
    page.get_by_role("button", name="Runasimi").click()  # the Quechua prompt and labels
    expect(page.get_by_text("¿Maymantam yakuta upinki?")).to_be_visible()
    expect(page.get_by_role("textbox", name="¿Hayk'a runa?")).to_have_value("3")
    page.get_by_role("button", name="Español").click()
    phone.next()
    return Expected({"water": "river", "people": 3})


def or_other(phone: Phone) -> Expected:
    page = phone.page
    fuel = page.locator("[data-question=fuel]")
    fuel.get_by_label("Otro").check()
    page.locator("#q-fuel_other").fill("Carbón")
    animals = page.locator("[data-question=animals]")
    animals.get_by_label("Alpaca").check()
    animals.get_by_label("Otro").check()
    page.locator("#q-animals_other").fill("Llama")
    phone.next()

    def exports(files: dict, stored: dict) -> None:
        row = _row(_main(files["csv"], "otro"), stored["uuid"])
        assert row["fuel"] == "other" and row["fuel_other"] == "Carbón"
        assert row["animals_other"] == "Llama"

    return Expected({"fuel": "other", "fuel_other": "Carbón",
                     "animals": ["alpaca", "other"], "animals_other": "Llama"},
                    exports=exports)


def types(phone: Phone) -> Expected:
    from pwa.fieldapp import png_bytes

    page = phone.page
    page.get_by_label("Texto").fill("Hola")
    page.get_by_label("Entero").fill("7")
    page.get_by_label("Decimal", exact=True).fill("2.5")
    slider = page.get_by_label("Del 0 al 10")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator("output.range-value")).to_have_text("4")
    page.locator("[data-question=t_one]").get_by_label("Sí").check()
    page.locator("[data-question=t_many]").get_by_label("No").check()
    page.get_by_label("Fecha", exact=True).fill("2026-11-30")
    page.get_by_label("Hora", exact=True).fill("08:15")
    page.get_by_label("Fecha y hora").fill("2026-11-30T08:20")
    page.locator("#q-t_photo-file").set_input_files(
        files=[{"name": "tank.png", "mimeType": "image/png", "buffer": png_bytes(64, 48)}])
    expect(page.locator("[data-question=t_photo] img.preview")).to_be_visible()
    page.locator("[data-question=t_file] input[type=file]").set_input_files(
        files=[{"name": "acta.pdf", "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4 acta de asamblea\n%%EOF\n"}])
    expect(page.locator("[data-question=t_file]")).to_contain_text("acta.pdf")
    page.locator("[data-question=t_barcode] input").fill("7751234567890")
    page.get_by_role("checkbox", name="Sí, confirmo").check()
    page.get_by_role("radio", name=re.compile("^4 ·")).check()
    place = page.locator("[data-question=t_place]")
    place.get_by_label("Departamento").select_option(label="Moquegua")
    place.get_by_label("Provincia").select_option(label="Ilo")
    place.get_by_label("Distrito", exact=True).select_option(label="Pacocha")
    phone.fits()
    phone.next()
    expect(page.locator("[data-key='t_photo'] img.review-thumb")).to_be_visible()

    def exports(files: dict, stored: dict) -> None:
        row = _row(_main(files["csv"], "tipos"), stored["uuid"])
        assert row["t_text"] == "Hola" and row["t_range"] == "4"
        assert row["t_time"] == "08:15" and row["t_barcode"] == "7751234567890"
        assert row["t_photo"] and row["t_file"]

    return Expected({"t_text": "Hola", "t_integer": 7, "t_decimal": 2.5, "t_range": 4,
                     "t_one": "yes", "t_many": ["no"], "t_date": "2026-11-30",
                     "t_time": "08:15", "t_barcode": "7751234567890", "t_ack": "OK",
                     "t_rating": 4, "t_place": "180303", "t_calc": "4",
                     "t_hidden": "v1"},
                    district="180303", exports=exports)


def appearances(phone: Phone) -> Expected:
    page = phone.page
    page.locator("#q-a_minimal").select_option(label="Sí")  # minimal: a drop-down
    page.locator("[data-question=a_quick]").get_by_label("No").check()
    page.locator("[data-question=a_likert]").get_by_label("Nivel 5").check()
    page.locator("[data-question=a_horizontal]").get_by_label("Nivel 2").check()
    page.locator("[data-question=a_compact]").get_by_label("Nivel 1").check()
    page.locator("[data-question=a_columns]").get_by_label("Nivel 3").check()
    phone.fits()
    phone.next()
    page.get_by_label("Varias líneas").fill("línea uno\nlínea dos")
    assert page.locator("textarea#q-a_multiline").count() == 1
    page.locator("#q-a_nocal-day").select_option("3")
    page.locator("#q-a_nocal-month").select_option("2")
    page.locator("#q-a_nocal").fill("2025")
    page.get_by_label("Solo números").fill("123")
    search = page.locator("[data-question=a_search]").get_by_role("searchbox")
    search.fill("4")
    page.locator("[data-question=a_search]").get_by_role("radio", name="Nivel 4").check()
    page.locator("[data-question=a_auto]").get_by_role("searchbox").fill("nivel 1")
    page.locator("[data-question=a_auto]").get_by_role("radio", name="Nivel 1").check()
    phone.fits()
    phone.next()
    return Expected({"a_minimal": "yes", "a_quick": "no", "a_likert": "5",
                     "a_horizontal": "2", "a_compact": ["1"], "a_columns": "3",
                     "a_multiline": "línea uno\nlínea dos", "a_nocal": "2025-02-03",
                     "a_numbers": "123", "a_search": "4", "a_auto": "1"})


def instance_name(phone: Phone) -> Expected:
    page = phone.page
    page.get_by_label("Apellido").fill("Condori")
    page.get_by_label("Torata").check()
    phone.next()

    def exports(files: dict, stored: dict) -> None:
        row = _row(_main(files["csv"], "nombre_entrevista"), stored["uuid"])
        assert row["_instance_name"] == "Condori — Torata"
        assert _line(files["jsonl"], stored["uuid"])

    return Expected({"HH_name": "Condori", "village": "180106"},
                    instance_name="Condori — Torata", exports=exports)


def defaults(phone: Phone) -> Expected:
    page = phone.page
    expect(page.get_by_label(re.compile("Número de visitas"))).to_have_value("1")
    expect(page.locator("[data-question=has_phone]").get_by_label("No")).to_be_checked()
    expect(page.get_by_label("Fecha de visita")).to_have_value("2026-01-01")
    expect(page.get_by_label("Promotor")).to_be_disabled()  # read_only: yes
    expect(page.get_by_label("Promotor")).to_have_value("Equipo Moquegua")
    expect(page.get_by_label("Cuota")).to_be_disabled()  # read_only while no phone
    page.get_by_label(re.compile("Número de visitas")).fill("")
    phone.next()
    expect(page.locator("[data-question=visits] .error")).to_have_text(
        "Escribe el número de visitas")
    page.get_by_label(re.compile("Número de visitas")).fill("2")
    page.locator("[data-question=has_phone]").get_by_label("Sí").check()
    expect(page.get_by_label("Cuota")).to_be_enabled()
    phone.next()  # the phone number is now required, with its own message
    expect(page.locator("[data-question=phone] .error")).to_have_text("Falta el número")
    page.get_by_label(re.compile("Número de celular")).fill("12345")
    phone.next()  # a constraint without a message: a default one, in Spanish
    expect(page.locator("[data-question=phone] .error")).not_to_have_text("")
    page.get_by_label(re.compile("Número de celular")).fill("987654321")
    phone.next()
    return Expected({"visits": 2, "has_phone": "yes", "phone": "987654321",
                     "visit_date": "2026-01-01", "promoter": "Equipo Moquegua"})


def trigger(phone: Phone) -> Expected:
    page = phone.page
    usd = page.get_by_label("Precio en dólares")
    expect(usd).to_have_value("")
    page.get_by_label("Precio", exact=True).fill("37")
    expect(usd).to_have_value("10")
    expect(page.get_by_label("Cambio de precio")).not_to_have_value("")
    usd.fill("9.5")  # the promoter corrects it: kept until the price changes again
    phone.next()
    return Expected({"price": 37, "price_usd": 9.5})


def languages(phone: Phone) -> Expected:
    page = phone.page
    page.get_by_label("Tu nombre").fill("Sisa")
    expect(page.get_by_text("Completo")).to_be_visible()
    page.get_by_role("button", name="Runasimi").click()
    expect(page.get_by_label("Sutiyki")).to_have_value("Sisa")
    page.get_by_label("Arí").check()
    phone.next()
    expect(page.locator(".review [data-key=name_q] .review-label")).to_have_text("Sutiyki")
    page.get_by_role("button", name="Español").click()
    expect(page.locator(".review [data-key=name_q] .review-label")).to_have_text("Tu nombre")
    return Expected({"name_q": "Sisa", "agree": "yes"}, language="es")


def household(phone: Phone) -> Expected:
    """The Kobo household survey: consent, cascade, village list, roster of two."""
    return fill_household(phone, members=(("Rosa", "female", _today_minus(40), "head"),
                                          ("Ana", "female", _today_minus(3), "child")))


def fill_household(phone: Phone, members, head: str = "Quispe") -> Expected:
    page = phone.page
    page.get_by_label("Sí").check()
    phone.next()
    page.get_by_label("Mariscal Nieto").check()
    page.locator("[data-question=district]").get_by_label("Carumas").check()
    village = page.locator("[data-question=village]")
    village.get_by_role("searchbox").fill("qucha pampa")
    village.get_by_role("radio", name="Qucha Pampa 2").check()
    phone.next()
    page.get_by_label("Apellido del jefe de hogar").fill(head)
    page.get_by_label(re.compile("Cuántas personas viven en el hogar")).fill(str(len(members)))
    for i, (name, sex, born, relation) in enumerate(members):
        page.locator(f"#q-member_name__{i}").fill(name)
        box = page.locator(f"[data-instance='hh_roster[{i}]']")
        box.locator(f"[data-question=member_sex] input[value={sex}]").check()
        page.locator(f"#q-member_dob__{i}").fill(born)
        box.locator(f"[data-question=member_relation] input[value={relation}]").check()
    children = sum(1 for *_r, born, _rel in members if int(born[:4]) > date.today().year - 5)
    expect(page.get_by_text(f"Personas: {len(members)}; menores de 5 años: {children}")
           ).to_be_visible()
    page.locator("[data-question=water_source]").get_by_label("Red pública").check()
    page.get_by_label("Ingreso mensual (soles)").fill("850")
    phone.fits()
    phone.next()
    ages = [str(_age(born)) for _n, _s, born, _r in members]
    answers = {"consent": "yes", "province": "1801", "district": "180102",
               "village": "v00002", "hh_head": head, "hh_size": len(members),
               "n_members": str(len(members)), "n_children": str(children),
               "hh_roster": [{"member_no": str(i + 1), "member_name": name,
                              "member_sex": sex, "member_dob": born,
                              "member_age": ages[i], "member_relation": relation}
                             for i, (name, sex, born, relation) in enumerate(members)]}

    def exports(files: dict, stored: dict) -> None:
        uuid = stored["uuid"]
        roster = files["csv"]["hogares_2026-hh_roster.csv"]
        assert [r["member_name"] for r in roster] == [m[0] for m in members]
        assert {r["PARENT_KEY"] for r in roster} == {uuid}
        assert roster[0]["KEY"] == f"{uuid}/hh_roster[1]"
        assert [r["member_age"] for r in roster] == ages
        main = _row(_main(files["csv"], "hogares_2026"), uuid)
        assert main["village"] == "v00002" and main["n_members"] == str(len(members))
        assert main["_instance_name"] == f"{head} — v00002"
        labelled = csv_labels(files)
        assert labelled["Centro poblado"] == "Qucha Pampa 2"  # a label from villages.csv
        # questions labelled like the interview's own place columns keep apart
        assert labelled["Distrito"] == "Carumas" and labelled["Distrito (district)"] == "Carumas"
        assert labelled["Provincia (province)"] == "Mariscal Nieto"
        labelled_roster = files["labels"]["hogares_2026-hh_roster.csv"]
        assert labelled_roster[0]["Sexo de …"] == "Mujer"  # "${member_name}" in a shared header
        sheets = files["xlsx"]
        sheet = next(rows for name, rows in sheets.items() if name.endswith("hh_roster"))
        assert [r["member_name"] for r in sheet] == [m[0] for m in members]
        nested = _answers_of(_line(files["jsonl"], uuid))
        assert [m["member_name"] for m in nested["hh_roster"]] == [m[0] for m in members]

    return Expected(answers, instance_name=f"{head} — v00002", exports=exports)


def _age(born: str) -> int:
    """As the form computes it: whole years of 365.25 days."""
    return int((date.today() - date.fromisoformat(born)).days / 365.25)


def large(phone: Phone) -> Expected:
    """1,000 rows and 300 calculations: open it, answer a few questions, see the totals."""
    page = phone.page
    page.get_by_label("Pregunta 1.1: cantidad").fill("5")
    page.get_by_label("Pregunta 1.4: cantidad").fill("7")
    expect(page.get_by_role("group", name="Pregunta 1.2: ¿sí o no?")).to_be_visible()
    page.locator("[data-question=s01_q02]").get_by_label("Sí").check()
    page.get_by_label("Pregunta 1.3: detalle").fill("riego")
    phone.next()
    page.get_by_label("Pregunta 2.1: cantidad").fill("100")
    return Expected({"s01_q01": 5, "s01_q04": 7, "s01_q02": "yes", "s01_q03": "riego",
                     "s02_q01": 100})


SCRIPTS: dict[str, Callable[[Phone], Expected]] = {
    "basic": basic, "repeats": repeats, "calculates": calculates, "cascade": cascade,
    "from_file": from_file, "media": media, "or_other": or_other, "types": types,
    "appearances": appearances, "instance_name": instance_name, "defaults": defaults,
    "trigger": trigger, "languages": languages, "household": household, "large": large,
}

