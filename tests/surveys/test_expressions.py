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
    *sorted(SURVEYS.glob("expression*.py")),
    REPO / "pwa/expressions.js",
    *sorted((REPO / "pwa/expr").glob("*.js")),
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
    "typographic_quote",
    "bad_argument",
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
    if isinstance(expected, dict) and "type" in expected:  # random values: only the type
        if expected["type"] == "number":
            assert type(actual) is float and expected["min"] <= actual < expected["below"]
        else:
            assert type(actual) is str and re.search(expected["pattern"], actual), actual
    elif isinstance(expected, dict):  # {"nan": true}
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


def _labels(table: dict) -> Any:
    """labels for jr:choice-name(): {question: {value: {language: label}}}."""

    def labels(question: str, value: str, language: str | None) -> str | None:
        texts = table.get(question, {}).get(value)
        return None if texts is None else texts.get(language or "", next(iter(texts.values())))

    return labels


def _scope(case: dict) -> Any:
    """The answers as the vector gives them: a Scope when it has ancestors, at or labels."""
    if not {"ancestors", "at", "labels"} & set(case):
        return case["answers"]
    labels = _labels(case["labels"]) if "labels" in case else None
    return ex.Scope(case["answers"], case.get("ancestors", {}), case.get("at", ()), labels)


def _run(case: dict) -> Any:
    today, now = case.get("today"), case.get("now")
    expr = ex.parse(case["expr"], choice_filter="choice" in case)
    return expr.evaluate(
        _scope(case),
        current=case.get("current"),
        today=datetime.date.fromisoformat(today) if today else None,
        now=datetime.datetime.fromisoformat(now) if now else None,
        choice=case.get("choice"),
        language=case.get("language"),
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
        ex.parse(vector["expr"], choice_filter=vector.get("choice_filter", False))
    err = caught.value
    assert (err.code, err.position) == (vector["code"], vector["position"]), str(err)
    assert isinstance(err, ValueError) and str(err)


@pytest.mark.parametrize(
    "vector",
    VECTORS["references"],
    ids=[_label(i, v["expr"]) for i, v in enumerate(VECTORS["references"])],
)
def test_reference_vector(vector: dict) -> None:
    expr = ex.parse(vector["expr"], choice_filter=vector.get("choice_filter", False))
    assert expr.references == frozenset(vector["refs"])
    assert isinstance(expr.references, frozenset)
    assert expr.uses_current is vector["uses_current"]
    assert expr.columns == frozenset(vector.get("columns", ()))


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


WRITTEN_ONE_WAY = {"position": "position(..)", "jr:choice-name": "jr:choice-name(${a}, '${b}')"}


def _data_values() -> list[Any]:
    return [None, "", " ", "0", "-1.5", "abc", "2024-05-01", "2024-05-01T10:00:00-05:00",
            "10:15", "19844", 0, -0.0, 7, 2.5, 10**400, -(10**400), float("nan"), float("inf"),
            True, False, [], ["a", "b"], [1, None], [{}], [{"a": 1}, "x"], {},
            {"lat": -12.1, "lon": -77.0}, object()]  # fmt: skip


def _every_call() -> list[str]:
    calls = [WRITTEN_ONE_WAY.get(name) or f"{name}({', '.join(['${a}', '${b}', '${c}'][:low])})"
             for name, (low, _) in parser.FUNCTION_ARITY.items()]  # fmt: skip
    calls += ["round(${a}, ${b})", "substr(${a}, ${b}, ${c})", "regex(${a}, ${b})",
              "indexed-repeat(${a}, ${r}, ${b}, ${s}, ${c})", "format-date(${a}, ${b})",
              "sum(${a}, ${b}, ${c})", "join(${a}, ${b}, ${c})"]  # fmt: skip
    return calls


def test_evaluation_never_raises_for_data() -> None:
    values = _data_values()
    binary = [f"${{a}} {op} ${{b}}" for level in parser.LEVELS for op in level]
    exprs = [ex.parse(text) for text in _every_call() + binary + ["-${a}", "."]]
    rng = random.Random(20240501)
    for _ in range(2000):
        a, b, c = (rng.choice(values) for _ in range(3))
        for expr in exprs:
            expr.evaluate({"a": a, "b": b, "c": c}, current=a, today=datetime.date(2024, 5, 1))


def test_evaluation_in_repeats_never_raises_for_data() -> None:
    """Odd values anywhere in a repeat tree, in any instance, in choice columns."""
    values = _data_values()
    ancestors = {"a": ("r",), "b": ("r", "s"), "c": (), "r": (), "s": ("r",)}
    exprs = [ex.parse(text, choice_filter=True) for text in [*_every_call(), "col = ${a}"]]
    rng = random.Random(7)

    def labels(question: str, value: str, language: str | None) -> str | None:
        return rng.choice([None, "", "label"])

    for _ in range(300):
        inner = [rng.choice([{"b": rng.choice(values)}, {}, rng.choice(values)]) for _ in range(2)]
        outer = {"a": rng.choice(values), "s": rng.choice([inner, rng.choice(values)])}
        answers = {"c": rng.choice(values), "r": rng.choice([[outer, {}], rng.choice(values)])}
        at = rng.choice([(), (("r", 0),), (("r", 1), ("s", 0)), (("r", 5),), (("x", 0),)])
        scope = ex.Scope(answers, ancestors, at, labels)
        choice = {"col": rng.choice(values), "name": rng.choice(values)}
        for expr in exprs:
            expr.evaluate(scope, current=rng.choice(values), choice=choice, language="qu",
                          now=datetime.datetime(2024, 5, 1, 10, 0))  # fmt: skip


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


# ------------------------------------------------------------- repeats (Scope)

HOUSEHOLD = {
    "members": [
        {"name": "Rosa", "age": 44, "kids": [{"k_age": 10}, {"k_age": 7}]},
        {"name": "Juan", "age": 8},
    ],
    "size": 2,
}
ANCESTORS = {"members": (), "name": ("members",), "age": ("members",), "kids": ("members",),
             "k_age": ("members", "kids"), "size": ()}  # fmt: skip


def test_scope_within_goes_one_instance_deeper() -> None:
    top = ex.Scope(HOUSEHOLD, ANCESTORS)
    second = top.within("members", 1)
    assert top.at == () and second.at == (("members", 1),)
    assert second.within("kids", 0).at == (("members", 1), ("kids", 0))
    name = ex.parse("${name}")
    assert name.evaluate(top) == "Rosa"  # a node set where one value is expected: the first
    assert name.evaluate(second) == "Juan"
    assert ex.parse("position(..)").evaluate(second.within("kids", 0)) == 1.0
    assert ex.parse("count(${k_age})").evaluate(top.within("members", 0)) == 2.0


def test_a_reference_to_a_repeat_counts_its_instances() -> None:
    scope = ex.Scope(HOUSEHOLD, ANCESTORS)
    assert ex.parse("count(${members})").evaluate(scope) == 2.0
    assert ex.parse("count(${members})").evaluate(ex.Scope({}, ANCESTORS)) == 0.0
    # a new instance not yet in the answers is an empty one
    assert ex.parse("count(${kids})").evaluate(scope.within("members", 2)) == 0.0
    assert ex.parse("${name}").evaluate(scope.within("members", 2)) == ""


def test_at_pairs_may_come_from_json_lists() -> None:
    scope = ex.Scope(HOUSEHOLD, ANCESTORS, [["members", 1]])
    assert scope.at == (("members", 1),)
    assert ex.parse("${age} * 2").evaluate(scope) == 16.0


def test_nodeset_is_exported_and_reaches_only_node_set_functions() -> None:
    values = ex.NodeSet(["a", ""])
    assert len(values) == 2 and values.first() == "a" and list(values) == ["a", ""]
    assert ex.NodeSet().first() == ""
    for text in ["${k_age}", "if(true(), ${k_age}, 0)", "concat(${k_age})"]:
        result = ex.parse(text).evaluate(ex.Scope(HOUSEHOLD, ANCESTORS))
        assert type(result) in (float, str), text


def test_labels_language_and_choice_name() -> None:
    seen = []

    def labels(question: str, value: str, language: str | None) -> str | None:
        seen.append((question, value, language))
        return {"a": "Agua", "b": "Luz"}.get(value)

    expr = ex.parse("jr:choice-name(${q}, '${q}')")
    assert expr.references == {"q"}
    assert expr.evaluate(ex.Scope({"q": "b"}, {}, (), labels), language="qu") == "Luz"
    assert expr.evaluate(ex.Scope({"q": ["a", "x", "b"]}, {}, (), labels)) == "Agua, Luz"
    assert seen[0] == ("q", "b", "qu")
    assert expr.evaluate({"q": "b"}) == ""  # no labels without a Scope


def test_choice_filter_mode() -> None:
    expr = ex.parse("prov = ${prov} and name != 'x'", choice_filter=True)
    assert expr.columns == {"prov", "name"} and expr.references == {"prov"}
    answers = {"prov": "01"}
    kept = [c["name"] for c in ({"name": "a", "prov": "01"}, {"name": "x", "prov": "01"},
                                {"name": "b", "prov": "02"}, {"name": "c"})
            if expr.evaluate_bool(answers, choice=c)]  # fmt: skip
    assert kept == ["a"]
    with pytest.raises(ex.ExpressionError) as caught:
        ex.parse("prov = ${prov}")
    assert caught.value.code == "unexpected_token"
    assert ex.parse("${prov} = 1").columns == frozenset()


def test_now_and_today() -> None:
    lima = datetime.timezone(datetime.timedelta(hours=-5))
    moment = datetime.datetime(2024, 5, 1, 23, 30, 5, 250000, tzinfo=lima)
    assert ex.parse("now()").evaluate({}, now=moment) == "2024-05-01T23:30:05.250-05:00"
    assert ex.parse("today()").evaluate({}, now=moment) == "2024-05-01"
    text = ex.parse("now()").evaluate({})
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d", text)
    naive = ex.parse("now()").evaluate({}, now=datetime.datetime(2024, 1, 2, 3, 4, 5))
    assert naive.startswith("2024-01-02T03:04:05.000")  # a naive time is local time


def test_once_keeps_the_stored_value() -> None:
    expr = ex.parse("once(uuid())")
    assert expr.uses_current
    first = expr.evaluate({})
    assert len(first) == 36 and expr.evaluate({}, current=first) == first
    assert expr.evaluate({}) != first


def test_typographic_quotes_name_the_straight_ones() -> None:
    with pytest.raises(ex.ExpressionError) as caught:
        ex.parse("${a} = ‘yes’")
    assert caught.value.code == "typographic_quote" and caught.value.position == 7
    assert "'" in str(caught.value)


def test_functions_documented_as_unsupported_are_unknown() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for name in ["area", "distance", "pulldata", "substring", "sin", "digest"]:
        assert f"`{name}(" in docs or f"`{name}`" in docs, name
        with pytest.raises(ex.ExpressionError) as caught:
            ex.parse(f"{name}(1)")
        assert caught.value.code == "unknown_function"
