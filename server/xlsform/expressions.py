"""Translating XLSForm (ODK XPath) expressions into Willay's expression language
(docs/expressions.md), or saying precisely why one cannot be carried over.

Most XLSForm expressions are already valid Willay expressions. The translation reads the
XPath text with its own small lexer, refuses what has no equal (paths, predicates, unknown
functions, date arithmetic), and rewrites three things so they mean what they meant in ODK:
numbers written `.5`, `date('2024-01-31')` (a date literal), and `regex()` patterns, which
ODK matches against the whole answer while Willay matches anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from ..surveys.expression_parser import (
    FUNCTION_ARITY,
    ExpressionError,
    is_question_id,
    parse_tree,
)

_NAME_START = re.compile(r"[A-Za-z_]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*(?::[A-Za-z_][A-Za-z0-9_.\-]*)?")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_XLS_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
KEYWORDS = ("and", "or", "div", "mod")
ARITHMETIC = ("+", "-", "*", "div", "mod")
COMPARISON = ("=", "!=", "<", "<=", ">", ">=")


class Untranslatable(ValueError):
    """The expression cannot be carried over; str() is a translated explanation."""


@dataclass
class _Token:
    kind: str  # ws ref num str dot name op
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
                if _XLS_NAME.match(name):
                    raise Untranslatable(_(
                        "${%(name)s}: question names must use lower-case letters, digits "
                        "and _ (start with a letter).", name=name))
                raise Untranslatable(_("“%(text)s” is not a valid reference.",
                                       text=text[i:end + 1]))
            tokens.append(_Token("ref", text[i:end + 1], i, name))
            i = end + 1
        elif c == "." and text.startswith("..", i):
            raise Untranslatable(_("Paths such as “..” are not supported: refer to "
                                   "questions as ${name}."))
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
        else:
            raise Untranslatable(_("The character “%(char)s” is not allowed here.", char=c))
    return tokens


def _next_solid(tokens: list[_Token], i: int) -> int:
    while i < len(tokens) and tokens[i].kind == "ws":
        i += 1
    return i


def _call_arguments(tokens: list[_Token], open_at: int) -> tuple[list[list[int]], int] | None:
    """Indexes of each argument's solid tokens of the call whose "(" is at open_at, and the
    index of its ")"; None if unbalanced."""
    depth, args, current = 0, [], []
    for i in range(open_at + 1, len(tokens)):
        tok = tokens[i]
        if tok.kind == "ws":
            continue
        if tok.kind == "op" and tok.text == "(":
            depth += 1
        elif tok.kind == "op" and tok.text == ")":
            if depth == 0:
                if current:
                    args.append(current)
                return args, i
            depth -= 1
        elif tok.kind == "op" and tok.text == "," and depth == 0:
            args.append(current)
            current = []
            continue
        current.append(i)
    return None


def _rewrite(tokens: list[_Token]) -> None:
    """Change, in place, the tokens whose meaning differs between ODK and Willay."""
    for i, tok in enumerate(tokens):
        if tok.kind == "num":
            whole, _dot, frac = tok.text.partition(".")
            frac = frac.rstrip("0") if frac else ""
            tok.text = (whole or "0") + ("." + frac if frac else "")
        elif tok.kind == "name":
            after = _next_solid(tokens, i + 1)
            is_call = after < len(tokens) and tokens[after].text == "("
            if not is_call:
                if tok.text not in KEYWORDS:
                    raise Untranslatable(_(
                        "“%(word)s” is neither a function nor an operator: put text in "
                        "quotes ('%(word)s') and refer to questions as ${name}.",
                        word=tok.text))
                continue
            if tok.text not in FUNCTION_ARITY and tok.text != "date":
                raise Untranslatable(_("The function %(name)s() is not supported.",
                                       name=tok.text))
            found = _call_arguments(tokens, after)
            if found is None:
                continue  # our parser reports the unbalanced parentheses
            args, close = found
            if tok.text == "date":
                _rewrite_date(tokens, i, args, close)
            elif tok.text == "regex" and len(args) == 2:
                _rewrite_regex(tokens, args[1])


def _rewrite_date(tokens: list[_Token], at: int, args: list[list[int]], close: int) -> None:
    if len(args) != 1 or len(args[0]) != 1 or tokens[args[0][0]].kind != "str" \
            or not _ISO_DATE.match(tokens[args[0][0]].value):
        raise Untranslatable(_("date() is only supported around a date written as "
                               "'YYYY-MM-DD'."))
    literal = tokens[args[0][0]].text
    for j in range(at, close + 1):
        tokens[j].text = ""
    tokens[at].text = literal


def _rewrite_regex(tokens: list[_Token], pattern_arg: list[int]) -> None:
    if len(pattern_arg) != 1 or tokens[pattern_arg[0]].kind != "str":
        raise Untranslatable(_("The pattern of regex() must be a text in quotes."))
    tok = tokens[pattern_arg[0]]
    quote, pattern = tok.text[0], tok.value
    # ODK's regex() must match the whole answer; Willay's matches anywhere
    tok.text = f"{quote}^(?:{pattern})${quote}"


def translate(text: str, *, date_ids: frozenset[str] = frozenset(),
              current_is_date: bool = False) -> str:
    """The Willay expression for an XLSForm expression; raises Untranslatable."""
    tokens = _lex(text)
    _rewrite(tokens)
    result = "".join(tok.text for tok in tokens).strip()
    try:
        tree = parse_tree(result)
    except ExpressionError as err:
        raise Untranslatable(_syntax_message(err, result)) from err
    if _has_date_arithmetic(tree.root, date_ids, current_is_date):
        raise Untranslatable(_("Arithmetic with dates, or comparing a date with a number, is "
                               "not supported (dates are text in Willay): compare dates with "
                               "each other and with today()."))
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
    }
    return reasons.get(err.code) or _("Unexpected “%(near)s” at character %(position)s.",
                                      near=near, position=err.position + 1)


def _is_date(node: tuple, date_ids: frozenset[str], current_is_date: bool) -> bool:
    kind = node[0]
    if kind == "ref":
        return node[1] in date_ids
    if kind == "dot":
        return current_is_date
    if kind == "call":
        return node[1] == "today"
    if kind == "lit":
        return isinstance(node[1], str) and bool(_ISO_DATE.match(node[1]))
    return False


def _is_number(node: tuple) -> bool:
    return (node[0] == "lit" and isinstance(node[1], float)) or node[0] == "neg" or (
        node[0] == "ops" and node[2][0][0] in ARITHMETIC)


def _has_date_arithmetic(node: tuple, date_ids: frozenset[str], current_is_date: bool) -> bool:
    def dated(n: tuple) -> bool:
        return _is_date(n, date_ids, current_is_date)

    kind = node[0]
    children: list[tuple] = []
    if kind == "ops":
        operands = [node[1], *(n for _, n in node[2])]
        ops = [op for op, _ in node[2]]
        if ops[0] in ARITHMETIC and any(dated(n) for n in operands):
            return True
        if ops[0] in COMPARISON and any(dated(n) for n in operands) \
                and any(_is_number(n) for n in operands):
            return True
        children = operands
    elif kind == "neg":
        if dated(node[1]):
            return True
        children = [node[1]]
    elif kind in ("and", "or"):
        children = list(node[1])
    elif kind == "call":
        children = list(node[2])
    return any(_has_date_arithmetic(child, date_ids, current_is_date) for child in children)
