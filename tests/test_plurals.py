"""Every count reads right: messages with a count go through ngettext (Spanish two forms,
Quechua one), in Python, Jinja and the PWA's catalog JSON.

How a message is recognised as having "a count" (GLOSSARY §9):
- a placeholder named count, n or num (``%(count)s``, ``{count}``), or a bare ``%d``;
- or a number placeholder (max, min, total, given, rows, stars, seconds, limit, good, done,
  added) followed by a word in the English text: that word is the noun it counts ("at most
  %(max)s characters") or a verb that agrees with it ("%(good)s gave"). Units (m, km, MB)
  and "of/to/or/and/from/with…" after it need no agreement.
Identifiers and ordinals (number, line, row, position, code) are not counts: "Versión 1" and
"fila 1" never change.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext
from test_translations import KEYWORDS, REPO, catalog

COUNT_NAMES = {"count", "n", "num"}
NUMBER_NAMES = COUNT_NAMES | {"max", "min", "total", "given", "rows", "stars", "seconds",
                              "limit", "good", "done", "added"}
NO_AGREEMENT = {"m", "km", "mb", "kb", "gb", "of", "to", "or", "and", "from", "with", "at",
                "in", "on", "out"}
ALWAYS = re.compile(r"%\((?:count|n|num)\)[sd]|%d|\{(?:count|n|num)\}")
NUMBER_THEN_WORD = re.compile(r"%\((\w+)\)[sd] ([A-Za-z]+)")


def needs_plural(msgid: str) -> bool:
    if ALWAYS.search(msgid):
        return True
    return any(name in NUMBER_NAMES and word.lower() not in NO_AGREEMENT
               for name, word in NUMBER_THEN_WORD.findall(msgid))


def extracted():
    with (REPO / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    for filename, line, message, _comments, _context in extract_from_dir(
            str(REPO), method_map, options_map, keywords=KEYWORDS):
        yield f"{filename}:{line}", message


def test_the_rule_recognises_counts():
    assert needs_plural("%(count)s interviews were saved in the file.")
    assert needs_plural("Too long: at most %(max)s characters.")
    assert needs_plural("%(good)s gave 4 or 5.")
    assert needs_plural("Choices ({count})")
    assert not needs_plural("Enter a number from %(min)s to %(max)s.")
    assert not needs_plural("Version %(number)s is published.")
    assert not needs_plural("accuracy about %(metres)s m")
    assert not needs_plural("At most %(mb)s MB.")
    assert not needs_plural("%(name)s is too large (at most %(mb)s MB).")


def test_every_message_with_a_count_is_plural_aware():
    """In the code itself (Python, Jinja, pwa/), so a new message is caught before
    `make translations`."""
    found = [f"{where}: {message!r}" for where, message in extracted()
             if isinstance(message, str) and needs_plural(message)]
    assert found == [], ("use ngettext (Python/Jinja) or ngettext() from pwa/i18n.js for:\n"
                         + "\n".join(found))


def test_catalogs_have_the_plural_forms_of_each_language():
    assert catalog("es_PE").plural_forms == "nplurals=2; plural=(n != 1);"
    assert catalog("qu").plural_forms == "nplurals=1; plural=0;"
    with (REPO / "translations" / "messages.pot").open("rb") as f:
        template = read_po(f)
    plural_ids = {m.id[0] for m in template if isinstance(m.id, tuple)}
    assert len(plural_ids) >= 20
    for locale, forms in (("es_PE", 2), ("qu", 1)):
        messages = {m.id[0]: m for m in catalog(locale) if isinstance(m.id, tuple)}
        assert plural_ids <= set(messages), f"{locale}: run `make translations`"
        wrong = [i for i in plural_ids if len(messages[i].string) != forms
                 or not all(messages[i].string)]
        assert wrong == [], f"{locale} needs {forms} form(s) for: {wrong}"


@pytest.mark.parametrize(("n", "expected"), [(1, "1 estrella"), (2, "2 estrellas"),
                                             (0, "0 estrellas")])
def test_spanish_counts_read_right(app, n, expected):
    with app.test_request_context("/?lang=es"), force_locale("es_PE"):
        assert ngettext("%(stars)s star", "%(stars)s stars", n, stars=n) == expected


def test_quechua_has_one_form_for_every_count(app):
    with app.test_request_context("/?lang=qu"), force_locale("qu"):
        one = ngettext("%(stars)s star", "%(stars)s stars", 1, stars=1)
        many = ngettext("%(stars)s star", "%(stars)s stars", 5, stars=5)
    assert (one, many) == ("1 quyllur", "5 quyllur")


def test_an_api_error_with_a_limit_of_one_says_it_in_the_singular(app_factory, device_headers):
    client = app_factory(MAX_BATCH_ITEMS=1).test_client()
    response = client.post("/api/v1/submissions", json={"submissions": [{}, {}]},
                           headers={**device_headers, "Accept-Language": "es-PE"})
    assert response.status_code == 413, response.get_json()
    assert response.get_json()["error"]["message"] == "Se aceptan como máximo 1 envío a la vez."


def test_the_pwa_gets_every_form_and_the_rule(client):
    for tag, rule, forms in (("es-PE", "nplurals=2; plural=(n != 1);", 2),
                             ("qu", "nplurals=1; plural=0;", 1)):
        body = client.get(f"/api/v1/i18n/{tag}").get_json()
        assert body["plural_forms"] == rule
        saved = body["plurals"]["%(count)s interview was saved in the file."]
        assert len(saved) == forms and all("%(count)s" in text for text in saved)
        # plural messages are not in the one-form map
        assert "%(count)s interview was saved in the file." not in body["messages"]
