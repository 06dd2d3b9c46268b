"""Lexer and parser of the Willay expression language (docs/expressions.md).

`parse_tree(text, choice_filter=False)` checks the text and returns a small syntax tree
made of tuples:

    ("lit", value)                  number (float) or string literal
    ("ref", question_id)            ${question_id}
    ("col", name)                   a bare name: a choice column (choice filters only)
    ("dot",)                        . (the current answer)
    ("dotdot",)                     .. (only as the argument of position())
    ("neg", node)                   unary minus
    ("ops", first, ((op, node), ...))   a left-associative chain of = != < <= > >=
                                        + - * div mod, all of one precedence level
    ("and", (node, ...)) / ("or", (node, ...))
    ("call", name, (node, ...))     jr:choice-name's second argument becomes ("lit", id)

server/surveys/expressions.py turns the tree into closures; pwa/expressions.js
is the JavaScript twin of both modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_LENGTH = 2000
MAX_DEPTH = 50
WHITESPACE = " \t\n\r"
TYPOGRAPHIC_QUOTES = "\u2018\u2019\u201c\u201d"
_DIGITS = "0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_NAME_START = frozenset(_LOWER + _LOWER.upper() + "_")
_NAME_CHARS = _NAME_START | frozenset(_DIGITS)
_ID_CHARS = _NAME_CHARS | frozenset(".-")

# Binary operators, lowest precedence first; all left-associative.
LEVELS = (("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"))

# Function name: (minimum, maximum) number of arguments; None means no maximum.
FUNCTION_ARITY: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "selected-at": (2, 2),
    "jr:choice-name": (2, 2),
    "string-length": (1, 1),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "boolean": (1, 1),
    "boolean-from-string": (1, 1),
    "if": (3, 3),
    "coalesce": (2, 2),
    "once": (1, 1),
    "number": (1, 1),
    "string": (1, 1),
    "int": (1, 1),
    "round": (1, 2),
    "abs": (1, 1),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "pow": (2, 2),
    "sqrt": (1, 1),
    "exp": (1, 1),
    "log": (1, 1),
    "log10": (1, 1),
    "pi": (0, 0),
    "random": (0, 0),
    "concat": (1, None),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "substr": (2, 3),
    "substring-before": (2, 2),
    "substring-after": (2, 2),
    "normalize-space": (1, 1),
    "translate": (3, 3),
    "uuid": (0, 0),
    "regex": (2, 2),
    "today": (0, 0),
    "now": (0, 0),
    "date": (1, 1),
    "decimal-date-time": (1, 1),
    "decimal-time": (1, 1),
    "format-date": (2, 2),
    "format-date-time": (2, 2),
    "min": (1, None),
    "max": (1, None),
    "sum": (1, None),
    "count": (1, 1),
    "count-non-empty": (1, 1),
    "join": (2, None),
    "position": (1, 1),
    "indexed-repeat": (3, None),
}

Token = tuple[str, Any, int]  # (kind, value, position); kinds: num str ref dot dotdot name op end


class ExpressionError(ValueError):
    """A text that is not a valid expression. `code` is stable, `position` is 0-based."""

    def __init__(self, code: str, position: int, message: str):
        super().__init__(f"{message} (at position {position})")
        self.code = code
        self.position = position


def is_question_id(text: str) -> bool:
    """Whether text is an XLSForm name: ^[A-Za-z_][A-Za-z0-9_.-]{0,63}$."""
    return 0 < len(text) <= 64 and text[0] in _NAME_START and _ID_CHARS.issuperset(text)


def _typographic(quote: str, position: int) -> ExpressionError:
    # Inside a string written with straight quotes a curly one is text (Quechua t’ika).
    message = f"{quote} is a typographic quote: write strings with straight quotes ' or \""
    return ExpressionError("typographic_quote", position, message)


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
            if text.startswith("..", i):
                tokens.append(("dotdot", None, start))
                i += 2
            else:
                tokens.append(("dot", None, start))
                i += 1
        elif c in "'\"":
            end = text.find(c, i + 1)
            if end < 0:
                curly = next((j for j in range(i + 1, n) if text[j] in TYPOGRAPHIC_QUOTES), -1)
                if curly >= 0:  # most likely closed with a typographic quote
                    raise _typographic(text[curly], curly)
                raise ExpressionError("unterminated_string", start, "the string is not closed")
            tokens.append(("str", text[i + 1 : end], start))
            i = end + 1
        elif c == "$":
            end = text.find("}", i) if text.startswith("${", i) else -1
            if end < 0 or not is_question_id(text[i + 2 : end]):
                message = "a reference is written ${name}, the name as in ${water_source}"
                raise ExpressionError("bad_reference", start, message)
            tokens.append(("ref", text[i + 2 : end], start))
            i = end + 1
        elif c in _NAME_START:
            i = _name(text, i)
            if i + 1 < n and text[i] == ":" and text[i + 1] in _NAME_START:
                j = _name(text, i + 1)  # a prefixed function name: jr:choice-name(
                if _skip(text, j, WHITESPACE) < n and text[_skip(text, j, WHITESPACE)] == "(":
                    i = j
            tokens.append(("name", text[start:i], start))
        elif c in "<>!" and text.startswith("=", i + 1):
            tokens.append(("op", c + "=", start))
            i += 2
        elif c in "=+-*(),<>":
            tokens.append(("op", c, start))
            i += 1
        else:
            if c in TYPOGRAPHIC_QUOTES:
                raise _typographic(c, start)
            raise ExpressionError("unexpected_token", start, f"unexpected character {c!r}")
    tokens.append(("end", None, n))
    return tokens


def _skip(text: str, i: int, chars: Any) -> int:
    while i < len(text) and text[i] in chars:
        i += 1
    return i


def _name(text: str, i: int) -> int:
    """End of the name at i: a hyphenated name (count-selected) only when "(" follows."""
    n = len(text)
    i = j = _skip(text, i, _NAME_CHARS)
    while j + 1 < n and text[j] == "-" and text[j + 1] in _NAME_START:
        j = _skip(text, j + 1, _NAME_CHARS)
    k = _skip(text, j, WHITESPACE)
    return j if j > i and k < n and text[k] == "(" else i


@dataclass
class Tree:
    root: tuple
    references: set[str] = field(default_factory=set)
    columns: set[str] = field(default_factory=set)
    uses_current: bool = False
    uses_today: bool = False
    uses_now: bool = False


def parse_tree(text: str, choice_filter: bool = False) -> Tree:
    """Check text and return its syntax tree; raises ExpressionError."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError("too_long", MAX_LENGTH, f"longer than {MAX_LENGTH} characters")
    if not text.strip(WHITESPACE):
        raise ExpressionError("empty", 0, "the expression is empty")
    return _Parser(tokenize(text), choice_filter).run()


class _Parser:
    def __init__(self, tokens: list[Token], choice_filter: bool):
        self.tokens = tokens
        self.choice_filter = choice_filter
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
        what = shown.get(kind) or ("'..' (only position(..) takes it)" if kind == "dotdot" else "")
        what = what or repr(value)
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
        if kind == "name" and self.choice_filter and ":" not in value:
            self.tree.columns.add(value)
            return ("col", value)
        raise self.fail(token)

    def call(self, name: str, pos: int) -> tuple:
        if name not in FUNCTION_ARITY:
            raise ExpressionError("unknown_function", pos, f"unknown function {name}()")
        self.enter(pos)
        self.next()  # (
        args: list[tuple] = []
        starts: list[int] = []
        if not self.at(")"):
            while True:
                starts.append(self.peek()[2])
                if name == "position" and self.peek()[0] == "dotdot":
                    self.next()
                    args.append(("dotdot",))
                else:
                    args.append(self.level(0))
                if not self.at(","):
                    break
                self.next()
        self.expect(")")
        self.depth -= 1
        low, high = FUNCTION_ARITY[name]
        odd = name != "indexed-repeat" or len(args) % 2 == 1
        if len(args) < low or (high is not None and len(args) > high) or not odd:
            wanted = str(low) if low == high else f"{low}+" if high is None else f"{low}-{high}"
            wanted = "3, 5, 7 …" if name == "indexed-repeat" else wanted
            message = f"{name}() takes {wanted} arguments, not {len(args)}"
            raise ExpressionError("wrong_arity", pos, message)
        args = self.special(name, args, starts)
        tree = self.tree
        tree.uses_today |= name == "today"
        tree.uses_now |= name == "now"
        tree.uses_current |= name == "once"
        return ("call", name, tuple(args))

    def special(self, name: str, args: list[tuple], starts: list[int]) -> list[tuple]:
        """Check the arguments that must be written in one way; rewrite jr:choice-name's."""
        if name == "position" and args[0] != ("dotdot",):
            raise ExpressionError("bad_argument", starts[0], "write position(..)")
        if name == "indexed-repeat":
            for k in (0, *range(1, len(args), 2)):
                if args[k][0] != "ref":
                    what = "the field" if k == 0 else "each repeat"
                    message = f"indexed-repeat() takes {what} as a reference ${{name}}"
                    raise ExpressionError("bad_argument", starts[k], message)
        if name == "jr:choice-name":
            node = args[1]
            inner = node[1].strip(WHITESPACE) if node[0] == "lit" and type(node[1]) is str else ""
            qid = inner[2:-1] if inner.startswith("${") and inner.endswith("}") else ""
            if not is_question_id(qid):
                message = "the second argument of jr:choice-name() is the question, as '${name}'"
                raise ExpressionError("bad_argument", starts[1], message)
            self.tree.references.add(qid)
            args = [args[0], ("lit", qid)]
        return args
