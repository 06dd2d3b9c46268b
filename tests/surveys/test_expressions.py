"""The expression language (docs/expressions.md), Python side.

The module is imported from its path so that these tests never depend on how
the `server` package is laid out. The same vectors run against
pwa/expressions.js in tests/js/expressions.test.mjs.
"""

from __future__ import annotations

import datetime
import importlib
import json
import math
import random
import re
import sys
import time
import types
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SURVEYS = REPO / "server" / "surveys"
DOCS = REPO / "docs" / "expressions.md"
SOURCES = [
    SURVEYS / "expressions.py",
    SURVEYS / "expression_parser.py",
    REPO / "pwa/expressions.js",
]
VECTORS = json.loads((REPO / "tests/data/expression_vectors.json").read_text(encoding="utf-8"))
CODES = {
    "empty",
    "too_long",
    "too_deep",
    "unexpected_token",
    "unexpected_end",
    "unterminated_string",
    "bad_reference",
    "unknown_function",
    "wrong_arity",
}


def _load(module: str) -> types.ModuleType:
    """server/surveys/<module>.py, imported through a stand-in package."""
    package = "_willay_expressions_under_test"
    if package not in sys.modules:
        stand_in = types.ModuleType(package)
        stand_in.__path__ = [str(SURVEYS)]
        sys.modules[package] = stand_in
    return importlib.import_module(f"{package}.{module}")


ex = _load("expressions")
parser = _load("expression_parser")


def _label(i: int, expr: str) -> str:
    shown = json.dumps(expr)[1:-1]
    return f"{i:03d}:{shown[:60]}{'...' if len(shown) > 60 else ''}"


def _check(actual: Any, expected: Any) -> None:
    if isinstance(expected, dict):  # {"nan": true}
        assert type(actual) is float and math.isnan(actual), f"expected NaN, got {actual!r}"
    elif isinstance(expected, bool):
        assert actual is expected
    elif isinstance(expected, int | float):
        assert type(actual) is float, f"expected a number, got {actual!r}"
        assert actual == float(expected)
    elif isinstance(expected, str):
        assert type(actual) is str and actual == expected
    else:
        assert type(actual) is list and actual == expected


def _run(case: dict) -> Any:
    today = case.get("today")
    return ex.parse(case["expr"]).evaluate(
        case["answers"],
        current=case.get("current"),
        today=datetime.date.fromisoformat(today) if today else None,
    )


# ---------------------------------------------------------------- the vectors


@pytest.mark.parametrize(
    "case", VECTORS["cases"], ids=[_label(i, c["expr"]) for i, c in enumerate(VECTORS["cases"])]
)
def test_case_vector(case: dict) -> None:
    _check(_run(case), case["expected"])


@pytest.mark.parametrize(
    "vector", VECTORS["errors"], ids=[_label(i, v["expr"]) for i, v in enumerate(VECTORS["errors"])]
)
def test_error_vector(vector: dict) -> None:
    with pytest.raises(ex.ExpressionError) as caught:
        ex.parse(vector["expr"])
    err = caught.value
    assert (err.code, err.position) == (vector["code"], vector["position"]), str(err)
    assert isinstance(err, ValueError) and str(err)


@pytest.mark.parametrize(
    "vector",
    VECTORS["references"],
    ids=[_label(i, v["expr"]) for i, v in enumerate(VECTORS["references"])],
)
def test_reference_vector(vector: dict) -> None:
    expr = ex.parse(vector["expr"])
    assert expr.references == frozenset(vector["refs"])
    assert isinstance(expr.references, frozenset)
    assert expr.uses_current is vector["uses_current"]


def test_vectors_are_many_and_cover_the_language() -> None:
    cases, errors = VECTORS["cases"], VECTORS["errors"]
    assert len(cases) >= 180 and len(errors) >= 30
    assert {e["code"] for e in errors} == CODES
    for name in parser.FUNCTION_ARITY:
        assert any(f"{name}(" in c["expr"] for c in cases), f"no vector uses {name}()"
    for op in ("or", "and", "div", "mod", "!=", "<=", ">=", "<", ">", "=", "+", "-", "*"):
        assert any(op in c["expr"] for c in cases), op


def test_docs_describe_every_function_and_code() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for name in parser.FUNCTION_ARITY:
        assert f"`{name}(" in docs, name
    for code in CODES:
        assert f"`{code}`" in docs, code


def test_function_table_matches_arity_table() -> None:
    assert set(ex._FUNCTIONS) == set(parser.FUNCTION_ARITY)


# ------------------------------------------------------------------------ API


def test_parse_once_evaluate_many() -> None:
    expr = ex.parse("${a} = 'yes' and ${b} > 3")
    assert expr.source == "${a} = 'yes' and ${b} > 3"
    rows = [({"a": "yes", "b": n}, n > 3) for n in range(10)] + [({}, False), ({"a": "no"}, False)]
    for _ in range(3):
        for answers, wanted in rows:
            assert expr.evaluate(answers) is wanted
            assert expr.evaluate_bool(answers) is wanted


def test_evaluate_does_not_touch_the_answers() -> None:
    answers = {"m": ["a", "b"], "n": 3, "g": {"lat": -12.5, "lon": -77.0}}
    snapshot = json.dumps(answers)
    result = ex.parse("if(1, ${m}, 0)").evaluate(answers)
    result.append("c")
    ex.parse("concat(${m}, ${n}, ${g})").evaluate(answers)
    assert json.dumps(answers) == snapshot


def test_evaluate_bool_converts() -> None:
    assert ex.parse("'x'").evaluate_bool({}) is True
    assert ex.parse("${a}").evaluate_bool({}) is False
    assert ex.parse("${m}").evaluate_bool({"m": []}) is False
    assert ex.parse("0 div 0").evaluate_bool({}) is False
    assert ex.parse(". * 2").evaluate_bool({}, current=1) is True


def test_answers_may_be_any_mapping_or_none() -> None:
    expr = ex.parse("${a} = 1")
    assert expr.evaluate(types.MappingProxyType({"a": 1})) is True
    assert expr.evaluate(None) is False


def test_today() -> None:
    expr = ex.parse("today()")
    assert expr.evaluate({}) == datetime.date.today().isoformat()
    assert expr.evaluate({}, today=datetime.date(2024, 2, 29)) == "2024-02-29"
    assert expr.evaluate({}, today=datetime.datetime(2024, 2, 29, 23, 59)) == "2024-02-29"
    assert expr.evaluate({}, today="2025-01-01") == "2025-01-01"


def test_current_is_converted_like_an_answer() -> None:
    expr = ex.parse(".")
    assert expr.uses_current is True
    assert expr.evaluate({}, current=3) == 3.0 and type(expr.evaluate({}, current=3)) is float
    assert expr.evaluate({}, current=("a", 2)) == ["a", "2"]
    assert expr.evaluate({}, current={"lat": 1, "lon": 2.5}) == "1 2.5"
    assert expr.evaluate({}) == ""


def test_odd_answer_values_have_defined_values() -> None:
    expr = ex.parse("string(${a})")
    assert expr.evaluate({"a": 10**400}) == "Infinity"
    assert expr.evaluate({"a": -(10**400)}) == "-Infinity"
    assert expr.evaluate({"a": float("nan")}) == "NaN"
    assert expr.evaluate({"a": object()}) == ""
    assert expr.evaluate({"a": {"lat": "1", "lon": 2}}) == ""
    assert expr.evaluate({"a": [None, [1], {"x": 1}, "ok"]}) == "   ok"


def test_evaluation_never_raises_for_data() -> None:
    values = [None, "", " ", "0", "-1.5", "abc", "2024-05-01", 0, -0.0, 7, 2.5, 10**400,
              float("nan"), float("inf"), True, False, [], ["a", "b"], [1, None], {},
              {"lat": -12.1, "lon": -77.0}, object()]  # fmt: skip
    calls = [f"{name}({', '.join(['${a}', '${b}', '${c}'][:low])})"
             for name, (low, _) in parser.FUNCTION_ARITY.items()]  # fmt: skip
    calls += ["round(${a}, ${b})", "substr(${a}, ${b}, ${c})", "regex(${a}, ${b})"]
    binary = [f"${{a}} {op} ${{b}}" for level in parser.LEVELS for op in level]
    exprs = [ex.parse(text) for text in calls + binary + ["-${a}", "."]]
    rng = random.Random(20240501)
    for _ in range(3000):
        a, b, c = (rng.choice(values) for _ in range(3))
        for expr in exprs:
            expr.evaluate({"a": a, "b": b, "c": c}, current=a, today=datetime.date(2024, 5, 1))


def test_regex_patterns_that_python_rejects_are_false() -> None:
    for pattern in ["(", "[a-", "a{2,1}", "\\", "(?P<x>a)(?P<x>b)", "a{99999999999}", "*"]:
        assert ex.parse(f"regex('abc', \"{pattern}\")").evaluate({}) is False


def test_evaluation_is_fast() -> None:
    expr = ex.parse("${a} = 'yes' and ${b} > 3")
    answers = {"a": "yes", "b": 5}
    start = time.perf_counter()
    for _ in range(20_000):
        expr.evaluate(answers)
    assert time.perf_counter() - start < 2.0  # about 2 µs each on a laptop; 100 µs allowed


# --------------------------------------------------------------------- limits


def test_length_limit() -> None:
    longest = "1+" * 999 + "1 "
    assert len(longest) == ex.MAX_LENGTH == 2000
    assert ex.parse(longest).evaluate({}) == 1000
    with pytest.raises(ex.ExpressionError) as caught:
        ex.parse(longest + " ")
    assert caught.value.code == "too_long"


def _nested(depth: int) -> str:
    """`depth` levels, cycling through parentheses, calls and unary minus, with every operator."""
    text = "${x}"
    for i in range(depth):
        kind = i % 3
        if kind == 0:
            text = f"(1 or 1 and 1 = 1 < 1 + 1 * {text})"
        elif kind == 1:
            text = f"concat({text}, 'a')"
        else:
            text = f"-{text}"
    return text


def test_depth_limit() -> None:
    assert ex.MAX_DEPTH == 50
    expr = ex.parse(_nested(50))
    assert expr.references == {"x"}
    assert expr.evaluate({"x": 1}) is not None
    with pytest.raises(ex.ExpressionError) as caught:
        ex.parse(_nested(51))
    assert caught.value.code == "too_deep"


@pytest.mark.parametrize("op", ["+", "-", "*", "div", "mod", "=", "!=", "<=", "and", "or"])
def test_long_flat_chains_evaluate_without_recursion(op: str) -> None:
    sep = f" {op} "
    count = (ex.MAX_LENGTH + len(sep)) // (1 + len(sep))
    text = sep.join(["1"] * count)
    assert len(text) <= ex.MAX_LENGTH and count > 300
    value = ex.parse(text).evaluate({})
    if op == "+":
        assert value == count


def test_errors_carry_code_position_and_message() -> None:
    with pytest.raises(ex.ExpressionError) as caught:
        ex.parse("1 + foo(2)")
    err = caught.value
    assert (err.code, err.position) == ("unknown_function", 4)
    assert "foo" in str(err)


# ---------------------------------------------------------------------- rules


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_sources_never_evaluate_code(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    banned = re.compile(r"\b(?:eval|exec|compile|Function)\s*\(|\bnew\s+Function\b|__import__")
    assert not banned.findall(source)
