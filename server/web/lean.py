"""The app's modules as they travel: every line that is only a `//` comment is sent blank.

The modules are written for people (about a sixth of their compressed bytes are comments);
a phone on a 400 kbps link pays 20 ms per kilobyte for them. Blanking whole comment lines
(not removing them) keeps every line number, so an error a phone reports still points at
the file in pwa/. Nothing else changes: no renaming, no joining, no build step — the bytes
are derived from the file on each change of its hash, like the compression
(server/web/compression.py).

A line is blanked only when the scanner below is sure it starts in code: not inside a
string, a template literal (whose lines are text), a block comment or a regular expression.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_cache: dict[tuple[str, str], bytes] = {}
# after these a "/" starts a regular expression, after anything else it divides
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {""}
_REGEX_KEYWORDS = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete",
                   "void", "throw", "instanceof", "yield", "await"}


def _code_line_starts(source: str) -> set[int]:
    """Offsets of the lines that start in code, outside any literal or comment."""
    starts = {0}
    i = 0
    n = len(source)
    stack: list[str] = []  # "`" inside a template literal, "{" inside code (braces counted)
    last = ""  # the last significant character or word, to tell a regex from a division
    state = "code"
    while i < n:
        c = source[i]
        if c == "\n":
            if state in ("code", "line-comment") and not (stack and stack[-1] == "`"):
                starts.add(i + 1)
            if state == "line-comment":
                state = "code"
            i += 1
            continue
        if state == "line-comment":
            i += 1
            continue
        if state == "block-comment":
            if source.startswith("*/", i):
                state = "code"
                i += 2
            else:
                i += 1
            continue
        if stack and stack[-1] == "`":  # template text
            if c == "\\":
                i += 2 if i + 1 < n and source[i + 1] != "\n" else 1
            elif c == "`":
                stack.pop()
                last = "x"
                i += 1
            elif source.startswith("${", i):
                stack.append("${")
                last = "{"
                i += 2
            else:
                i += 1
            continue
        # code
        if source.startswith("//", i):
            state = "line-comment"
            i += 2
        elif source.startswith("/*", i):
            state = "block-comment"
            i += 2
        elif c in "'\"":
            i = _skip_string(source, i, c)
            last = "x"
        elif c == "`":
            stack.append("`")
            i += 1
        elif c == "/":
            if last in _REGEX_AFTER or last in _REGEX_KEYWORDS:
                i = _skip_regex(source, i)
                last = "x"
            else:
                last = "/"
                i += 1
        elif c == "{":
            stack.append("{")
            last = "{"
            i += 1
        elif c == "}":
            if stack and stack[-1] == "${":
                stack.pop()  # back into the template text
                last = "x"
            else:
                if stack:
                    stack.pop()
                last = "}"
            i += 1
        elif c.isalnum() or c in "_$":
            j = i
            while j < n and (source[j].isalnum() or source[j] in "_$"):
                j += 1
            word = source[i:j]
            last = word if word in _REGEX_KEYWORDS else "x"
            i = j
        elif c.isspace():
            i += 1
        else:
            last = c if c in _REGEX_AFTER else "x"
            i += 1
    return starts


def _skip_string(source: str, i: int, quote: str) -> int:
    i += 1
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
        elif c == quote or c == "\n":
            return i + 1
        else:
            i += 1
    return i


def _skip_regex(source: str, i: int) -> int:
    i += 1
    in_class = False
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n":
            return i
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "/":
            return i + 1
        i += 1
    return i


def blank_comment_lines(source: str) -> str:
    """`source` with each line that is only a `//` comment (in code) left empty."""
    starts = _code_line_starts(source)
    out = []
    offset = 0
    for text in source.split("\n"):
        out.append("" if offset in starts and text.lstrip().startswith("//") else text)
        offset += len(text) + 1
    return "\n".join(out)


def lean_module(path: str, file_hash: str) -> bytes:
    """The module at `path` (whose bytes hash to `file_hash`) as sent, computed once."""
    key = (path, file_hash)
    with _lock:
        found = _cache.get(key)
    if found is not None:
        return found
    with open(path, encoding="utf-8") as handle:
        lean = blank_comment_lines(handle.read()).encode()
    with _lock:
        _cache[key] = lean
        if len(_cache) > 1024:  # old hashes of a file edited in development
            _cache.pop(next(iter(_cache)))
    return lean
