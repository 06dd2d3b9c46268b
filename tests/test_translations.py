"""The gettext catalogs are complete, consistent with the code, and compiled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parent.parent
LOCALES = ["es_PE", "qu"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def catalog(locale: str):
    with (REPO / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


def source_messages() -> set[str]:
    with (REPO / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(REPO), method_map, options_map, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated_not_fuzzy_with_matching_placeholders(locale):
    problems = []
    for message in catalog(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        for text in strings:
            if not text:
                problems.append(f"missing: {ids[0]!r}")
            elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(ids[0])):
                problems.append(f"placeholders differ: {ids[0]!r} -> {text!r}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogs_hold_every_message_in_the_code(locale):
    in_catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(locale) if m.id}
    missing = source_messages() - in_catalog
    assert not missing, f"run `make translations` and translate: {sorted(missing)}"


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogs_are_not_stale(locale):
    def plain(value):  # read_mo gives plural ids and forms as lists, read_po as tuples
        return value if isinstance(value, str) else tuple(value)

    # an untranslated message is never compiled; the test above reports it
    po = {plain(m.id): plain(m.string) for m in catalog(locale)
          if m.id and (m.string if isinstance(m.string, str) else all(m.string))
          and not m.fuzzy}
    mo_path = REPO / "translations" / locale / "LC_MESSAGES" / "messages.mo"
    with mo_path.open("rb") as f:
        mo = {plain(m.id): plain(m.string) for m in read_mo(f) if m.id}
    assert mo == po, "run `make translations` (pybabel compile) to rebuild the .mo files"


def test_quechua_has_a_single_plural_form():
    assert catalog("qu").plural_forms == "nplurals=1; plural=0;"


def test_quechua_differs_from_spanish_for_most_messages():
    es = {m.id: m.string for m in catalog("es_PE") if m.id}
    qu = {m.id: m.string for m in catalog("qu") if m.id}
    same = [k for k in es if es[k] == qu.get(k) and not PLACEHOLDER.fullmatch(es[k])]
    # a few technical strings may be identical in both; a copied catalog is not
    assert len(same) <= 3, same


# Fixes from the catalog review (issue 9); GLOSSARY.md §10 gives the reasons.
QUECHUA_FIXES = {
    "Cancel": "Ama niy",
    "Clear": "Qulluy",
    "Older": "Aswan ñawpaqkuna",
    "Newer": "Aswan musuqkuna",
}


def test_reviewed_quechua_words_stay_fixed():
    qu = {m.id: m.string for m in catalog("qu") if m.id}
    assert {msgid: qu[msgid] for msgid in QUECHUA_FIXES} == QUECHUA_FIXES
    assert "uyarichisqa" in qu["This survey or version is not published on the server."]
    accuracy = qu["The accuracy cannot be negative."]
    assert "chiqaq" in accuracy and "chiqan " not in accuracy  # exact, not straight
    poster = qu["Tell us what you think about the projects in your district. It is free and "
                "takes a few minutes."]
    assert "qullqiyuq" not in poster and "qullqitapas qunkichu" in poster  # free, not penniless
    assert not any("Pichay" in text for text in qu.values() if isinstance(text, str))


def test_phone_buttons_are_short_in_quechua():
    qu = {m.id: m.string for m in catalog("qu") if m.id}
    for msgid in ("Take the location again", "Add the location", "Save and exit",
                  "Check and finish", "Record again", "Cancel"):
        assert len(qu[msgid]) <= 22, (msgid, qu[msgid])


def test_spanish_speaks_to_everyone_without_a_gender():
    es = {m.id: m.string for m in catalog("es_PE") if m.id}
    assert es["You cannot deactivate yourself. Ask another admin."].startswith(
        "No puedes desactivar tu propia cuenta")
