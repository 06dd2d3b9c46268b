"""Number functions of the expression language (docs/expressions.md, section 6), with
the edge cases of ECMAScript's Math so that pwa/expr/functions.js gives the same results."""

from __future__ import annotations

import math
from collections.abc import Callable

from .expression_values import INF, NAN, decimal_digits


def int_(x: float) -> float:
    if x != x or x in (INF, -INF):
        return x
    return math.copysign(float(math.trunc(x)), x)


def round_(x: float, d: float = 0.0) -> float:
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
    digits, n = decimal_digits(abs(x))
    k = n + places
    if k >= len(digits):
        return x
    if k < 0:
        return 0.0
    m = int(digits[:k] or "0") + (digits[k] >= "5")
    if m == 0:
        return 0.0
    return math.copysign(float(f"{m}e{-places}"), x)


def rounding(f: Callable[[float], int]) -> Callable[[float], float]:
    def g(x: float) -> float:
        if x != x or x in (INF, -INF):
            return x
        r = f(x)
        return math.copysign(0.0, x) if r == 0 else float(r)

    return g


def odd_integer(y: float) -> bool:
    return y.is_integer() and abs(y) < 2**53 and int(y) % 2 == 1


def pow_(x: float, y: float) -> float:
    """ECMAScript Math.pow, which differs from math.pow at the edges."""
    if y != y:
        return NAN
    if y == 0:
        return 1.0
    if x != x or (abs(x) == 1 and y in (INF, -INF)):
        return NAN
    if x == 0 and y < 0:
        return math.copysign(INF, x) if odd_integer(y) else INF
    try:
        return math.pow(x, y)
    except ValueError:  # a negative number to a fractional power
        return NAN
    except OverflowError:
        return -INF if x < 0 and odd_integer(y) else INF


def exp_(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def logarithm(f: Callable[[float], float]) -> Callable[[float], float]:
    def g(x: float) -> float:
        if x != x or x < 0:
            return NAN
        return -INF if x == 0 else f(x)

    return g
