"""Values of the expression language and their conversions and operators
(docs/expressions.md, sections 3 to 5); pwa/expr/values.js is the JavaScript twin.

Internal values are str, float, bool or list[str]; a NodeSet (several values of one
field across repeat instances) only reaches the functions that take node sets.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .expression_dates import day_number
from .expression_parser import WHITESPACE

NAN = math.nan
INF = math.inf


class NodeSet:
    """The values of one field (or the instances of one repeat) in several repeat
    instances, in document order. Where one value is expected it gives its first
    value, '' when it is empty."""

    __slots__ = ("values",)

    def __init__(self, values: Iterable[Any] = ()):
        self.values: list[Any] = list(values)

    def first(self) -> Any:
        return self.values[0] if self.values else ""

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NodeSet) and other.values == self.values

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"NodeSet({self.values!r})"


def norm(v: Any) -> Any:
    """An answer (JSON value) as an internal value."""
    t = type(v)
    if t is str or t is float or t is bool:
        return v
    if v is None:
        return ""
    if isinstance(v, str):
        return str(v)
    if is_number(v):
        return _float(v)
    if isinstance(v, list | tuple):
        return [x if type(x) is str else to_str(norm(x)) if _is_scalar(x) else "" for x in v]
    if isinstance(v, Mapping) and is_number(v.get("lat")) and is_number(v.get("lon")):
        return f"{to_str(_float(v['lat']))} {to_str(_float(v['lon']))}"  # a geopoint
    return ""


def is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_scalar(v: Any) -> bool:
    return isinstance(v, str | int | float)  # bool is an int


def _float(v: int | float) -> float:
    try:
        return float(v)
    except OverflowError:  # a huge int
        return INF if v > 0 else -INF


def to_bool(v: Any) -> bool:
    t = type(v)
    if t is bool:
        return v
    if t is float:
        return v == v and v != 0
    return len(v) > 0  # str or list


def to_num(v: Any) -> float:
    t = type(v)
    if t is float:
        return v
    if t is str:
        s = v.strip(WHITESPACE)
        body = s[1:] if s[:1] == "-" else s
        whole, dot, frac = body.partition(".")
        if whole.isascii() and whole.isdigit() and (not dot or (frac.isascii() and frac.isdigit())):
            return float(s)
        if len(s) >= 10 and s[4] == "-":
            days = day_number(s)
            if days is not None:
                return days
        return NAN
    if t is bool:
        return 1.0 if v else 0.0
    return NAN  # list


def to_str(v: Any) -> str:
    t = type(v)
    if t is str:
        return v
    if t is float:
        return num_str(v)
    if t is bool:
        return "true" if v else "false"
    return " ".join(v)  # list


def decimal_digits(x: float) -> tuple[str, int]:
    """Shortest round-trip digits of x > 0 and n such that x = 0.DIGITS x 10**n."""
    mant, _, exp = repr(x).partition("e")
    whole, _, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0")
    n = len(whole) + int(exp or 0) - (len(whole) + len(frac) - len(digits))
    return digits.rstrip("0"), n


def num_str(x: float) -> str:
    """Number to string, laid out like ECMAScript Number::toString."""
    if x != x:
        return "NaN"
    if x == INF or x == -INF:
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    if x.is_integer() and -1e15 < x < 1e15:
        return str(int(x))
    digits, n = decimal_digits(abs(x))
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


def words(v: Any) -> list[str]:
    """Items of a select_multiple value; a string is split on runs of whitespace."""
    if type(v) is list:
        return v
    s = to_str(v)
    for c in "\t\n\r":
        s = s.replace(c, " ")
    return [w for w in s.split(" ") if w]


# ------------------------------------------------------------------ operators


def _eq(a: Any, b: Any) -> bool:
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        return to_bool(a) == to_bool(b)
    if ta is float or tb is float:
        return to_num(a) == to_num(b)
    return to_str(a) == to_str(b)


def _relational(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        if type(a) is str and type(b) is str:
            return test(a, b)  # Python compares str by code points
        return test(to_num(a), to_num(b))  # False whenever a side is NaN

    return compare


def _div(a: Any, b: Any) -> float:
    x, y = to_num(a), to_num(b)
    if y == 0:
        if x != x or x == 0:
            return NAN
        return math.copysign(INF, x) * math.copysign(1.0, y)
    return x / y


def _mod(a: Any, b: Any) -> float:
    x, y = to_num(a), to_num(b)
    if y == 0 or x in (INF, -INF):
        return NAN
    return math.fmod(x, y)


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "=": _eq,
    "!=": lambda a, b: not _eq(a, b),
    "<": _relational(lambda a, b: a < b),
    "<=": _relational(lambda a, b: a <= b),
    ">": _relational(lambda a, b: a > b),
    ">=": _relational(lambda a, b: a >= b),
    "+": lambda a, b: to_num(a) + to_num(b),
    "-": lambda a, b: to_num(a) - to_num(b),
    "*": lambda a, b: to_num(a) * to_num(b),
    "div": _div,
    "mod": _mod,
}
