"""The functions of the expression language (docs/expressions.md, section 6), as
builders of closures; pwa/expr/functions.js is the JavaScript twin.

FUNCTIONS maps a name to (mode, builder). mode "values": the builder gets one closure per
argument, each giving a single value; "nodes": the same, but a reference argument may
give a NodeSet; "tree": the builder gets the argument syntax trees and the function that
builds a closure from a tree.
"""

from __future__ import annotations

import math
import random
import re
import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .expression_dates import (
    date_text,
    format_moment,
    moment_of_number,
    parse_moment,
    time_fraction,
)
from .expression_numbers import exp_, int_, logarithm, pow_, round_, rounding
from .expression_parser import WHITESPACE
from .expression_scope import AT, CURRENT, LANGUAGE, NOW, SCOPE, TODAY, Env, collapse, lookup
from .expression_values import INF, NAN, NodeSet, to_bool, to_num, to_str, words

Fn = Callable[[Env], Any]


def _call(f: Callable[..., Any], *conv: Callable[[Any], Any]) -> Callable[..., Fn]:
    """A function of evaluated arguments; argument i is converted by conv[i] (or the last)."""

    def make(*args: Fn) -> Fn:
        cs = [conv[min(i, len(conv) - 1)] for i in range(len(args))]
        if not args:
            return lambda e: f()
        if len(args) == 1:
            a, ca = args[0], cs[0]
            return lambda e: f(ca(a(e)))
        if len(args) == 2:
            (a, b), (ca, cb) = args, cs
            return lambda e: f(ca(a(e)), cb(b(e)))
        pairs = tuple(zip(args, cs, strict=True))
        return lambda e: f(*[c(g(e)) for g, c in pairs])

    return make


def _same(v: Any) -> Any:
    return v


def _flatten(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if type(v) is NodeSet:
            out.extend(v.values)
        else:
            out.append(v)
    return out


def _over_nodes(f: Callable[[list[Any]], Any]) -> Callable[..., Fn]:
    """A function of all the values of its arguments, node sets spread out."""

    def make(*args: Fn) -> Fn:
        if len(args) == 1:
            (a,) = args
            return lambda e: f(v.values if type(v := a(e)) is NodeSet else [v])
        return lambda e: f(_flatten([a(e) for a in args]))

    return make


def _extreme(pick_first: Callable[[float, float], bool]) -> Callable[[list[Any]], float]:
    def pick(values: list[Any]) -> float:
        if not values:
            return NAN
        nums = [to_num(v) for v in values]
        result = nums[0]
        for x in nums:
            if x != x:
                return NAN
            if pick_first(x, result):
                result = x
        return result

    return pick


def _sum(values: list[Any]) -> float:
    total = 0.0
    for v in values:
        total += to_num(v)
    return total


def _count(a: Fn) -> Fn:
    return lambda e: float(len(v)) if type(v := a(e)) is NodeSet else 1.0


def _count_non_empty(a: Fn) -> Fn:
    def f(e: Env) -> float:
        v = a(e)
        values = v.values if type(v) is NodeSet else [v]
        return float(sum(1 for x in values if to_str(x) != ""))

    return f


def _join(sep: Fn, *args: Fn) -> Fn:
    rest = _over_nodes(lambda values: values)(*args)
    return lambda e: to_str(collapse(sep(e))).join(to_str(v) for v in rest(e))


# ---------------------------------------------------------------- strings


def _substr(s: str, start: float, end: float | None = None) -> str:
    n = len(s)
    if start != start or (end is not None and end != end):
        return ""
    a = int(max(0.0, min(float(n), start)))
    b = n if end is None else int(max(0.0, min(float(n), end)))
    return s[a:b] if b > a else ""


def _before(s: str, t: str) -> str:
    i = s.find(t)
    return s[:i] if i >= 0 else ""


def _after(s: str, t: str) -> str:
    i = s.find(t)
    return s[i + len(t) :] if i >= 0 else ""


def _translate(s: str, source: str, target: str) -> str:
    out = []
    for c in s:
        i = source.find(c)
        if i < 0:
            out.append(c)
        elif i < len(target):
            out.append(target[i])
    return "".join(out)


def _selected_at(v: Any, n: float) -> str:
    items = words(v)
    if n != n or n in (INF, -INF):
        return ""
    k = int(n)
    return items[k] if 0 <= k < len(items) else ""


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


# ---------------------------------------------------------------- dates


def _moment(v: Any) -> tuple[int, int] | None:
    if type(v) is str:
        moment = parse_moment(v.strip(WHITESPACE))
        if moment is not None:
            return moment[0], moment[1] or 0
    return moment_of_number(to_num(v))


def _date(v: Any) -> str:
    moment = _moment(v)
    return date_text(moment[0]) if moment else ""


def _format_date(v: Fn, pattern: Fn) -> Fn:
    def f(e: Env) -> str:
        moment = _moment(v(e))
        return format_moment(*moment, to_str(pattern(e)), e[LANGUAGE]) if moment else ""

    return f


def _time_of(v: Any) -> float:
    return time_fraction(v.strip(WHITESPACE)) if type(v) is str else NAN


# ------------------------------------------------------- special arguments


def _if(c: Fn, a: Fn, b: Fn) -> Fn:
    return lambda e: a(e) if to_bool(c(e)) else b(e)


def _coalesce(a: Fn, b: Fn) -> Fn:
    def f(e: Env) -> Any:
        v = a(e)
        return v if to_str(v) != "" else b(e)

    return f


def _once(a: Fn) -> Fn:
    def f(e: Env) -> Any:
        v = e[CURRENT]
        return v if to_str(v) != "" else a(e)

    return f


def _position(args: tuple, build: Callable[..., Fn]) -> Fn:
    return lambda e: float(e[AT][-1][1] + 1) if e[AT] else NAN


def _indexed_repeat(args: tuple, build: Callable[..., Fn]) -> Fn:
    name = args[0][1]
    pairs = [(args[k][1], build(args[k + 1])) for k in range(1, len(args), 2)]

    def f(e: Env) -> Any:
        pins = {}
        for repeat, index in pairs:
            n = to_num(index(e))
            pins[repeat] = int(n) - 1 if n == n and n not in (INF, -INF) else -1
        return lookup(e, name, pins)

    return f


def _choice_name(args: tuple, build: Callable[..., Fn]) -> Fn:
    value, question = build(args[0]), args[1][1]

    def f(e: Env) -> str:
        scope = e[SCOPE]
        labels = scope.labels if scope is not None else None
        if labels is None:
            return ""
        found = [labels(question, item, e[LANGUAGE]) for item in words(value(e))]
        return ", ".join(label for label in found if label)

    return f


FUNCTIONS: dict[str, tuple[str, Callable[..., Fn]]] = {
    "selected": ("values", _call(lambda xs, v: v in xs, words, to_str)),
    "count-selected": ("values", _call(lambda xs: float(len(xs)), words)),
    "selected-at": ("values", _call(_selected_at, _same, to_num)),
    "jr:choice-name": ("tree", _choice_name),
    "string-length": ("values", _call(lambda s: float(len(s)), to_str)),
    "not": ("values", _call(lambda b: not b, to_bool)),
    "true": ("values", lambda: lambda e: True),
    "false": ("values", lambda: lambda e: False),
    "boolean": ("values", _call(_same, to_bool)),
    "boolean-from-string": ("values", _call(lambda s: s in ("true", "1"), to_str)),
    "if": ("values", _if),
    "coalesce": ("values", _coalesce),
    "once": ("values", _once),
    "number": ("values", _call(_same, to_num)),
    "string": ("values", _call(_same, to_str)),
    "int": ("values", _call(int_, to_num)),
    "round": ("values", _call(round_, to_num)),
    "abs": ("values", _call(math.fabs, to_num)),
    "floor": ("values", _call(rounding(math.floor), to_num)),
    "ceiling": ("values", _call(rounding(math.ceil), to_num)),
    "pow": ("values", _call(pow_, to_num)),
    "sqrt": ("values", _call(lambda x: NAN if x < 0 else math.sqrt(x), to_num)),
    "exp": ("values", _call(exp_, to_num)),
    "log": ("values", _call(logarithm(math.log), to_num)),
    "log10": ("values", _call(logarithm(math.log10), to_num)),
    "pi": ("values", lambda: lambda e: math.pi),
    "random": ("values", lambda: lambda e: random.random()),
    "concat": ("values", _call(lambda *s: "".join(s), to_str)),
    "contains": ("values", _call(lambda s, t: t in s, to_str)),
    "starts-with": ("values", _call(lambda s, t: s.startswith(t), to_str)),
    "ends-with": ("values", _call(lambda s, t: s.endswith(t), to_str)),
    "substr": ("values", _call(_substr, to_str, to_num)),
    "substring-before": ("values", _call(_before, to_str)),
    "substring-after": ("values", _call(_after, to_str)),
    "normalize-space": ("values", _call(lambda s: " ".join(words(s)), to_str)),
    "translate": ("values", _call(_translate, to_str)),
    "uuid": ("values", lambda: lambda e: str(uuid.uuid4())),
    "regex": ("values", _call(_regex, to_str)),
    "today": ("values", lambda: lambda e: e[TODAY]),
    "now": ("values", lambda: lambda e: e[NOW]),
    "date": ("values", _call(_date, _same)),
    "decimal-date-time": ("values", _call(_same, to_num)),
    "decimal-time": ("values", _call(_time_of, _same)),
    "format-date": ("values", _format_date),
    "format-date-time": ("values", _format_date),
    "min": ("nodes", _over_nodes(_extreme(lambda x, r: x < r))),
    "max": ("nodes", _over_nodes(_extreme(lambda x, r: x > r))),
    "sum": ("nodes", _over_nodes(_sum)),
    "count": ("nodes", _count),
    "count-non-empty": ("nodes", _count_non_empty),
    "join": ("nodes", _join),
    "position": ("tree", _position),
    "indexed-repeat": ("tree", _indexed_repeat),
}
