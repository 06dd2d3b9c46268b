"""The two real-world-size forms of the corpus: a household survey laid out as KoboToolbox
exports it, and a generated 1,000-row form with 300 calculations."""

from __future__ import annotations

import zlib

from corpus_files import DISTRICTS, PROVINCES

L_ES, L_QU, L_EN = "label::Español (es)", "label::Quechua (qu)", "label::English (en)"
_COLUMNS = ["type", "name", L_ES, L_QU, L_EN, "hint::Español (es)", "required", "relevant",
            "constraint", "constraint_message::Español (es)", "calculation", "appearance",
            "choice_filter", "repeat_count", "$kuid", "$autoname"]


def _row(kind: str, name: str = "", es: str = "", qu: str = "", en: str = "",
         **columns: str) -> list[str]:
    values = {"type": kind, "name": name, L_ES: es, L_QU: qu, L_EN: en,
              "required": columns.pop("required", "false" if name else ""), **columns}
    if name:
        values.setdefault("$kuid", f"k{zlib.crc32(name.encode()):08x}")
        values["$autoname"] = name
    return [values.get(_alias(c), "") for c in _COLUMNS]


def _alias(column: str) -> str:
    return {"hint::Español (es)": "hint", "constraint_message::Español (es)": "message"}.get(
        column, column)


def household() -> dict:
    """Roster repeat, ages, cascades, an external village list, three languages."""
    r = _row
    survey = [_COLUMNS, r("start", "start"), r("end", "end"), r("today", "today"),
              r("deviceid", "deviceid"),
              r("begin_group", "consent_page", "Consentimiento", "Ari niy", "Consent",
                appearance="field-list"),
              r("note", "intro", "Somos del Gobierno Regional. La encuesta dura 15 minutos.",
                "Gobierno Regionalmantam kayku. 15 minutullam.",
                "We are from the Regional Government. It takes 15 minutes."),
              r("select_one yes_no", "consent", "¿Aceptas participar?",
                "¿Yanapakuyta munankichu?", "Do you agree to take part?", required="true"),
              r("end_group"),
              r("begin_group", "location", "Ubicación", "Maypi", "Location",
                relevant="${consent} = 'yes'"),
              r("select_one province", "province", "Provincia", "Pruwinsya", "Province",
                required="true"),
              r("select_one district", "district", "Distrito", "Distritu", "District",
                required="true", choice_filter="province=${province}"),
              r("select_one_from_file villages.csv", "village", "Centro poblado", "Llaqta",
                "Village", required="true", choice_filter="district=${district}",
                appearance="autocomplete"),
              r("geopoint", "gps", "Ubicación de la vivienda", "Wasip maypi kasqan",
                "Location of the dwelling"),
              r("end_group"),
              r("begin_group", "household", "Hogar", "Wasi", "Household",
                relevant="${consent} = 'yes'"),
              r("text", "hh_head", "Apellido del jefe de hogar", "Wasi umalliqpa ayllu sutin",
                "Surname of the head of household", required="true"),
              r("integer", "hh_size", "¿Cuántas personas viven en el hogar?",
                "¿Hayk'a runam wasipi tiyanku?", "How many people live in the household?",
                required="true", constraint=". >= 1 and . <= 25",
                message="Entre 1 y 25", hint="Incluye a los niños"),
              r("begin_repeat", "hh_roster", "Miembro del hogar", "Wasi runa",
                "Household member", repeat_count="${hh_size}"),
              r("calculate", "member_no", calculation="position(..)"),
              r("text", "member_name", "Nombre del miembro ${member_no}",
                "${member_no} runap sutin", "Name of member ${member_no}", required="true"),
              r("select_one sex", "member_sex", "Sexo de ${member_name}",
                "${member_name}-pa qari warmi kaynin", "Sex of ${member_name}",
                required="true", appearance="horizontal"),
              r("date", "member_dob", "Fecha de nacimiento de ${member_name}",
                "${member_name}-pa paqarisqan p'unchaw", "Date of birth of ${member_name}",
                required="true", constraint=". <= today()", message="No puede ser futura"),
              r("calculate", "member_age", calculation="int((today() - ${member_dob}) div 365.25)"),
              r("calculate", "is_child", calculation="if(${member_age} < 5, 1, 0)"),
              r("select_one relation", "member_relation", "Parentesco", "Ayllu kay",
                "Relationship to the head", required="true"),
              r("select_one yes_no", "in_school", "¿Va a la escuela?", "¿Yachay wasiman rinchu?",
                "Does he or she attend school?",
                relevant="${member_age} >= 5 and ${member_age} <= 18"),
              r("end_repeat"),
              r("calculate", "n_children", calculation="sum(${is_child})"),
              r("calculate", "n_members", calculation="count(${member_name})"),
              r("note", "roster_note", "Personas: ${n_members}; menores de 5 años: ${n_children}",
                "Runakuna: ${n_members}; 5 watamanta uchuylla: ${n_children}",
                "People: ${n_members}; under 5: ${n_children}"),
              r("select_multiple water", "water_source", "¿De dónde obtienen el agua?",
                "¿Maymantam yakuta hurqunkichik?", "Where do you get water from?",
                required="true", appearance="minimal"),
              r("text", "water_other", "¿Qué otra fuente?", "¿Ima huk pukyu?",
                "Which other source?", relevant="selected(${water_source}, 'other')"),
              r("decimal", "income", "Ingreso mensual (soles)", "Killapi qullqi (sol)",
                "Monthly income (soles)", constraint=". >= 0"),
              r("image", "house_photo", "Foto de la vivienda", "Wasip futun",
                "Photo of the dwelling"),
              r("text", "comments", "Comentarios", "Rimasqakuna", "Comments",
                appearance="multiline"),
              r("end_group")]
    head = ["list_name", "name", L_ES, L_QU, L_EN, "province", "$kuid"]
    choices = [head,
               ["yes_no", "yes", "Sí", "Arí", "Yes", "", "c1"],
               ["yes_no", "no", "No", "Manam", "No", "", "c2"],
               ["sex", "female", "Mujer", "Warmi", "Female", "", "c3"],
               ["sex", "male", "Hombre", "Qari", "Male", "", "c4"],
               ["relation", "head", "Jefe(a) de hogar", "Wasi umalliq", "Head", "", "c5"],
               ["relation", "spouse", "Esposo(a)", "Qusa utaq warmi", "Spouse", "", "c6"],
               ["relation", "child", "Hijo(a)", "Wawa", "Child", "", "c7"],
               ["relation", "other", "Otro pariente", "Huk ayllu", "Other relative", "", "c8"],
               ["water", "network", "Red pública", "Llaqta yaku", "Public network", "", "c9"],
               ["water", "well", "Pozo", "Puquio", "Well", "", "c10"],
               ["water", "river", "Río o acequia", "Mayu utaq yarqa", "River or canal", "",
                "c11"],
               ["water", "other", "Otra", "Huk", "Other", "", "c12"]]
    choices += [["province", code, name, name, name, "", f"p{code}"] for code, name in PROVINCES]
    choices += [["district", code, name, name, name, prov, f"d{code}"]
                for code, name, prov in DISTRICTS]
    settings = [["form_title", "form_id", "version", "default_language", "instance_name",
                 "style"],
                ["Encuesta de hogares 2026", "hogares_2026", "vQ7hT2x9", "Español (es)",
                 "concat(${hh_head}, ' — ', ${village})", "pages"]]
    return {"survey": survey, "choices": choices, "settings": settings}


def large(sections: int = 12, questions: int = 60, calculations: int = 25) -> dict:
    """1,000+ rows: `sections` groups of `questions` questions and `calculations`
    calculations each (12 × 25 = 300 calculations), chained across sections so that
    changing one answer recomputes a long dependency chain."""
    survey = [["type", "name", L_ES, L_QU, "relevant", "constraint", "calculation",
               "required"]]
    for s in range(1, sections + 1):
        p = f"s{s:02d}"
        survey.append(["begin group", p, f"Sección {s}", f"{s} kaq t'aqa"])
        for q in range(1, questions + 1):
            name = f"{p}_q{q:02d}"
            if q % 3 == 1:
                survey.append(["integer", name, f"Pregunta {s}.{q}: cantidad",
                               f"{s}.{q} tapukuy: hayk'a", "", ". >= 0 and . <= 1000"])
            elif q % 3 == 2:
                survey.append(["select_one yn", name, f"Pregunta {s}.{q}: ¿sí o no?",
                               f"{s}.{q} tapukuy: ¿arí icha manam?",
                               f"${{{p}_q{q - 1:02d}}} != ''"])
            else:
                survey.append(["text", name, f"Pregunta {s}.{q}: detalle",
                               f"{s}.{q} tapukuy: willay",
                               f"${{{p}_q{q - 1:02d}}} = 'yes'"])
        for c in range(1, calculations + 1):
            name = f"{p}_c{c:02d}"
            number = f"{p}_q{(3 * ((c - 1) % (questions // 3)) + 1):02d}"
            if c == 1:
                previous = f"s{s - 1:02d}_c{calculations:02d}" if s > 1 else ""
                formula = (f"coalesce(${{{previous}}}, 0) + " if previous else "") + \
                    f"coalesce(${{{number}}}, 0)"
            elif c % 2 == 0:
                formula = f"${{{p}_c{c - 1:02d}}} + coalesce(${{{number}}}, 0)"
            else:
                yes = f"{p}_q{(3 * ((c - 1) % (questions // 3)) + 2):02d}"
                formula = f"${{{p}_c{c - 1:02d}}} + if(${{{yes}}} = 'yes', 1, 0)"
            survey.append(["calculate", name, "", "", "", "", formula])
        survey.append(["end group"])
    survey.append(["note", "grand_total", f"Total: ${{s{sections:02d}_c{calculations:02d}}}",
                   f"Tukuypi: ${{s{sections:02d}_c{calculations:02d}}}"])
    choices = [["list_name", "name", L_ES, L_QU], ["yn", "yes", "Sí", "Arí"],
               ["yn", "no", "No", "Manam"]]
    settings = [["form_title", "form_title::Quechua (qu)", "form_id", "default_language"],
                ["Formulario grande", "Hatun tapukuy", "grande", "Español (es)"]]
    return {"survey": survey, "choices": choices, "settings": settings}
