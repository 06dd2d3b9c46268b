"""The demo content and the Quechua catalog spell glossary terms the glossary's way
(translations/GLOSSARY.md §13), speak one register (§6), and rate with the star widget's
own words."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from test_translations import REPO, catalog

from server.demo import samples

DEMO = REPO / "server" / "demo" / "data"
GLOSSARY = (REPO / "translations" / "GLOSSARY.md").read_text(encoding="utf-8")
CELL = re.compile(r"(?<!\\)\|")
CODE = re.compile(r"`([^`]+)`")


def glossary_tables() -> tuple[list[tuple[str, str]], list[tuple[str, str, str | None]]]:
    """(words: [(write, forbidden pattern)], pairs: [(es pattern, qu pattern, qu forbidden)])
    from §13."""
    section = GLOSSARY.split("## 13. Spellings the tests enforce", 1)[1]
    words, pairs = [], []
    table = None
    for line in section.splitlines():
        if line.startswith("**Words**"):
            table = words
        elif line.startswith("**Pairs**"):
            table = pairs
        if not line.startswith("| ") or line.startswith(("| write", "| Spanish says")):
            continue
        cells = [cell.strip() for cell in CELL.split(line.strip().strip("|"))]

        def pattern(cell: str) -> str | None:
            found = [c.replace("\\|", "|") for c in CODE.findall(cell)]
            return "|".join(f"(?:{f})" for f in found) if found else None

        if table is words:
            words.append((cells[0], pattern(cells[1])))
        elif table is pairs:
            pairs.append((pattern(cells[0]), pattern(cells[1]), pattern(cells[2])))
    return words, pairs


WORDS, PAIRS = glossary_tables()


def pairs_in(node, where: str):
    """Every {"es": ..., "qu": ...} text in a demo JSON file, with where it is."""
    if isinstance(node, dict):
        if isinstance(node.get("qu"), str):
            yield where, node.get("es") or "", node["qu"]
        for key, value in node.items():
            yield from pairs_in(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            name = value.get("id") or value.get("value") or value.get("code") or index \
                if isinstance(value, dict) else index
            yield from pairs_in(value, f"{where}[{name}]")


def demo_texts() -> list[tuple[str, str, str]]:
    texts = []
    for path in sorted(DEMO.glob("*.json")):
        texts += pairs_in(json.loads(path.read_text(encoding="utf-8")), path.name)
    for path in sorted(DEMO.glob("*.csv")):
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
            if "name_qu" in row:
                texts.append((f"{path.name}:{row.get('code')}", row.get("name_es", ""),
                              row["name_qu"]))
    texts += [(f"samples.COMMENTS[{i}]", "", text)
              for i, (language, text) in enumerate(samples.COMMENTS) if language == "qu"]
    return texts


def catalog_texts() -> list[tuple[str, str, str]]:
    es = {m.id: m.string for m in catalog("es_PE") if m.id}
    texts = []
    for message in catalog("qu"):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        spanish = es.get(message.id)
        spanish = " ".join(spanish) if isinstance(spanish, tuple) else spanish or ""
        texts += [(f"qu catalog: {message.id!r}", spanish, s) for s in strings if s]
    return texts


def checked(text: str) -> str:
    # brackets hold Spanish glosses ("(canon minero)"), which the glossary allows
    return re.sub(r"\([^)]*\)", " ", text)


def word_problems(texts) -> list[str]:
    problems = []
    for where, _es, qu in texts:
        for write, forbidden in WORDS:
            for found in re.finditer(rf"(?<!\w)(?:{forbidden})", checked(qu), re.IGNORECASE):
                problems.append(f"{where}: “{found.group(0)}” → {write}: {qu!r}")
    return problems


def pair_problems(texts) -> list[str]:
    problems = []
    for where, es, qu in texts:
        said = [pair for pair in PAIRS if re.search(rf"(?<!\w)(?:{pair[0]})(?!\w)", es, re.I)]
        for spanish, wanted, unwanted in said:
            if not re.search(wanted, qu, re.IGNORECASE):
                problems.append(f"{where}: Spanish says {spanish}, Quechua lacks {wanted}: "
                                f"{qu!r}")
            # the forbidden word is right when the Spanish also names its own thing
            allowed = any(other[1] == unwanted for other in said) or (
                unwanted == "(?:tapukuykuna)" and re.search(r"encuesta|entrevista", es, re.I))
            if unwanted and not allowed and re.search(unwanted, checked(qu), re.IGNORECASE):
                problems.append(f"{where}: Quechua says {unwanted} for {spanish}: {qu!r}")
    return problems


def test_the_glossary_tables_are_read():
    assert len(WORDS) >= 18 and len(PAIRS) >= 4
    assert ("karru", "(?:carro)") in WORDS
    assert word_problems([("x", "", "Ayllukichikpi carrokuna, Plan nisqap proyectonkuna")])
    assert word_problems([("x", "", "Aylluykichikpi karrukuna, planpa pruyiktunkuna")]) == []
    assert pair_problems([("x", "la posta", "hampina wasi")])


def test_demo_content_spells_glossary_terms_the_glossary_way():
    problems = word_problems(demo_texts())
    assert problems == [], "\n".join(problems)


def test_demo_content_keeps_the_glossary_pairs():
    problems = pair_problems(demo_texts())
    assert problems == [], "\n".join(problems)


def test_quechua_catalog_spells_glossary_terms_the_glossary_way():
    problems = word_problems(catalog_texts())
    assert problems == [], "\n".join(problems)


# ---- one register: tú (GLOSSARY §6) ----

# usted forms that never mean anything else in our texts...
USTED_ALWAYS = (r"usted|ustedes|cuéntenos|díganos|fotografíe|déjelo|déjela|escanee|seleccione|"
                r"ingrese")
# ...and usted imperatives, which are also subjunctives ("para que lo revise"): only at the
# start of a sentence or of an instruction
USTED_IMPERATIVE = (r"escriba|elija|pida|tome|grabe|lea|pregunte|calcule|cuente|marque|intente|"
                    r"vuelva|revise|consulte|envíe|espere|guarde|responda|abra|toque|use")
USTED = re.compile(rf"(?<!\w)(?:{USTED_ALWAYS})(?!\w)|(?:^|[.:;!?¿¡«(]\s*)"
                   rf"(?:{USTED_IMPERATIVE})(?!\w)", re.IGNORECASE)
# ...and, in a form addressed to the resident, the usted pronouns and verbs too
USTED_TO_RESIDENT = re.compile(
    r"(?<!\w)(?:su|sus|le|les|quiere|puede|prefiere|sabe|vive|eligió|ha)(?!\w)", re.IGNORECASE)
QUOTED = re.compile(r"«[^»]*»")


def survey_texts(path: Path):
    """(where, field, es) for each Spanish text of a survey definition."""
    for where, es, _qu in pairs_in(json.loads(path.read_text(encoding="utf-8")), path.name):
        yield where, where.rsplit(".", 1)[-1], es


def resident_forms() -> list[Path]:
    return [p for p in sorted(DEMO.glob("feedback*.json"))]


@pytest.mark.parametrize("path", resident_forms(), ids=lambda p: p.name)
def test_resident_forms_say_tu(path):
    problems = [f"{where}: {es!r}" for where, _field, es in survey_texts(path)
                if (USTED.search(es) or USTED_TO_RESIDENT.search(es))
                and "questions[project].choices" not in where]  # project titles are names
    assert problems == [], "\n".join(problems)


def test_promoter_instructions_say_tu_and_only_read_aloud_words_say_usted():
    problems = []
    for where, field, es in survey_texts(DEMO / "household_survey.json"):
        unquoted = QUOTED.sub(" ", es)
        spoken = field == "label" and ".questions[" in where and not re.search(
            r"(?<!\w)(?:toma|graba|lee|pregunta|pide|escribe)(?!\w)", unquoted, re.I)
        if spoken:
            continue  # a question the promoter reads aloud: usted is the written exception
        if USTED.search(unquoted):
            problems.append(f"{where}: {es!r}")
    assert problems == [], "\n".join(problems)


def test_the_app_and_the_poster_say_tu():
    es = catalog("es_PE")
    problems = []
    for message in es:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        problems += [f"{message.id!r}: {s!r}" for s in strings if s and USTED.search(s)]
    assert problems == [], "\n".join(problems)
    poster = es.get("Tell us what you think about the projects in your district. It is free "
                    "and takes a few minutes.").string
    assert poster.startswith("Cuéntanos")


def test_the_resident_form_title_and_the_poster_line_agree():
    """The poster shows the form's title above its invitation: both in tú."""
    form = json.loads((DEMO / "feedback_form.json").read_text(encoding="utf-8"))
    assert form["title"]["es"].startswith("Cuéntanos")
    assert "tu distrito" in form["title"]["es"]


# ---- rating wording = the star widget's ----

def rating_questions(node):
    if isinstance(node, dict):
        if node.get("type") == "rating":
            yield node
        for value in node.values():
            yield from rating_questions(value)
    elif isinstance(node, list):
        for value in node:
            yield from rating_questions(value)


def test_rating_hints_use_the_star_widgets_words():
    es, qu = catalog("es_PE"), catalog("qu")
    words = {"es": (es.get("Very bad").string, es.get("Very good").string),
             "qu": (qu.get("Very bad").string, qu.get("Very good").string)}
    seen = 0
    for path in sorted(DEMO.glob("*.json")):
        for question in rating_questions(json.loads(path.read_text(encoding="utf-8"))):
            hint = question.get("hint")
            if not hint:
                continue
            seen += 1
            for language, (worst, best) in words.items():
                text = hint[language].lower()
                assert f"1 = {worst.lower()}" in text and f"5 = {best.lower()}" in text, (
                    f"{path.name} {question['id']} ({language}): {hint[language]!r} should say "
                    f"1 = {worst.lower()}, 5 = {best.lower()}")
    assert seen >= 2
