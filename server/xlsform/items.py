"""One pyxform survey element (question, group, repeat) -> one Willay item
(docs/survey-format.md). Every field that cannot be carried is refused at its row."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from flask_babel import gettext as _
from pyxform import aliases, constants

from .checks import SheetFacts
from .columns import DATA_NAME, MEDIA_KINDS
from .expressions import Untranslatable, translate
from .locations import Location, SourceMap
from .problems import ProblemList
from .types import classify

SHOWN_NEVER = ("calculate", "hidden", "meta")
_PARAMETERS_LEFT_OUT = {"max-pixels", "quality", "capture-accuracy", "warning-accuracy",
                        "allow-mock-accuracy", "rows", "placeholder", "tick_interval",
                        "tick_labelset"}
_CHOICE_KEYS = {"name", "label", "media", "sms_option", "__row"}
_FILE_DEFAULTS = {".csv": ("name", "label"), ".geojson": ("id", "title")}


@dataclass
class Context:
    facts: SheetFacts
    problems: ProblemList
    source: SourceMap
    codes: dict[str, str]  # pyxform language name -> code
    default: str  # code of texts without a language
    survey_fields: dict[str, str]  # definition field ("label.es", "relevance") -> header
    choice_fields: dict[str, str]
    style_pages: bool = False
    failed: set[str] = field(default_factory=set)  # names refused for their type

    def row(self, name: str) -> int | None:
        return self.facts.rows.get(name.lower())

    def error(self, message: str, row: int | None, column_field: str | None = None) -> None:
        header = self.survey_fields.get(column_field or "", column_field)
        self.problems.error(message, "survey", row, header)

    def texts(self, value) -> dict[str, str]:
        if value in (None, ""):
            return {}
        if isinstance(value, str):
            return {self.default: value}
        out: dict[str, str] = {}
        # texts without a language first, so that a named column for the same language wins
        for lang, text in sorted(value.items(), key=lambda kv: kv[0] != "default"):
            code = self.codes.get(lang, self.default if lang == "default" else lang)
            if code and text not in (None, ""):
                out[code] = str(text)
        return out

    def expression(self, text, row: int | None, column_field: str,
                   choice_filter: bool = False) -> str | None:
        try:
            return translate(str(text), choice_filter=choice_filter)
        except Untranslatable as err:
            self.error(str(err), row, column_field)
            return None


def _flag(ctx: Context, value, row, column_field: str) -> bool | str | None:
    """yes/no, or an expression (required, read_only)."""
    text = str(value).strip()
    known = aliases.yes_no.get(text)
    if known is not None:
        return known
    return ctx.expression(text, row, column_field)


def _media(ctx: Context, media, row) -> dict:
    out: dict[str, dict[str, str]] = {}
    for kind, value in (media if isinstance(media, dict) else {}).items():
        if kind in MEDIA_KINDS:
            texts = ctx.texts(value)
            if texts:
                out[kind] = texts
    return out


def convert_item(ctx: Context, e: dict, path: str) -> dict | None:
    kind = e.get("type")
    name = str(e.get("name", ""))
    row = ctx.row(name)
    ctx.source.add(path, Location("survey", row, ctx.survey_fields))
    if kind in (constants.GROUP, constants.REPEAT):
        return container(ctx, e, path, row)
    if kind == constants.LOOP:
        ctx.error(_("Loops (begin loop) are not supported: use a repeat."), row, "type")
        return None
    return question(ctx, e, row)


def container(ctx: Context, e: dict, path: str, row) -> dict:
    item: dict = {"id": e["name"], "type": e["type"]}
    label = ctx.texts(e.get("label"))
    if label:
        item["label"] = label
    bind, control = e.get("bind") or {}, e.get("control") or {}
    if bind.get("relevant"):
        relevance = ctx.expression(bind["relevant"], row, "relevance")
        if relevance:
            item["relevance"] = relevance
    if control.get("appearance"):
        item["appearance"] = control["appearance"]
    if e["type"] == constants.REPEAT and control.get("jr:count"):
        count = ctx.expression(control["jr:count"], row, "repeat_count")
        if count:
            item["repeat_count"] = count
    item["questions"] = children(ctx, e.get("children") or [], f"{path}.questions")
    return item


def children(ctx: Context, elements: list[dict], path: str) -> list[dict]:
    out = []
    for e in elements:
        if is_generated(ctx, e):
            continue
        item = convert_item(ctx, e, f"{path}[{len(out)}]")
        if item is not None:
            out.append(item)
    return out


def is_generated(ctx: Context, e: dict) -> bool:
    """pyxform's own additions: the meta group and the `<name>_other` text of or_other."""
    name = str(e.get("name", ""))
    if name == "meta" and (e.get("control") or {}).get("bodyless"):
        return True
    return name.endswith("_other") and name[:-6] in ctx.facts.or_other \
        and ctx.row(name) is None


def question(ctx: Context, e: dict, row) -> dict | None:
    name = str(e["name"])
    kind = classify(str(e.get("type")))
    if kind.willay is None:
        ctx.error(kind.refusal or "", row, "type")
        ctx.failed.add(name)
        return None
    willay = ctx.facts.willay_types.get(name, kind.willay)
    q: dict = {"id": name, "type": willay}
    if kind.meta:
        q["meta"] = kind.meta
    for key, value in (("label", e.get("label")), ("hint", e.get("hint"))):
        texts = ctx.texts(value)
        if texts:
            q[key] = texts
    _binds(ctx, e, q, row, kind.constraint)
    control = e.get("control") or {}
    if control.get("appearance"):
        q["appearance"] = control["appearance"]
    _default(ctx, e, q, row)
    if e.get("trigger"):
        triggers = list(e["trigger"])
        if len(triggers) == 1:
            q["trigger"] = triggers[0]
        else:
            ctx.error(_("A trigger may name one question only."), row, "trigger")
    if willay in ("select_one", "select_multiple"):
        _select(ctx, e, q, row)
    _parameters(ctx, e, q, row, willay)
    media = _media(ctx, e.get("media"), row)
    if media:
        q["media"] = media
    if e.get("personal") is not None:
        personal = aliases.yes_no.get(str(e["personal"]).strip())
        if personal is None:
            ctx.error(_("Write yes or no here."), row, "personal")
        elif personal:
            q["personal"] = True
    return q


def _binds(ctx: Context, e: dict, q: dict, row, implied_constraint) -> None:
    bind = e.get("bind") or {}
    if bind.get("relevant"):
        value = ctx.expression(bind["relevant"], row, "relevance")
        if value:
            q["relevance"] = value
    constraint = bind.get("constraint") or implied_constraint
    if constraint:
        value = ctx.expression(constraint, row, "constraint")
        if value:
            q["constraint"] = value
    for key, target in (("jr:constraintMsg", "constraint_message"),
                        ("jr:requiredMsg", "required_message")):
        texts = ctx.texts(bind.get(key))
        if texts:
            q[target] = texts
    for key, target in (("required", "required"), ("readonly", "read_only")):
        if bind.get(key) not in (None, ""):
            value = _flag(ctx, bind[key], row, target)
            if value:
                q[target] = value
    if bind.get("calculate"):
        value = ctx.expression(bind["calculate"], row, "calculation")
        if value:
            q["calculation"] = value


def _default(ctx: Context, e: dict, q: dict, row) -> None:
    default = e.get("default")
    if default in (None, ""):
        return
    text = str(default)
    if q["type"] in ("photo", "audio", "video", "file"):
        ctx.error(_("A default file is not supported."), row, "default")
    elif e.get("_dynamic_default"):
        value = ctx.expression(text, row, "default")
        if value is None:
            return
        if "${" in text or "calculation" in q:
            ctx.error(_("This default is an expression computed when the form opens: write "
                        "it in the calculation column instead (Willay recomputes it when "
                        "the answers it uses change)."), row, "default")
        else:  # today(), now() …: nothing to recompute it from, so it is computed once
            q["calculation"] = value
    else:
        q["default"] = text


def _select(ctx: Context, e: dict, q: dict, row) -> None:
    itemset = str(e.get("itemset") or "")
    suffix = PurePosixPath(itemset).suffix.lower()
    if suffix in _FILE_DEFAULTS and not e.get("list_name"):
        params = e.get("parameters") or {}
        value, label = _FILE_DEFAULTS[suffix]
        q["choices_from"] = {"file": itemset, "value": params.get("value", value),
                             "label": params.get("label", label)}
    elif suffix:
        return  # .xml lists: refused with the row's type (checks.py)
    else:
        list_name = str(e.get("list_name") or itemset)
        choices = list(e.get("choices") or [])
        if q["id"] in ctx.facts.or_other and choices and choices[-1].get("name") == "other" \
                and (list_name, "other") not in ctx.facts.choice_rows:
            choices = choices[:-1]
            q["or_other"] = True
        q["choices"] = [_choice(ctx, list_name, c) for c in choices]
        if q["id"] in ctx.facts.or_other:
            q["or_other"] = True
    if e.get("choice_filter"):
        value = ctx.expression(e["choice_filter"], row, "choice_filter", choice_filter=True)
        if value:
            q["choice_filter"] = value


def _choice(ctx: Context, list_name: str, c: dict) -> dict:
    choice: dict = {"value": str(c.get("name", "")), "label": ctx.texts(c.get("label"))}
    media = _media(ctx, c.get("media"), None)
    if media:
        choice["media"] = media
    data = {k: str(v) for k, v in c.items() if k not in _CHOICE_KEYS
            and v not in (None, "") and DATA_NAME.match(k)}
    if data:
        choice["data"] = data
    choice["_row"] = ctx.facts.choice_rows.get((list_name, choice["value"]))
    return choice


def _number(text: str):
    value = float(text)
    return int(value) if value.is_integer() else value


def _parameters(ctx: Context, e: dict, q: dict, row, willay: str) -> None:
    params = dict(e.get("parameters") or {})
    if willay == "range":
        out = {}
        for key in ("start", "end", "step"):
            if key in params:
                try:
                    out[key] = _number(str(params.pop(key)))
                except ValueError:
                    ctx.error(_("The range parameters start, end and step must be "
                                "numbers."), row, "parameters")
        q["parameters"] = out
    if "choices_from" in q:
        params.pop("value", None)
        params.pop("label", None)
    for key in params:
        if key in _PARAMETERS_LEFT_OUT:
            ctx.problems.notice(_("The parameter %(name)s is left out: it does not change "
                                  "what is asked or stored.", name=key), "survey", row,
                                ctx.survey_fields.get("parameters", "parameters"))
        else:
            ctx.error(_("The parameter %(name)s is not supported.", name=key), row,
                      "parameters")
