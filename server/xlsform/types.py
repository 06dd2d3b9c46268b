"""pyxform question types -> Willay types. pyxform's type table
(`question_type_dictionary.QUESTION_TYPE_DICT`) says what each XLSForm type spelling is in
XForms terms (bind type, control tag, media type, preload); the Willay type is read from
that, so every legacy spelling pyxform knows lands on the same Willay type."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

# Willay's own types, given to pyxform as a type it knows and restored afterwards
WILLAY_TYPES = {"rating": "integer", "place": "text"}
META = {"start": "start", "end": "end", "today": "today", "deviceid": "deviceid",
        "username": "username", "phonenumber": "phonenumber"}
_BY_BIND = {"string": "text", "int": "integer", "decimal": "decimal", "date": "date",
            "time": "time", "dateTime": "datetime", "geopoint": "geopoint",
            "barcode": "barcode"}
_UPLOADS = {"image/*": "photo", "audio/*": "audio", "video/*": "video",
            "application/*": "file"}


@dataclass(frozen=True)
class Kind:
    willay: str | None  # None: refused, `refusal` says why
    meta: str | None = None
    refusal: str | None = None
    constraint: str | None = None  # a constraint the legacy type spelling implies


def _refused(message: str) -> Kind:
    return Kind(None, refusal=message)


def classify(pyxform_type: str) -> Kind:
    """The Willay type of one pyxform element type (groups and repeats excluded)."""
    if pyxform_type in ("note", "calculate", "hidden", "acknowledge", "range", "audit"):
        return Kind("meta", meta="audit") if pyxform_type == "audit" else Kind(pyxform_type)
    if pyxform_type in ("select one", "select all that apply"):
        return Kind("select_one" if pyxform_type == "select one" else "select_multiple")
    if pyxform_type == "rank":
        return _refused(_("The type rank (put choices in order) is not supported: ask "
                          "with select_one questions, one per position."))
    if pyxform_type in ("geotrace", "geoshape"):
        return _refused(_("The types geotrace and geoshape (lines and areas on a map) are "
                          "not supported: ask for geopoints instead."))
    if pyxform_type in ("select one external",):
        return _refused(_("select_one_external is not supported: use select_one with a "
                          "choice_filter, or select_one_from_file with a CSV list."))
    if pyxform_type in ("start-geopoint", "background-geopoint", "background-audio"):
        return _refused(_("The type %(type)s (recorded in the background) is not "
                          "supported: Willay records the location with every submission "
                          "and never records sound without a question.", type=pyxform_type))
    if pyxform_type in ("xml-external", "csv-external"):
        return _refused(_("%(type)s (data for pulldata() and instance()) is not supported.",
                          type=pyxform_type))
    spec = QUESTION_TYPE_DICT.get(pyxform_type)
    if spec is None:
        return _refused(_("The type “%(type)s” is not supported.", type=pyxform_type))
    bind, control = spec.get("bind", {}), spec.get("control", {})
    preload = bind.get("jr:preloadParams")
    if preload:
        if preload in META:
            return Kind("meta", meta=META[preload])
        return _refused(_("The metadata %(type)s is not available to a web app (phones do "
                          "not give it to the browser).", type=pyxform_type))
    if control.get("tag") == "trigger":
        return Kind("acknowledge")
    if bind.get("type") == "binary":
        kind = _UPLOADS.get(control.get("mediatype", ""))
        if kind:
            return Kind(kind)
        return _refused(_("The type “%(type)s” is not supported.", type=pyxform_type))
    if control.get("tag") in ("select1", "select"):
        return Kind("select_one" if control["tag"] == "select1" else "select_multiple")
    if bind.get("readonly") == "true()" and "calculate" not in bind:
        return Kind("note")
    if not control and bind.get("type") == "string":
        return Kind("calculate")
    willay = _BY_BIND.get(bind.get("type", ""))
    if willay is None:
        return _refused(_("The type “%(type)s” is not supported.", type=pyxform_type))
    return Kind(willay, constraint=bind.get("constraint"))
