"""Where an expression is evaluated: the answers tree, the repeats enclosing each id and
the repeat instance of the expression (docs/expressions.md, section 8;
docs/survey-format.md for the answers tree). pwa/expressions.js holds the twin.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .expression_values import NodeSet, norm

Labels = Callable[[str, str, str | None], str | None]
EMPTY: Mapping[str, Any] = {}

# An evaluation environment is a tuple, read by index in the closures:
ANSWERS, ANCESTORS, AT, SCOPE, CURRENT, TODAY, NOW, CHOICE, LANGUAGE = range(9)
Env = tuple


class Scope:
    """answers: the answers tree (a repeat is a list of instance objects);
    ancestors: id -> tuple of the repeat ids enclosing it, outermost first (ids not in it
    are top level); at: ((repeat_id, index0), ...), the instance the expression is
    evaluated in, outermost first; labels: (question_id, value, language) -> label or None,
    for jr:choice-name()."""

    __slots__ = ("answers", "ancestors", "at", "labels", "_repeats")

    def __init__(
        self,
        answers: Mapping[str, Any] | None,
        ancestors: Mapping[str, Any] | None = None,
        at: Any = (),
        labels: Labels | None = None,
    ):
        self.answers: Mapping[str, Any] = answers if answers is not None else EMPTY
        self.ancestors: Mapping[str, Any] = ancestors if ancestors is not None else EMPTY
        self.at: tuple[tuple[str, int], ...] = tuple((str(r), int(i)) for r, i in at)
        self.labels = labels
        self._repeats: frozenset[str] | None = None

    def within(self, repeat_id: str, index0: int) -> Scope:
        """The same answers, one repeat instance deeper."""
        inner = Scope.__new__(Scope)
        inner.answers, inner.ancestors, inner.labels = self.answers, self.ancestors, self.labels
        inner.at = (*self.at, (repeat_id, int(index0)))
        inner._repeats = self._repeats
        return inner

    @property
    def repeats(self) -> frozenset[str]:
        """The repeat ids: every id that encloses another one."""
        if self._repeats is None:
            self._repeats = frozenset(r for chain in self.ancestors.values() for r in chain or ())
        return self._repeats

    def __repr__(self) -> str:
        return f"Scope(at={self.at!r})"


def _instances(v: Any) -> bool:
    return type(v) is list and len(v) > 0 and all(isinstance(x, Mapping) for x in v)


def _is_repeat(e: Env, name: str, v: Any) -> bool:
    scope = e[SCOPE]
    return (scope is not None and name in scope.repeats) or _instances(v)


def _blanks(v: Any) -> list[str]:
    """One '' per instance of a repeat (a repeat's instances have no value of their own)."""
    return [""] * len(v) if type(v) is list else []


def lookup(e: Env, name: str, pins: Mapping[str, int] | None = None) -> Any:
    """The value of ${name}: one value, or a NodeSet when a repeat enclosing `name` is not
    one of the instances in `at` (nor pinned by indexed-repeat())."""
    chain = (e[ANCESTORS].get(name) if e[ANCESTORS] else None) or ()
    at = e[AT]
    container: Any = e[ANSWERS]
    depth = 0
    for depth, repeat in enumerate(chain):  # one instance at each level
        index = pins.get(repeat) if pins else None
        if index is None and depth < len(at) and at[depth][0] == repeat:
            index = at[depth][1]
        if index is None:
            break
        instances = container.get(repeat)
        x = instances[index] if type(instances) is list and 0 <= index < len(instances) else None
        container = x if isinstance(x, Mapping) else EMPTY  # a missing instance is empty
    else:
        v = container.get(name)
        t = type(v)
        if t is str or t is float:
            return v
        return NodeSet(_blanks(v)) if _is_repeat(e, name, v) else norm(v)
    containers = [container]
    for repeat in chain[depth:]:  # every instance from here on, unless pinned
        index = pins.get(repeat) if pins else None
        found: list[Any] = []
        for c in containers:
            instances = c.get(repeat)
            if type(instances) is not list:
                continue
            if index is None:
                found.extend(x if isinstance(x, Mapping) else EMPTY for x in instances)
            elif 0 <= index < len(instances):
                x = instances[index]
                found.append(x if isinstance(x, Mapping) else EMPTY)
        containers = found
    values: list[Any] = []
    for c in containers:
        v = c.get(name)
        if _is_repeat(e, name, v):
            values.extend(_blanks(v))
        else:
            values.append(norm(v))
    return NodeSet(values)


def collapse(v: Any) -> Any:
    """A NodeSet where one value is expected: its first value."""
    return v.first() if type(v) is NodeSet else v
