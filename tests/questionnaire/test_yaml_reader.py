"""The one-pass YAML reader gives the data, positions and problems the two-pass reader gave."""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path
from typing import Any

import pytest
import ruamel.yaml.parser
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml_reference import reference_read

from scan.questionnaire import QuestionnaireError, libyaml_reader
from scan.questionnaire.located import LocatedDict, LocatedList
from scan.questionnaire.yamlsource import read_yaml_text

# The round-trip loader leaves generators behind that raise when they are collected ('<<', '=');
# that is the reference reader's noise, not a failure.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"
SHIPPED = sorted(QUESTIONNAIRES.rglob("*.yaml"))


def located(node: Any) -> Any:
    """Located data as plain values: every type, value and position, to compare two reads."""
    if isinstance(node, LocatedDict):
        return (
            "d",
            str(node.position),
            [
                (
                    type(key).__name__,
                    key,
                    str(node.key_positions[key]),
                    str(node.value_positions[key]),
                    located(value),
                )
                for key, value in node.items()
            ],
        )
    if isinstance(node, LocatedList):
        return (
            "l",
            str(node.position),
            [(str(p), located(v)) for p, v in zip(node.item_positions, node, strict=True)],
        )
    if isinstance(node, float) and math.isnan(node):
        return ("float", "nan")
    return (type(node).__name__, repr(node))


def outcome(read, text: str | bytes) -> tuple[str, Any]:
    """Return ("ok", located data) or ("error", every problem as the CLI shows it)."""
    try:
        return "ok", located(read(text, "f.yaml"))
    except QuestionnaireError as exc:
        return "error", [str(problem) for problem in exc.problems]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(QUESTIONNAIRES)))
def test_shipped_file__same_data_and_positions_as_two_passes(path):
    raw = path.read_bytes()
    assert outcome(read_yaml_text, raw) == outcome(reference_read, raw)
    assert outcome(read_yaml_text, raw)[0] == "ok"


SNIPPETS = [
    # empty values, in blocks and in flow
    "a:\nb:\n  - \n  -\nc: {d: , e}\n",
    "a:\n# a comment\nb: 1\n",
    "? a\n",
    "",
    "# only a comment\n",
    "---\n",
    "---\na: 1\n...\n",
    "a: ''\nb: \"\"\nc: ~\nd: null\ne: Null\n",
    # nested flow mappings and sequences
    "a: {b: [1, {c: [2, 3]}, []], d: {}}\n",
    "- [a, [b, [c]]]\n- {x: {y: {z: 1}}}\n",
    "a: [1,\t2]\n",
    "{a: 1, b: [x, y]}\n",
    "[a, b, {c: d}]\n",
    "a: [\n  1,\n  2,\n]\n",
    # dates and times
    "a: 2026-01-01\nb: 2026-1-2 10:00:00\nc: 2026-01-01T10:00:00\n",
    "a: 2026-01-01 10:00:00+02:00\nb: 2026-01-01T10:00:00Z\nc: 2026-01-01 10:00:00.5\n",
    "a: 2026-02-30\n",
    "a: '2026-02-30'\nb: 2026-02-28\n",
    "2026-01-01: a\n2026-01-02: b\n",
    # quoted and plain scalars
    "a: '1'\nb: \"true\"\nc: 1\nd: true\ne: 'null'\nf: null\n",
    'a: \'it\'\'s\'\nb: "tab\\there"\nc: "x\\0y"\nd: "\\u00e9"\n',
    "a: yes\nb: no\nc: on\nd: off\ne: y\n",
    "a: True\nb: FALSE\nc: tRue\n",
    "a: 0o17\nb: 0x1F\nc: 1_000\nd: 017\ne: +5\nf: -0\ng: 0b11\nh: 0x_1\n",
    "a: .inf\nb: -.inf\nc: .nan\nd: 1e3\ne: 1_0.5\nf: .5\ng: 1.\nh: -1.5e-3\n",
    "a: _\nb: 1__\nc: 0o\nd: 1.2.3\ne: 12:30\nf: +\n",
    "a: x y z\nb: x: y\n",
    "a: x #comment\nb: 'x #no comment'\n",
    # multi-line strings
    "a: |\n  x\n  y\nb: >\n  x\n  y\n\n  z\n",
    "a: |-\n  x\n\nb: >+\n  y\n\n\nc: |2\n    z\n",
    "a: this is\n  a plain\n  text\nb: 'one\n  two'\nc: \"one\\\n  two\"\n",
    "- |\n  in a list\n- >\n  folded\n  text\n",
    "a: >\n  first\n\n    indented\n  last\n",
    # keys that are not text
    "1: a\n2.5: b\ntrue: c\n~: d\n2026-01-01: e\n0x10: f\n",
    "1: a\n'1': b\n",
    "'1': a\n1: b\n",
    "yes: a\nno: b\n",
    "null: 1\n",
    ".nan: a\n",
    "? [a, b]\n: 1\n",
    "? {a: 1}\n: 2\n",
    "? [1, 2.5, ~, true, 2026-01-01]\n: x\n",
    "? []\n: 1\n? {}\n: 2\n",
    "? {a: 1, b: 2}\n: 1\n? {b: 2, a: 1}\n: 2\n",
    # duplicate keys
    "title: Mini\ntitle: Twee\n",
    "a: 1\na: {b: 1}\n",
    "a: {b: 1}\na: [1, 2]\n",
    "a: 1.50\na: 2\n",
    "a: x\nb: {c: 1, c: 2}\nb: 3\n",
    "- {a: 1, a: 2}\n- [{b: 1, b: 2}]\n",
    "- [{b: 1, b: 2}]\n- {a: 1, a: 2}\n",
    "1: a\n1.0: b\n",
    "true: a\n1: b\n",
    "null: 1\n~: 2\n",
    ".nan: a\n.nan: b\n",
    '"a": 1\na: 2\n',
    "a: 2026-01-01\na: 2\n",
    "a: {1: x, y: [2]}\na: 3\n",
    "a: |\n  two\n  lines\na: 1\n",
    "? [a]\n: 1\n? [a]\n: 2\n",
    "a:\n  b: 1\n  b: 2\na: 3\n",
    # NUL bytes and other control characters
    "a: 1\x00\n",
    "id: x\x00\n",
    "a: 'b\x07'\n",
    "a: \x1b[31m\n",
    # tabs
    "a:\t1\n",
    "\ta: 1\n",
    "a: 1\t\nb:\t\t2\n",
    "a:\n\t- 1\n",
    "a: 1 \t# comment\n",
    # byte order mark, line breaks
    "\ufeffa: 1\n",
    "a: \ufeff1\n",
    "a: 1\r\nb:\r\n  - x\r\n",
    "a: 1\rb: 2\r",
    "a: x\x85b: 2\n",
    "a: x\u2028y\nb: 2\n",
    # what is refused, and the order and limit of problems
    "a: &x 1\nb: *x\n",
    "a: !!python/object/apply:os.system [ls]\n",
    "a: !mijn 1\nb: !!binary aGVsbG8=\nc: &d 2\n",
    "".join(f"k{i}: &a{i} 1\n" for i in range(30)),
    "a: " + "[" * 40 + "]" * 40 + "\n",
    "[" * 31 + "]" * 31 + "\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n---\nb: &x 2\n",
    "a: 1\n...\nb: 2\n",
    "a: 2026-02-30\nb: 2026-13-01\nc: &x 1\n",
    # syntax errors
    "title: Let op: mini\n",
    "a:\n  b: 1\n c: 2\n",
    "a: [1, 2\n",
    "a: {b: 1\n",
    "a: 'open\n",
    "- a\nb: 1\n",
    "a: b\n  c: d\n",
    "%YAML 1.2\n%YAML 1.2\n---\na: 1\n",
    "%YAML 2.0\n---\na: 1\n",
    "!<x> a: 1\n",
    "a: !e!x 1\n",
    # tags that stay plain, directives, merge keys
    "a: !!str 12\nb: !!int '12'\nc: !!float 3\nd: !!bool yes\ne: !!null x\nf: ! 12\n",
    "a: !!timestamp 2026-01-01\nb: !!timestamp foo\n",
    "a: !!map foo\n",
    "a: !!seq {b: 1}\n",
    "a: !!map [1]\n",
    "!!str a: 1\na: 2\n",
    "!!int 1: a\n",
    "a: !!str\nb: 1\n- !!str\n",
    "- !!str\n- a\n",
    "%YAML 1.1\n---\na: yes\nb: 017\nc: 1:20\nd: 1:30.5\ne: 1e3\n",
    "%YAML 1.2\n---\na: yes\nb: 017\n",
    "%TAG !e! tag:yaml.org,2002:\n---\na: !e!int '3'\nb: !e!str x\n",
    "a: !<tag:yaml.org,2002:str> 5\n",
    "<<: {a: 1}\nb: 2\n",
    "b: 2\n<<: [{a: 1}, {c: 3}]\n",
    "a: 1\n<<: {a: 2, b: 3}\n",
    "<<: {a: {x: 1}}\n<<: {b: 2}\n",
    "<<: 3\n",
    "<<: [1]\n",
    "x:\n  <<: {a: 1, b: '<<'}\n  c: 2\n",
    "a: <<\nb: =\n=: 1\n",
    "- =\n- <<\n",
    "? [<<, =]\n: 1\n",
    "? [!!str a]\n: 1\n",
    "a: [x, =, !!str y]\na: 1\n",
    "a: {b: !!str x}\na: 1\n",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_snippet__same_data_positions_and_problems_as_two_passes(text):
    assert outcome(read_yaml_text, text) == outcome(reference_read, text)


def test_snippets__cover_data_and_problems():
    kinds = [outcome(read_yaml_text, text)[0] for text in SNIPPETS]
    assert kinds.count("ok") > 40 and kinds.count("error") > 40


def test_block_scalar_key__plain_text():
    # The two-pass reader kept such a key as ruamel's LiteralScalarString; now it is a str.
    data = read_yaml_text("? |\n  x\n: 1\n", "f.yaml")
    assert [type(key) for key in data] == [str]
    assert data == {"x\n": 1} and str(data.key_positions["x\n"]) == "f.yaml:1:3"


def test_bytes_with_a_byte_order_mark__same_as_two_passes():
    raw = b"\xef\xbb\xbfid: x\nversion: 1\n"
    assert outcome(read_yaml_text, raw) == outcome(reference_read, raw)
    assert read_yaml_text(raw, "f.yaml") == {"id": "x", "version": 1}


# What the two-pass reader crashed on (a traceback, a 500 in the studio) is now a problem.
FORMER_CRASHES = [
    ("a: !!bool foo\n", 'f.yaml:1:4: error: invalid YAML: failed to construct bool from "foo"'),
    ("a: !!int foo\n", 'f.yaml:1:4: error: invalid YAML: failed to construct int from "foo"'),
    ("a: !!float x\n", 'f.yaml:1:4: error: invalid YAML: failed to construct float from "x"'),
    ("a: !!int\n", 'f.yaml:1:4: error: invalid YAML: failed to construct int from ""'),
    ("- 1\n- !!int\n", 'f.yaml:2:3: error: invalid YAML: failed to construct int from ""'),
    ("a: 0b_\n", 'f.yaml:1:4: error: invalid YAML: failed to construct int from "0b_"'),
    ("a: 0x_\n", 'f.yaml:1:4: error: invalid YAML: failed to construct int from "0x_"'),
    ("a: -_\n", 'f.yaml:1:4: error: invalid YAML: failed to construct int from "-_"'),
    ("a: ._\n", 'f.yaml:1:4: error: invalid YAML: failed to construct float from "._"'),
    (
        "a: 2026-01-01 10:00:00+25:00\n",
        "f.yaml:1:4: error: invalid YAML: failed to construct timestamp from "
        '"2026-01-01 10:00:00+25:00"',
    ),
    (
        "a: !!str [1]\n",
        "f.yaml:1:4: error: invalid YAML: expected a scalar node, but found sequence",
    ),
    ("? [a, [b]]\n: 1\n", "f.yaml:1:3: error: invalid YAML: found unhashable key"),
    (
        "%YAML 1.0\n---\na: 1\n",
        "f.yaml:1:1: error: invalid YAML: this %YAML version is not supported",
    ),
    (
        "# versie\n%YAML 1.3\n---\na: 1\n",
        "f.yaml:2:1: error: invalid YAML: this %YAML version is not supported",
    ),
]


@pytest.mark.parametrize(("text", "problem"), FORMER_CRASHES)
def test_former_crash__now_a_located_problem(text, problem):
    with pytest.raises(Exception) as crashed:
        reference_read(text, "f.yaml")
    assert not isinstance(crashed.value, QuestionnaireError)
    with pytest.raises(QuestionnaireError) as info:
        read_yaml_text(text, "f.yaml")
    assert [str(p).split(" (")[0] for p in info.value.problems] == [problem]


def test_merged_mapping_with_a_list__read_with_positions():
    # The two-pass reader crashed on a merged value that is itself a collection.
    data = read_yaml_text("x: 1\n<<: {a: [1, 2], b: {c: 3}}\n", "f.yaml")
    assert data == {"x": 1, "a": [1, 2], "b": {"c": 3}}
    assert str(data.key_positions["a"]) == "f.yaml:1:1"  # a merged key has no place of its own
    assert str(data["b"].key_positions["c"]) == "f.yaml:2:21"


def test_read__parses_the_text_once(monkeypatch):
    parses = []
    original = ruamel.yaml.parser.Parser.parse_stream_start

    def counted(self):
        parses.append(type(self).__name__)
        return original(self)

    class CountedCParser(yaml.CSafeLoader):
        def __init__(self, stream):
            parses.append("CParser")
            super().__init__(stream)

    monkeypatch.setattr(ruamel.yaml.parser.Parser, "parse_stream_start", counted)
    monkeypatch.setattr(libyaml_reader.yaml, "CSafeLoader", CountedCParser)
    raw = (QUESTIONNAIRES / "voorbeeld.yaml").read_bytes()
    read_yaml_text(raw, "voorbeeld.yaml")
    assert parses == ["CParser"]  # a clean file: libyaml's C parser only
    parses.clear()
    read_yaml_text(raw.replace(b"\n", b"\r\n"), "voorbeeld.yaml")
    assert parses == ["Parser"]  # \r\n line ends: the full reader only, without a C parse
    parses.clear()
    reference_read(raw, "voorbeeld.yaml")
    assert parses == ["Parser", "RoundTripParser"]  # what the two passes did


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: 'x'\nc: [1, {d: e}]\n",
        "a: 1\na: 2\n",  # duplicate key
        "a: &x 1\n",  # anchor
        "a: 0x1F\n",  # a number the fast path leaves to the full reader
        "a: 2026-02-30\n",  # not a real date
        "a:\n  - \n",  # an empty value
        "%YAML 1.1\n---\na: 010\n",
        'a: ["q":x]\n',  # libyaml takes it, YAML 1.2 refuses it
        "1: a\n",  # a key that is not text
    ],
)
def test_fast_path__gives_what_the_full_reader_gives(text):
    assert outcome(read_yaml_text, text) == outcome(reference_read, text)


def test_fast_path__reads_a_clean_file_and_leaves_the_rest(monkeypatch):
    clean = "a: 1\nb: no\nc: 010\nd: 1:30\ne: 2026-12-01\nf: [x, {g: 'h'}]\n"
    data = libyaml_reader.read_clean(clean, "f.yaml", 30, 50_000)
    assert data == {
        "a": 1,
        "b": "no",  # YAML 1.2: text, not false
        "c": 10,  # not octal
        "d": "1:30",  # not base 60
        "e": dt.date(2026, 12, 1),
        "f": ["x", {"g": "h"}],
    }
    assert str(data["f"][1].key_positions["g"]) == "f.yaml:6:9"
    for text in ("a: 1\na: 2\n", "a: *x\n", "a: !!str 1\n", "a:\tb\n", "a: [" * 40 + "\n"):
        assert libyaml_reader.read_clean(text, "f.yaml", 30, 50_000) is None


WORDS = ["a", "b", "1", "1.0", "true", "~", "", "<<", "=", "0o17", "0x1F", "1_000", "017", "-0"]
WORDS += ["2026-01-01", "2026-02-30", "2026-01-01 10:00:00", ".inf", ".nan", "1e3", "yes", "1:20"]
WORDS += ["'q'", '"1"', "!!str x", "!!int 3", "! 5", "!!float 2", "!!null n", "x y", "&a b", "*a"]
KEYS = ["a", "b", "1", "true", "~", "<<", "=", "!!str a", "1.0", "'a'", "2026-01-01", "[a, b]"]


def flow(depth: int) -> st.SearchStrategy[str]:
    scalar = st.sampled_from(WORDS)
    if depth > 2:
        return scalar
    inner = flow(depth + 1)
    return st.one_of(
        scalar,
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(st.tuples(inner, inner), max_size=3).map(
            lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
        ),
    )


def block(depth: int, indent: int) -> st.SearchStrategy[str]:
    value = flow(0).map(lambda text: " " + text)
    if depth > 2:
        return value
    pad = " " * indent
    child = block(depth + 1, indent + 2)
    sequence = st.lists(child, min_size=1, max_size=3).map(
        lambda items: "".join(f"\n{pad}-{item}" for item in items)
    )
    mapping = st.lists(st.tuples(st.sampled_from(KEYS), child), min_size=1, max_size=4).map(
        lambda pairs: "".join(f"\n{pad}{key}:{item}" for key, item in pairs)
    )
    return st.one_of(value, sequence, mapping)


DOCUMENTS = st.tuples(st.sampled_from(["", "%YAML 1.1\n---\n", "---\n"]), block(0, 0)).map(
    lambda parts: parts[0] + parts[1].lstrip("\n") + "\n"
)


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(DOCUMENTS)
def test_fuzz__random_documents__same_as_two_passes(text):
    try:
        expected = outcome(reference_read, text)
    except Exception:  # the two-pass reader crashed: read or refused now, never a crash
        outcome(read_yaml_text, text)
        return
    assert outcome(read_yaml_text, text) == expected
