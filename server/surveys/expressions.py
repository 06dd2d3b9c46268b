"""Willay expression language: evaluator for `relevance` and `constraint`.

The language is specified in docs/expressions.md; expression_parser.py checks
the text and builds a syntax tree, which this module turns into nested closures
once, so that evaluating is cheap. Evaluation never raises for data problems
(missing answers, wrong types, NaN): the conversion rules always give a value.
tests/data/expression_vectors.json holds the vectors that this module and its
JavaScript twin pwa/expressions.js must both pass.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from .expression_parser import (
    MAX_DEPTH,
    MAX_LENGTH,
    WHITESPACE,
    ExpressionError,
    parse_tree,
)

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "Expression", "ExpressionError", "parse"]

NAN = math.nan
INF = math.inf
Env = tuple  # (answers, current value, today as 'YYYY-MM-DD')
Fn = Callable[[Env], Any]
Answers = Mapping[str, Any] | None
Today = datetime.date | str | None  # a date, 'YYYY-MM-DD', or None for the local date


# ---------------------------------------------------------------- conversions
# Internal values are str, float, bool or list[str].


def _norm(v: Any) -> Any:
    """An answer (JSON value) as an internal value."""
    t = type(v)
    if t is str or t is float or t is bool:
        return v
    if v is None:
        return ""
    if isinstance(v, str):
        return str(v)
    if _is_number(v):
        return _float(v)
    if isinstance(v, list | tuple):
        return [x if type(x) is str else _str(_norm(x)) if _is_scalar(x) else "" for x in v]
    if isinstance(v, Mapping) and _is_number(v.get("lat")) and _is_number(v.get("lon")):
        return f"{_str(_float(v['lat']))} {_str(_float(v['lon']))}"  # a geopoint
    return ""


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_scalar(v: Any) -> bool:
    return isinstance(v, str | int | float)  # bool is an int


def _float(v: int | float) -> float:
    try:
        return float(v)
    except OverflowError:  # a huge int
        return INF if v > 0 else -INF


def _bool(v: Any) -> bool:
    t = type(v)
    if t is bool:
        return v
    if t is float:
        return v == v and v != 0
    return len(v) > 0  # str or list


def _num(v: Any) -> float:
    t = type(v)
    if t is float:
        return v
    if t is str:
        s = v.strip(WHITESPACE)
        body = s[1:] if s[:1] == "-" else s
        whole, dot, frac = body.partition(".")
        if whole.isascii() and whole.isdigit() and (not dot or (frac.isascii() and frac.isdigit())):
            return float(s)
        return NAN
    if t is bool:
        return 1.0 if v else 0.0
    return NAN  # list


def _str(v: Any) -> str:
    t = type(v)
    if t is str:
        return v
    if t is float:
        return _num_str(v)
    if t is bool:
        return "true" if v else "false"
    return " ".join(v)  # list


def _decimal(x: float) -> tuple[str, int]:
    """Shortest round-trip digits of x > 0 and n such that x = 0.DIGITS x 10**n."""
    mant, _, exp = repr(x).partition("e")
    whole, _, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0")
    n = len(whole) + int(exp or 0) - (len(whole) + len(frac) - len(digits))
    return digits.rstrip("0"), n


def _num_str(x: float) -> str:
    """Number to string, laid out like ECMAScript Number::toString."""
    if x != x:
        return "NaN"
    if x == INF or x == -INF:
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    if x.is_integer() and -1e15 < x < 1e15:
        return str(int(x))
    digits, n = _decimal(abs(x))
    k = len(digits)
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * -n + digits
    else:
        mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
        body = f"{mantissa}e{'+' if n > 1 else '-'}{abs(n - 1)}"
    return ("-" if x < 0 else "") + body


def _words(v: Any) -> list[str]:
    """Items of a select_multiple value; a string is split on runs of whitespace."""
    if type(v) is list:
        return v
    s = _str(v)
    for c in "\t\n\r":
        s = s.replace(c, " ")
    return [w for w in s.split(" ") if w]


# ------------------------------------------------------------------ operators


def _eq(a: Any, b: Any) -> bool:
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        return _bool(a) == _bool(b)
    if ta is float or tb is float:
        return _num(a) == _num(b)
    return _str(a) == _str(b)


def _relational(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        if type(a) is str and type(b) is str:
            return test(a, b)  # Python compares str by code points
        return test(_num(a), _num(b))  # False whenever a side is NaN

    return compare


def _div(a: Any, b: Any) -> float:
    x, y = _num(a), _num(b)
    if y == 0:
        if x != x or x == 0:
            return NAN
        return math.copysign(INF, x) * math.copysign(1.0, y)
    return x / y


def _mod(a: Any, b: Any) -> float:
    x, y = _num(a), _num(b)
    if y == 0 or x in (INF, -INF):
        return NAN
    return math.fmod(x, y)


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "=": _eq,
    "!=": lambda a, b: not _eq(a, b),
    "<": _relational(lambda a, b: a < b),
    "<=": _relational(lambda a, b: a <= b),
    ">": _relational(lambda a, b: a > b),
    ">=": _relational(lambda a, b: a >= b),
    "+": lambda a, b: _num(a) + _num(b),
    "-": lambda a, b: _num(a) - _num(b),
    "*": lambda a, b: _num(a) * _num(b),
    "div": _div,
    "mod": _mod,
}


# ------------------------------------------------------------------ functions


def _int(x: float) -> float:
    if x != x or x in (INF, -INF):
        return x
    return math.copysign(float(math.trunc(x)), x)


def _round(x: float, d: float = 0.0) -> float:
    """Half away from zero, applied to the shortest decimal form of x."""
    if x != x or d != d:
        return NAN
    if x in (INF, -INF):
        return x
    if x == 0:
        return 0.0
    if d in (INF, -INF):
        return x if d > 0 else 0.0
    places = int(d)
    digits, n = _decimal(abs(x))
    k = n + places
    if k >= len(digits):
        return x
    if k < 0:
        return 0.0
    m = int(digits[:k] or "0") + (digits[k] >= "5")
    if m == 0:
        return 0.0
    return math.copysign(float(f"{m}e{-places}"), x)


def _substr(s: str, start: float, end: float | None = None) -> str:
    n = len(s)
    if start != start or (end is not None and end != end):
        return ""
    a = int(max(0.0, min(float(n), start)))
    b = n if end is None else int(max(0.0, min(float(n), end)))
    return s[a:b] if b > a else ""


def _extreme(pick_first: Callable[[float, float], bool]) -> Callable[..., float]:
    def pick(*values: Any) -> float:
        nums = [_num(v) for v in values]
        result = nums[0]
        for x in nums:
            if x != x:
                return NAN
            if pick_first(x, result):
                result = x
        return result

    return pick


@lru_cache(maxsize=256)
def _py_pattern(pattern: str) -> str:
    """Make Python's `re` read `.` and `$` the way a JavaScript RegExp does."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == ".":
            c = "[^\n\r\u2028\u2029]"
        elif c == "$":
            c = r"\Z"
        out.append(c)
        i += 1
    return "".join(out)


def _regex(s: str, pattern: str) -> bool:
    try:
        return re.search(_py_pattern(pattern), s, re.ASCII) is not None
    except Exception:  # invalid pattern, or one Python cannot handle
        return False


def _call(f: Callable[..., Any], *conv: Callable[[Any], Any]) -> Callable[..., Fn]:
    """A function of evaluated arguments; argument i is converted by conv[i] (or the last)."""

    def make(*args: Fn) -> Fn:
        cs = [conv[min(i, len(conv) - 1)] for i in range(len(args))]
        if len(args) == 1:
            a, ca = args[0], cs[0]
            return lambda e: f(ca(a(e)))
        if len(args) == 2:
            (a, b), (ca, cb) = args, cs
            return lambda e: f(ca(a(e)), cb(b(e)))
        pairs = tuple(zip(args, cs, strict=True))
        return lambda e: f(*[c(g(e)) for g, c in pairs])

    return make


def _if(c: Fn, a: Fn, b: Fn) -> Fn:
    return lambda e: a(e) if _bool(c(e)) else b(e)


def _coalesce(a: Fn, b: Fn) -> Fn:
    def f(e: Env) -> Any:
        v = a(e)
        return v if _str(v) != "" else b(e)

    return f


# name: builder of the call from its argument closures (arity: FUNCTION_ARITY)
_FUNCTIONS: dict[str, Callable[..., Fn]] = {
    "selected": _call(lambda xs, v: v in xs, _words, _str),
    "count-selected": _call(lambda xs: float(len(xs)), _words),
    "string-length": _call(lambda s: float(len(s)), _str),
    "not": _call(lambda b: not b, _bool),
    "true": lambda: lambda e: True,
    "false": lambda: lambda e: False,
    "if": _if,
    "coalesce": _coalesce,
    "number": _call(lambda x: x, _num),
    "string": _call(lambda s: s, _str),
    "int": _call(_int, _num),
    "round": _call(_round, _num),
    "concat": _call(lambda *s: "".join(s), _str),
    "contains": _call(lambda s, t: t in s, _str),
    "starts-with": _call(lambda s, t: s.startswith(t), _str),
    "substr": _call(_substr, _str, _num),
    "today": lambda: lambda e: e[2],
    "regex": _call(_regex, _str),
    "min": _call(_extreme(lambda x, r: x < r), _num),
    "max": _call(_extreme(lambda x, r: x > r), _num),
}


# ------------------------------------------------------------------ closures


def _build(node: tuple) -> Fn:
    kind = node[0]
    if kind == "lit":
        value = node[1]
        return lambda e: value
    if kind == "ref":
        return _reference(node[1])
    if kind == "dot":
        return lambda e: e[1]
    if kind == "neg":
        a = _build(node[1])
        return lambda e: -_num(a(e))
    if kind == "call":
        return _FUNCTIONS[node[1]](*[_build(arg) for arg in node[2]])
    if kind in ("and", "or"):
        return _logic(kind == "and", [_build(part) for part in node[1]])
    first = _build(node[1])
    steps = [(_BINARY[op], _build(operand)) for op, operand in node[2]]
    if len(steps) == 1:
        ((f, b),) = steps
        return lambda e: f(first(e), b(e))

    def chain(e: Env) -> Any:
        v = first(e)
        for f, g in steps:
            v = f(v, g(e))
        return v

    return chain


def _reference(name: str) -> Fn:
    def ref(e: Env) -> Any:
        v = e[0].get(name)
        t = type(v)
        if t is str or t is float or t is bool:
            return v
        return _norm(v)

    return ref


def _logic(is_and: bool, parts: list[Fn]) -> Fn:
    if len(parts) == 2:
        a, b = parts
        if is_and:
            return lambda e: _bool(a(e)) and _bool(b(e))
        return lambda e: _bool(a(e)) or _bool(b(e))

    def logic(e: Env) -> bool:
        for g in parts:
            if _bool(g(e)) != is_and:
                return not is_and
        return is_and

    return logic


# ------------------------------------------------------------------ public API


class Expression:
    """A parsed expression; evaluate it as often as needed."""

    __slots__ = ("source", "references", "uses_current", "_fn", "_uses_today")

    def __init__(self, source: str):
        tree = parse_tree(source)
        self.source = source
        self.references: frozenset[str] = frozenset(tree.references)
        self.uses_current: bool = tree.uses_current
        self._uses_today = tree.uses_today
        self._fn = _build(tree.root)

    def evaluate(self, answers: Answers, current: Any = None, today: Today = None) -> Any:
        """The value: str, float, bool or list of str. `today` defaults to the local date."""
        env = (
            {} if answers is None else answers,
            _norm(current) if self.uses_current else "",
            _day(today) if self._uses_today else "",
        )
        return self._fn(env)

    def evaluate_bool(self, answers: Answers, current: Any = None, today: Today = None) -> bool:
        return _bool(self.evaluate(answers, current, today))

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"


def _day(today: Today) -> str:
    if today is None:
        return datetime.date.today().isoformat()
    if isinstance(today, datetime.datetime):
        return today.date().isoformat()
    if isinstance(today, datetime.date):
        return today.isoformat()
    return str(today)


def parse(text: str) -> Expression:
    """Parse text once; raises ExpressionError (codes in docs/expressions.md)."""
    return Expression(text)
