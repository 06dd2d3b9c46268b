"""Translating XLSForm (ODK XPath) expressions, as pyxform passes them on, into Willay's
expression language (docs/expressions.md), or saying precisely why one cannot be carried.

Willay's language was made to read XLSForm expressions as they are written. This module
lexes the XPath text, refuses what has no equal (paths, predicates, `|`, unknown functions
such as pulldata()), writes numbers like `.5` as `0.5`, and lets the real parser
(`server.surveys.expression_parser`) check the rest. `regex()` is carried unchanged:
ODK Collect (JavaRosa) and Enketo both find the pattern anywhere in the answer, as Willay
does."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from ..surveys.expression_parser import (
    FUNCTION_ARITY,
    TYPOGRAPHIC_QUOTES,
    ExpressionError,
    is_question_id,
    parse_tree,
)

_NAME_START = re.compile(r"[A-Za-z_]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*(?::[A-Za-z_][A-Za-z0-9_.\-]*)?")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
KEYWORDS = ("and", "or", "div", "mod")


class Untranslatable(ValueError):
    """The expression cannot be carried over; str() is a translated explanation."""


@dataclass
class _Token:
    kind: str  # ws ref num str dot dotdot name op
    text: str
    pos: int
    value: str = ""


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            j = i
            while j < n and text[j] in " \t\r\n":
                j += 1
            tokens.append(_Token("ws", text[i:j], i))
            i = j
        elif text.startswith("${", i):
            end = text.find("}", i)
            if end < 0:
                raise Untranslatable(_("A reference ${…} is not closed with }."))
            name = text[i + 2:end]
            if not is_question_id(name):
                raise Untranslatable(_("“%(text)s” is not a valid reference.",
                                       text=text[i:end + 1]))
            tokens.append(_Token("ref", text[i:end + 1], i, name))
            i = end + 1
        elif c == "." and text.startswith("..", i):
            if text.startswith("../", i) or text.startswith("..", i) and \
                    text.startswith("/", i + 2):
                raise Untranslatable(_("Paths such as “../” are not supported: refer to "
                                       "questions as ${name}."))
            tokens.append(_Token("dotdot", "..", i))
            i += 2
        elif c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()):
            match = _NUMBER.match(text, i)
            assert match is not None
            tokens.append(_Token("num", match.group(), i))
            i = match.end()
        elif c == ".":
            if text.startswith("./", i):
                raise Untranslatable(_("Paths such as “./” are not supported: refer to "
                                       "questions as ${name}."))
            tokens.append(_Token("dot", ".", i))
            i += 1
        elif c in "'\"":
            end = text.find(c, i + 1)
            if end < 0:
                raise Untranslatable(_("A text in quotes is not closed."))
            tokens.append(_Token("str", text[i:end + 1], i, text[i + 1:end]))
            i = end + 1
        elif _NAME_START.match(c):
            match = _NAME.match(text, i)
            assert match is not None
            tokens.append(_Token("name", match.group(), i))
            i = match.end()
        elif text.startswith(("!=", "<=", ">="), i):
            tokens.append(_Token("op", text[i:i + 2], i))
            i += 2
        elif c in "=<>+-*(),":
            tokens.append(_Token("op", c, i))
            i += 1
        elif c == "/":
            raise Untranslatable(_("Paths with “/” are not supported: refer to questions "
                                   "as ${name} and divide with div."))
        elif c in "[]":
            raise Untranslatable(_("Predicates in [ ] are not supported."))
        elif c == "|":
            raise Untranslatable(_("The union operator | is not supported."))
        elif c in TYPOGRAPHIC_QUOTES:
            raise Untranslatable(_("“%(char)s” is a typographic quote: write texts between "
                                   "straight quotes ' or \".", char=c))
        else:
            raise Untranslatable(_("The character “%(char)s” is not allowed here.", char=c))
    return tokens


def _next_solid(tokens: list[_Token], i: int) -> int:
    while i < len(tokens) and tokens[i].kind == "ws":
        i += 1
    return i


def _rewrite(tokens: list[_Token], choice_filter: bool) -> None:
    """Change, in place, the tokens whose spelling differs between ODK and Willay, and refuse
    what Willay cannot read the way ODK does."""
    for i, tok in enumerate(tokens):
        if tok.kind == "num":
            whole, _dot, frac = tok.text.partition(".")
            tok.text = (whole or "0") + ("." + frac if frac else "")
        elif tok.kind == "dotdot":
            before = [t for t in tokens[:i] if t.kind != "ws"][-2:]
            after = _next_solid(tokens, i + 1)
            if [t.text for t in before] != ["position", "("] or after >= len(tokens) \
                    or tokens[after].text != ")":
                raise Untranslatable(_("“..” is only supported in position(..): refer to "
                                       "questions as ${name}."))
        elif tok.kind == "name":
            after = _next_solid(tokens, i + 1)
            is_call = after < len(tokens) and tokens[after].text == "(" \
                and tok.text not in KEYWORDS
            if not is_call:
                if tok.text in KEYWORDS or (choice_filter and ":" not in tok.text):
                    continue
                raise Untranslatable(_(
                    "“%(word)s” is neither a function nor an operator: put text in "
                    "quotes ('%(word)s') and refer to questions as ${name}.",
                    word=tok.text))
            if tok.text in _SPECIAL_REFUSALS:
                raise Untranslatable(_SPECIAL_REFUSALS[tok.text]())
            if tok.text not in FUNCTION_ARITY:
                raise Untranslatable(_("The function %(name)s() is not supported.",
                                       name=tok.text))


_SPECIAL_REFUSALS = {
    "pulldata": lambda: _("pulldata() is not supported: put the list in a CSV file and "
                          "ask with select_one_from_file, or copy the value into the form."),
    "instance": lambda: _("instance() is not supported: use select_one_from_file or a "
                          "choice_filter for lists."),
    "current": lambda: _("current() is not supported: refer to questions as ${name}."),
}


def translate(text: str, *, choice_filter: bool = False) -> str:
    """The Willay expression for an XLSForm expression; raises Untranslatable.
    choice_filter: bare names are columns of the choice sheet (or CSV)."""
    tokens = _lex(text)
    _rewrite(tokens, choice_filter)
    result = "".join(tok.text for tok in tokens).strip()
    try:
        parse_tree(result, choice_filter=choice_filter)
    except ExpressionError as err:
        raise Untranslatable(_syntax_message(err, result)) from err
    return result


def _syntax_message(err: ExpressionError, text: str) -> str:
    near = text[err.position:err.position + 12]
    reasons = {
        "too_long": _("The expression is too long (at most 2000 characters)."),
        "empty": _("The expression is empty."),
        "unexpected_end": _("The expression ends too soon (a missing ) or value?)."),
        "too_deep": _("The expression is nested too deeply."),
        "wrong_arity": _("A function has the wrong number of arguments, near “%(near)s”.",
                         near=near),
        "unknown_function": _("Unknown function near “%(near)s”.", near=near),
        "bad_argument": _("A function is not written as Willay reads it, near "
                          "“%(near)s” (%(reason)s).", near=near, reason=str(err)),
        "typographic_quote": _("“%(char)s” is a typographic quote: write texts between "
                               "straight quotes ' or \".", char=near[:1]),
    }
    return reasons.get(err.code) or _("Unexpected “%(near)s” at character %(position)s.",
                                      near=near, position=err.position + 1)
