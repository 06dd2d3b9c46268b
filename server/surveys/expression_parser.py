"""Lexer and parser of the Willay expression language (docs/expressions.md).

`parse_tree(text)` checks the text and returns a small syntax tree made of tuples:

    ("lit", value)                  number (float) or string literal
    ("ref", question_id)            ${question_id}
    ("dot",)                        . (the current answer)
    ("neg", node)                   unary minus
    ("ops", first, ((op, node), ...))   a left-associative chain of = != < <= > >=
                                        + - * div mod, all of one precedence level
    ("and", (node, ...)) / ("or", (node, ...))
    ("call", name, (node, ...))

server/surveys/expressions.py turns the tree into closures; pwa/expressions.js
is the JavaScript twin of both modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_LENGTH = 2000
MAX_DEPTH = 50
WHITESPACE = " \t\n\r"
_DIGITS = "0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_NAME_START = frozenset(_LOWER + _LOWER.upper() + "_")
_NAME_CHARS = _NAME_START | frozenset(_DIGITS)
_ID_CHARS = frozenset(_LOWER + _DIGITS + "_")

# Binary operators, lowest precedence first; all left-associative.
LEVELS = (("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"))

# Function name: (minimum, maximum) number of arguments; None means no maximum.
FUNCTION_ARITY: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "if": (3, 3),
    "coalesce": (2, 2),
    "number": (1, 1),
    "string": (1, 1),
    "int": (1, 1),
    "round": (1, 2),
    "concat": (1, None),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "substr": (2, 3),
    "today": (0, 0),
    "regex": (2, 2),
    "min": (1, None),
    "max": (1, None),
}

Token = tuple[str, Any, int]  # (kind, value, position); kinds: num str ref dot name op end


class ExpressionError(ValueError):
    """A text that is not a valid expression. `code` is stable, `position` is 0-based."""

    def __init__(self, code: str, position: int, message: str):
        super().__init__(f"{message} (at position {position})")
        self.code = code
        self.position = position


def is_question_id(text: str) -> bool:
    """Whether text matches ^[a-z][a-z0-9_]{0,63}$."""
    return 0 < len(text) <= 64 and text[0] in _LOWER and _ID_CHARS.issuperset(text)


def tokenize(text: str) -> list[Token]:
    """All tokens of text, ending with an "end" token; lexical errors raise."""
    tokens: list[Token] = []
    n, i = len(text), 0
    while i < n:
        c, start = text[i], i
        if c in WHITESPACE:
            i += 1
            continue
        if c in _DIGITS:
            i = _skip(text, i, _DIGITS)
            if i + 1 < n and text[i] == "." and text[i + 1] in _DIGITS:
                i = _skip(text, i + 1, _DIGITS)
            tokens.append(("num", float(text[start:i]), start))
        elif c == ".":
            tokens.append(("dot", None, start))
            i += 1
        elif c in "'\"":
            end = text.find(c, i + 1)
            if end < 0:
                raise ExpressionError("unterminated_string", start, "the string is not closed")
            tokens.append(("str", text[i + 1 : end], start))
            i = end + 1
        elif c == "$":
            end = text.find("}", i) if text.startswith("${", i) else -1
            if end < 0 or not is_question_id(text[i + 2 : end]):
                message = "a reference is written ${id}, the id as in ${water_source}"
                raise ExpressionError("bad_reference", start, message)
            tokens.append(("ref", text[i + 2 : end], start))
            i = end + 1
        elif c in _NAME_START:
            i = j = _skip(text, i, _NAME_CHARS)
            while j + 1 < n and text[j] == "-" and text[j + 1] in _NAME_START:
                j = _skip(text, j + 1, _NAME_CHARS)
            k = _skip(text, j, WHITESPACE)
            if j > i and k < n and text[k] == "(":
                i = j  # a hyphenated function name such as count-selected
            tokens.append(("name", text[start:i], start))
        elif c in "<>!" and text.startswith("=", i + 1):
            tokens.append(("op", c + "=", start))
            i += 2
        elif c in "=+-*(),<>":
            tokens.append(("op", c, start))
            i += 1
        else:
            raise ExpressionError("unexpected_token", start, f"unexpected character {c!r}")
    tokens.append(("end", None, n))
    return tokens


def _skip(text: str, i: int, chars: Any) -> int:
    while i < len(text) and text[i] in chars:
        i += 1
    return i


@dataclass
class Tree:
    root: tuple
    references: set[str] = field(default_factory=set)
    uses_current: bool = False
    uses_today: bool = False


def parse_tree(text: str) -> Tree:
    """Check text and return its syntax tree; raises ExpressionError."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError("too_long", MAX_LENGTH, f"longer than {MAX_LENGTH} characters")
    if not text.strip(WHITESPACE):
        raise ExpressionError("empty", 0, "the expression is empty")
    return _Parser(tokenize(text)).run()


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.tree = Tree(())

    def run(self) -> Tree:
        self.tree.root = self.level(0)
        if self.peek()[0] != "end":
            raise self.fail(self.peek())
        return self.tree

    def peek(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        self.i += 1
        return self.tokens[self.i - 1]

    def at(self, op: str) -> bool:
        return self.tokens[self.i][:2] == ("op", op)

    def fail(self, token: Token) -> ExpressionError:
        kind, value, pos = token
        if kind == "end":
            return ExpressionError("unexpected_end", pos, "the expression ends too soon")
        shown = {"num": "number", "str": "string", "ref": "reference", "dot": "'.'"}
        what = shown.get(kind) or repr(value)
        if kind == "name" and value not in ("or", "and", "div", "mod"):
            what += " (text needs quotes, a function needs parentheses)"
        return ExpressionError("unexpected_token", pos, f"unexpected {what}")

    def expect(self, op: str) -> None:
        token = self.next()
        if token[:2] != ("op", op):
            raise self.fail(token)

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("too_deep", pos, f"nested more than {MAX_DEPTH} levels deep")

    def level(self, lv: int) -> tuple:
        if lv == len(LEVELS):
            return self.unary()
        ops = LEVELS[lv]
        first = self.level(lv + 1)
        rest = []
        while self.peek()[0] in ("op", "name") and self.peek()[1] in ops:
            op = self.next()[1]
            rest.append((op, self.level(lv + 1)))
        if not rest:
            return first
        if ops[0] in ("and", "or"):
            return (ops[0], (first, *(node for _, node in rest)))
        return ("ops", first, tuple(rest))

    def unary(self) -> tuple:
        if not self.at("-"):
            return self.primary()
        self.enter(self.next()[2])
        node = ("neg", self.unary())
        self.depth -= 1
        return node

    def primary(self) -> tuple:
        token = self.next()
        kind, value, pos = token
        if kind in ("num", "str"):
            return ("lit", value)
        if kind == "ref":
            self.tree.references.add(value)
            return ("ref", value)
        if kind == "dot":
            self.tree.uses_current = True
            return ("dot",)
        if token[:2] == ("op", "("):
            self.enter(pos)
            node = self.level(0)
            self.expect(")")
            self.depth -= 1
            return node
        if kind == "name" and self.at("("):
            return self.call(value, pos)
        raise self.fail(token)

    def call(self, name: str, pos: int) -> tuple:
        if name not in FUNCTION_ARITY:
            raise ExpressionError("unknown_function", pos, f"unknown function {name}()")
        self.enter(pos)
        self.next()  # (
        args = []
        if not self.at(")"):
            args.append(self.level(0))
            while self.at(","):
                self.next()
                args.append(self.level(0))
        self.expect(")")
        self.depth -= 1
        low, high = FUNCTION_ARITY[name]
        if len(args) < low or (high is not None and len(args) > high):
            wanted = str(low) if low == high else f"{low}+" if high is None else f"{low}-{high}"
            message = f"{name}() takes {wanted} arguments, not {len(args)}"
            raise ExpressionError("wrong_arity", pos, message)
        self.tree.uses_today |= name == "today"
        return ("call", name, tuple(args))
