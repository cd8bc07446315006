"""Fuzz the loader: any input gives a Questionnaire or a located QuestionnaireError."""

from __future__ import annotations

import copy
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loader_samples import MINI, REGISTRY
from ruamel.yaml import YAML

from scan.questionnaire import (
    Questionnaire,
    QuestionnaireError,
    load_catalog,
    load_questionnaire,
    load_questionnaire_text,
)
from scan.questionnaire.yamlsource import read_yaml_text
from scan.scoring import score

FUZZ = settings(  # FUZZ_EXAMPLES=5000 for a longer hunt
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

OVERLAY = """\
id: mini_tak
version: 1
extends: {id: mini, version: 1}
title: Tak
add:
  themes: [{id: digitaal, title: Digitaal, description: D.}]
  questions:
    - {after: hek, id: wachtwoord, theme: digitaal, text: T?, help: H., type: yes_no,
       good_answer: ja}
  rules:
    - {id: ww, when: wachtwoord == 'nee', theme: digitaal, priority: high,
       advice: {title: T, explanation: E., steps: [S.]}}
  referrals: [ccv]
replace:
  themes: [{id: fysiek, title: F, description: D., weight: 3}]
remove:
  rules: [kennis_leren]
  questions: [kennis, mensen]
"""

# Words the loader gives meaning to, so random structures reach the deeper checks.
KEYS = [
    "id",
    "version",
    "title",
    "sector",
    "language",
    "introduction",
    "duration_minutes",
    "themes",
    "questions",
    "rules",
    "risk_levels",
    "referrals",
    "examples",
    "extends",
    "add",
    "replace",
    "remove",
    "after",
    "theme",
    "text",
    "help",
    "type",
    "options",
    "value",
    "label",
    "score",
    "good_answer",
    "scale",
    "number",
    "min",
    "max",
    "show_if",
    "when",
    "priority",
    "advice",
    "steps",
    "red_flag",
    "weight",
    "explanation",
    "answers",
    "expect",
    "name",
]
WORDS = [
    "mini",
    "hek",
    "sloten",
    "kennis",
    "benaderd",
    "fysiek",
    "signalen",
    "yes_no",
    "scale",
    "single_choice",
    "multiple_choice",
    "number",
    "text",
    "ja",
    "nee",
    "weet_niet",
    "urgent",
    "hek == 'nee'",
    "kennis > 2",
    "'a' in sloten",
    "politie",
    "meld_misdaad_anoniem",
    "",
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A folder with only the registry: loading a text then parses nothing else."""
    path = tmp_path_factory.mktemp("fuzz")
    (path / "referrals.yaml").write_text(REGISTRY.read_text())
    return path


@pytest.fixture(scope="module")
def catalog(folder):
    return load_catalog(folder)


@pytest.fixture(scope="module")
def base_catalog(tmp_path_factory):
    """A catalog with the sample base, for overlays to extend."""
    path = tmp_path_factory.mktemp("fuzz_base")
    (path / "referrals.yaml").write_text(REGISTRY.read_text())
    (path / "mini.yaml").write_text(MINI)
    catalog = load_catalog(path)
    assert catalog.problems == []
    return catalog


YAML_LINE_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
EXOTIC_BREAKS = re.compile("[\x85\u2028\u2029]")


def check_outcome(load, texts: dict[str, str] | None = None) -> Questionnaire | None:
    """Run a load; it must return a questionnaire or raise QuestionnaireError with positions.

    texts maps file names to their text: a position in one of them must lie inside it.
    """
    try:
        q = load()
    except QuestionnaireError as exc:
        assert exc.problems, "an error without problems"
        for problem in exc.problems + exc.warnings:
            assert problem.message
            assert problem.position is not None, str(problem)
            assert problem.position.line >= 1 and problem.position.column >= 1, str(problem)
            assert str(problem).startswith(f"{problem.position}: {problem.severity}: ")
            text = (texts or {}).get(Path(problem.position.file).name)
            if text is not None:
                lines = YAML_LINE_BREAKS.split(text)
                # A mark may sit just past the end (e.g. an unclosed bracket at end of file).
                assert problem.position.line <= len(lines) + 1, str(problem)
                # NEL and the Unicode separators may or may not break a line (YAML 1.1 vs 1.2
                # rules, inside quotes or not), so the column is checked only without them.
                if problem.position.line <= len(lines) and not EXOTIC_BREAKS.search(text):
                    line = lines[problem.position.line - 1]
                    assert problem.position.column <= len(line) + 1, str(problem)
        return None
    assert isinstance(q, Questionnaire)
    score(q, {})  # a questionnaire that loads can always be scored
    return q


def load_text(text: str, catalog) -> Questionnaire | None:
    texts = {"fuzz.yaml": text, "mini.yaml": MINI}
    return check_outcome(lambda: load_questionnaire_text(text, "fuzz.yaml", catalog), texts)


def dump(data: Any) -> str:
    stream = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(data, stream)
    return stream.getvalue()


def parse(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def test_samples__load_as_they_are(catalog, base_catalog):
    assert load_text(MINI, catalog) is not None
    assert load_text(OVERLAY, base_catalog) is not None
    assert load_text(dump(parse(MINI)), catalog) is not None  # dumping keeps it valid
    assert load_text(dump(parse(OVERLAY)), base_catalog) is not None


@FUZZ
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=300).map(str.encode)))
def test_fuzz__random_bytes__loaded_or_refused_with_positions(catalog, data):
    try:
        read_yaml_text(data, "bytes.yaml")
    except QuestionnaireError as exc:
        assert all(p.position.line >= 1 and p.position.column >= 1 for p in exc.problems)
        return
    load_text(data.decode("utf-8"), catalog)


def test_load__bytes_file__same_as_text(folder):
    path = folder / "bytes.yaml"
    path.write_bytes(b"id: x\x00\n")
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(path, folder)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:1:6: error: character 0x0000 is not allowed in YAML "
        "(remove it; save the file as plain UTF-8 text)"
    ]


YAMLISH = st.lists(
    st.sampled_from([*"abz019 :-_[]{},#&*!|>'\"\n\t%@`?~.=<\\", *KEYS, *WORDS, "\n  ", ": "]),
    max_size=120,
).map("".join)


@FUZZ
@given(st.one_of(st.text(max_size=1000), YAMLISH))
def test_fuzz__random_text__loaded_or_refused_with_positions(catalog, text):
    load_text(text, catalog)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(WORDS + KEYS),
    st.text(max_size=30),
    st.dates(),
)
STRUCTURES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=10)), children, max_size=6
        ),
    ),
    max_leaves=40,
)


@pytest.mark.slow
@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), STRUCTURES, max_size=12))
def test_fuzz__random_structures__loaded_or_refused_with_positions(catalog, data):
    load_text(dump(data), catalog)


@FUZZ
@given(STRUCTURES)
def test_fuzz__random_json__loaded_or_refused_with_positions(catalog, data):
    load_text(json.dumps(data, default=str), catalog)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into plain data (the root excluded)."""
    found = []
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        found.append((*prefix, key))
        found.extend(_paths(value, (*prefix, key)))
    return found


def _parent(data: Any, path: tuple) -> Any:
    for step in path[:-1]:
        data = data[step]
    return data


PARSED = {}


@st.composite
def mutated(draw, text: str) -> str:
    """A sample with one to three structural mutations: delete, retype, duplicate, rename."""
    if text not in PARSED:
        PARSED[text] = parse(text)
    data = copy.deepcopy(PARSED[text])
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        parent, key = _parent(data, path), path[-1]
        action = draw(st.sampled_from(["delete", "retype", "duplicate", "word", "rename"]))
        if action == "delete":
            del parent[key]
        elif action == "retype":
            parent[key] = draw(STRUCTURES)
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif action == "duplicate" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = copy.deepcopy(parent[key])
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = parent.pop(key)
        else:
            parent[key] = draw(st.sampled_from(WORDS))
    return dump(data)


@pytest.mark.slow
@FUZZ
@given(mutated(MINI))
def test_fuzz__mutated_questionnaire__loaded_or_refused_with_positions(catalog, text):
    load_text(text, catalog)


@FUZZ
@given(mutated(OVERLAY))
def test_fuzz__mutated_overlay__loaded_or_refused_with_positions(base_catalog, text):
    load_text(text, base_catalog)


@st.composite
def edited(draw, text: str) -> str:
    """A sample with a few raw text edits: a line dropped or doubled, characters typed in."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "double", "type", "indent"]))
        if action == "drop" and len(lines) > 1:
            del lines[index]
        elif action == "double":
            lines.insert(index, lines[index])
        elif action == "indent":
            lines[index] = " " * draw(st.integers(1, 3)) + lines[index]
        else:
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            typed = draw(st.text(alphabet=":-[]{},#&*!'\" x1", min_size=1, max_size=3))
            lines[index] = line[:at] + typed + line[at:]
    return "".join(lines)


@FUZZ
@given(edited(MINI))
def test_fuzz__edited_text__loaded_or_refused_with_positions(catalog, text):
    load_text(text, catalog)
