"""Willay expression language: evaluator for relevance, constraints, calculations and
choice filters.

The language is specified in docs/expressions.md; expression_parser.py checks the text
and builds a syntax tree, which this module turns into nested closures once, so that
evaluating is cheap. Evaluation never raises for data problems (missing answers, wrong
types, NaN): the conversion rules always give a value. tests/data/expression_vectors.json
holds the vectors that this module and its JavaScript twin pwa/expressions.js must both
pass. Values and operators: expression_values.py; functions: expression_functions.py;
dates: expression_dates.py; repeats (Scope): expression_scope.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from .expression_dates import now_text, today_text
from .expression_functions import FUNCTIONS
from .expression_parser import MAX_DEPTH, MAX_LENGTH, ExpressionError, parse_tree
from .expression_scope import CHOICE, CURRENT, EMPTY, Env, Scope, collapse, lookup
from .expression_values import BINARY, NodeSet, norm, to_bool, to_num

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "Expression",
    "ExpressionError",
    "NodeSet",
    "Scope",
    "parse",
]

Fn = Callable[[Env], Any]
Answers = Mapping[str, Any] | Scope | None
Today = datetime.date | str | None  # a date, 'YYYY-MM-DD', or None for the local date
Now = datetime.datetime | str | None

_FUNCTIONS = FUNCTIONS  # name -> (mode, builder); the tests compare it with FUNCTION_ARITY


# ------------------------------------------------------------------ closures


def _build(node: tuple, nodes: bool = False) -> Fn:
    """The closure of a syntax tree; with nodes=True a reference may give a NodeSet."""
    kind = node[0]
    if kind == "lit":
        value = node[1]
        return lambda e: value
    if kind == "ref":
        return _reference(node[1], nodes)
    if kind == "col":
        return _column(node[1])
    if kind == "dot":
        return lambda e: e[CURRENT]
    if kind == "neg":
        a = _build(node[1])
        return lambda e: -to_num(a(e))
    if kind == "call":
        mode, make = FUNCTIONS[node[1]]
        if mode == "tree":
            fn = make(node[2], _build)
            return fn if nodes else lambda e: collapse(fn(e))
        return make(*[_build(arg, mode == "nodes") for arg in node[2]])
    if kind in ("and", "or"):
        return _logic(kind == "and", [_build(part) for part in node[1]])
    first = _build(node[1])
    steps = [(BINARY[op], _build(operand)) for op, operand in node[2]]
    if len(steps) == 1:
        ((f, b),) = steps
        return lambda e: f(first(e), b(e))

    def chain(e: Env) -> Any:
        v = first(e)
        for f, g in steps:
            v = f(v, g(e))
        return v

    return chain


def _reference(name: str, nodes: bool) -> Fn:
    if nodes:
        return lambda e: lookup(e, name)

    def ref(e: Env) -> Any:
        v = lookup(e, name)
        return v.first() if type(v) is NodeSet else v

    return ref


def _column(name: str) -> Fn:
    def col(e: Env) -> Any:
        v = e[CHOICE].get(name)
        return v if type(v) is str else norm(v)

    return col


def _logic(is_and: bool, parts: list[Fn]) -> Fn:
    if len(parts) == 2:
        a, b = parts
        if is_and:
            return lambda e: to_bool(a(e)) and to_bool(b(e))
        return lambda e: to_bool(a(e)) or to_bool(b(e))

    def logic(e: Env) -> bool:
        for g in parts:
            if to_bool(g(e)) != is_and:
                return not is_and
        return is_and

    return logic


# ------------------------------------------------------------------ public API


class Expression:
    """A parsed expression; evaluate it as often as needed."""

    __slots__ = ("source", "references", "columns", "uses_current", "_fn", "_today", "_now")

    def __init__(self, source: str, choice_filter: bool = False):
        tree = parse_tree(source, choice_filter)
        self.source = source
        self.references: frozenset[str] = frozenset(tree.references)
        self.columns: frozenset[str] = frozenset(tree.columns)
        self.uses_current: bool = tree.uses_current
        self._today = tree.uses_today
        self._now = tree.uses_now
        self._fn = _build(tree.root)

    def evaluate(
        self,
        answers: Answers,
        current: Any = None,
        today: Today = None,
        *,
        now: Now = None,
        choice: Mapping[str, Any] | None = None,
        language: str | None = None,
    ) -> Any:
        """The value: str, float, bool or list of str.

        answers: a Scope, or a plain mapping of flat answers (all top level). `today`
        defaults to the date of `now`, else the local date; `now` to the current time."""
        if isinstance(answers, Scope):
            base: tuple = (answers.answers, answers.ancestors, answers.at, answers)
        else:
            base = (EMPTY if answers is None else answers, EMPTY, (), None)
        return self._fn(
            (
                *base,
                norm(current) if self.uses_current else "",
                today_text(today, now) if self._today else "",
                now_text(now) if self._now else "",
                EMPTY if choice is None else choice,
                language,
            )
        )

    def evaluate_bool(self, answers: Answers, current: Any = None, today: Today = None,
                      **options: Any) -> bool:  # fmt: skip
        return to_bool(self.evaluate(answers, current, today, **options))

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"


def parse(text: str, *, choice_filter: bool = False) -> Expression:
    """Parse text once; raises ExpressionError (codes in docs/expressions.md). With
    choice_filter=True, bare names are the columns of the choice being filtered."""
    return Expression(text, choice_filter)
