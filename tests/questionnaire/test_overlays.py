"""Overlays: add, replace and remove on a base; merged result checked like a standalone file."""

from __future__ import annotations

from pathlib import Path

import pytest
from loader_samples import MINI, QUESTIONNAIRES, TEMPLATE, line_of, mutate

from scan.questionnaire import (
    QuestionnaireError,
    load_catalog,
    load_questionnaire,
    validate_paths,
)
from scan.questionnaire import readability as rd
from scan.questionnaire.loader import MAX_OVERLAY_DEPTH, questionnaire_paths
from scan.scoring import score
from scan.studio.examples import run_examples

BASE = MINI + "referrals: [politie, pvo_regionaal]\n"

OVERLAY = """\
id: mini_tak
version: 1
extends: {id: mini, version: 1}
title: Mini voor de tak
sector: Tak
add:
  themes:
    - {id: digitaal, title: Digitaal, description: Computers en gegevens.}
  questions:
    - after: hek
      id: camera
      theme: fysiek
      text: Heeft u camera's?
      help: Camera's schrikken af.
      type: yes_no
      good_answer: ja
    - id: wachtwoord
      theme: digitaal
      text: Gebruikt u sterke wachtwoorden?
      help: Zwakke wachtwoorden zijn een open deur.
      type: yes_no
      good_answer: ja
  rules:
    - id: wachtwoord_maken
      when: wachtwoord == 'nee' or camera == 'nee'
      theme: digitaal
      priority: high
      advice: {title: Maak sterke wachtwoorden, explanation: Dat helpt., steps: [Doe het.]}
  referrals: [ccv]
replace:
  themes:
    - {id: fysiek, title: Gebouw, description: Gebouw en terrein., weight: 5}
  questions:
    - id: sloten
      theme: fysiek
      text: Hoe zijn uw sloten?
      help: Goede sloten helpen.
      type: single_choice
      options:
        - {value: goed, label: Goed, score: 100}
        - {value: matig, label: Matig, score: 50}
        - {value: slecht, label: Slecht, score: 0}
  rules:
    - id: hek_maken
      when: hek == 'nee' or sloten in ['matig', 'slecht']
      theme: fysiek
      priority: high
      advice: {title: Plaats een hek, explanation: Een hek helpt., steps: [Bel een bouwer.]}
  risk_levels:
    - {id: laag, label: Laag, min: 0, max: 40, explanation: Let op.}
    - {id: midden, label: Midden, min: 40, max: 80, explanation: Bijna.}
    - {id: hoog, label: Hoog, min: 80, max: 100, explanation: Goed.}
remove:
  rules: [kennis_leren]
  questions: [kennis, mensen]
  referrals: [pvo_regionaal]
examples:
  - name: zwak
    answers: {hek: nee, camera: nee, sloten: matig, wachtwoord: nee, benaderd: nee}
    expect:
      risk_level: laag
      theme_scores: {digitaal: [0, 0], signalen: [100, 100]}
      fired: [hek_maken, wachtwoord_maken]
      not_fired: [benaderd_melden]
"""


@pytest.fixture
def write_base(write_questionnaire):
    """Write the base questionnaire (mini@1) and return a writer for overlays beside it."""
    write_questionnaire(BASE, "mini.yaml")

    def write(text: str, name: str = "tak.yaml", base: str | None = None) -> Path:
        if base is not None:
            write_questionnaire(base, "mini.yaml")
        return write_questionnaire(text, name)

    return write


def load(path: Path):
    return load_questionnaire(path, path.parent)


def errors_of(path: Path) -> list:
    with pytest.raises(QuestionnaireError) as info:
        load(path)
    assert info.value.problems
    return info.value.problems


def test_overlay__add_replace_remove__merged_in_place(write_base):
    q = load(write_base(OVERLAY))
    assert (q.id, q.version, q.title, q.sector) == ("mini_tak", 1, "Mini voor de tak", "Tak")
    assert q.introduction == "Een korte test."  # inherited
    assert [t.id for t in q.themes] == ["fysiek", "signalen", "digitaal"]
    assert (q.theme("fysiek").title, q.theme("fysiek").weight) == ("Gebouw", 5)
    assert [x.id for x in q.questions] == ["hek", "camera", "sloten", "benaderd", "wachtwoord"]
    assert [o.value for o in q.question("sloten").options] == ["goed", "matig", "slecht"]
    assert [r.id for r in q.rules] == ["hek_maken", "benaderd_melden", "wachtwoord_maken"]
    assert next(r for r in q.rules if r.id == "hek_maken").priority == "high"
    assert [r.id for r in q.risk_levels] == ["laag", "midden", "hoog"]
    assert q.referrals == ["politie", "ccv"]
    assert [e.name for e in q.examples] == ["zwak"]  # the base's examples are not inherited


def test_overlay__merged_result__scores_and_passes_its_examples(write_base):
    q = load(write_base(OVERLAY))
    outcomes = run_examples(q)
    assert [(o.name, o.failures) for o in outcomes] == [("zwak", [])]
    result = score(q, {"hek": "ja", "camera": "ja", "sloten": "goed", "wachtwoord": "ja"})
    assert result.overall == 100
    assert result.risk.id == "hoog"
    assert [r.id for r in result.referrals] == ["meld_misdaad_anoniem", "politie", "ccv"]


def test_overlay__valid__no_errors_and_no_warnings(write_base):
    path = write_base(OVERLAY)
    assert validate_paths([path], path.parent) == []


def test_overlay__same_as_the_standalone_file_it_stands_for(write_base, write_questionnaire):
    overlay = (
        "id: mini_tak\nversion: 1\nextends: {id: mini, version: 1}\n"
        "replace:\n  themes:\n    - {id: fysiek, title: Gebouw, description: D., weight: 5}\n"
        "remove:\n  rules: [kennis_leren]\n"
        "add:\n  rules:\n"
        "    - {id: kennis_leren, when: kennis <= 2, theme: signalen, priority: low,\n"
        "       advice: {title: Leer, explanation: Helpt., steps: [Lees.]}}\n"
    )
    standalone = (
        mutate(
            "id: mini",
            "id: mini_tak",
            "  - id: fysiek\n    title: Fysiek\n    description: Gebouw en terrein.\n    weight: 2",
            "  - {id: fysiek, title: Gebouw, description: D., weight: 5}",
            "when: kennis <= 2 and mensen > 10",
            "when: kennis <= 2",
            "      title: Leer de signalen\n      explanation: Kennis helpt.\n"
            "      steps: [Lees de folder.]",
            "      {title: Leer, explanation: Helpt., steps: [Lees.]}",
            text=MINI,
        ).split("examples:")[0]
        + "referrals: [politie, pvo_regionaal]\n"
    )
    merged = load(write_base(overlay))
    alone = load(write_questionnaire(standalone, "alone.yaml"))
    assert merged.model_dump(exclude={"examples"}) == alone.model_dump(exclude={"examples"})


# Each defect written once in an overlay and once in the standalone file it stands for: the
# merged result is validated exactly like a standalone file, so the messages are the same.
SAME_AS_STANDALONE = [
    pytest.param(
        "add:\n  questions:\n    - {after: hek, id: camera, theme: fysiek, text: T?, help: H.,\n"
        "       type: yes_no, good_answer: jaa}\n",
        (
            "    good_answer: ja\n",
            "    good_answer: ja\n  - {id: camera, theme: fysiek, text: T?, "
            "help: H., type: yes_no, good_answer: jaa}\n",
        ),
        id="bad-literal-in-added-question",
    ),
    pytest.param(
        "replace:\n  risk_levels:\n    - {id: a, label: A, min: 0, max: 40, explanation: E.}\n"
        "    - {id: b, label: B, min: 45, max: 100, explanation: E.}\n",
        (
            "  - {id: kwetsbaar, label: Kwetsbaar, min: 0, max: 50, explanation: Let op.}\n"
            "  - {id: weerbaar, label: Weerbaar, min: 50, max: 100, explanation: Goed zo.}\n",
            "  - {id: a, label: A, min: 0, max: 40, explanation: E.}\n"
            "  - {id: b, label: B, min: 45, max: 100, explanation: E.}\n",
        ),
        id="risk-level-gap",
    ),
    pytest.param(
        "add:\n  rules:\n    - {id: vlag, when: hek == 'nee', theme: fysiek, priority: low,\n"
        "       red_flag: true, advice: {title: T, explanation: E., steps: [S.]}}\n",
        (
            "risk_levels:\n",
            "  - {id: vlag, when: hek == 'nee', theme: fysiek, priority: low, "
            "red_flag: true, advice: {title: T, explanation: E., steps: [S.]}}\nrisk_levels:\n",
        ),
        id="red-flag-not-urgent",
    ),
    pytest.param(
        "add:\n  questions:\n    - {id: later, theme: fysiek, text: T?, help: H., type: text,\n"
        "       show_if: benadert == 'ja'}\n",
        (
            "rules:\n",
            "  - {id: later, theme: fysiek, text: T?, help: H., type: text, "
            "show_if: benadert == 'ja'}\nrules:\n",
        ),
        id="unknown-question-in-show-if",
    ),
    pytest.param(
        "replace:\n  themes:\n    - {id: signalen, title: S, description: D., weight: 0}\n",
        (
            "    description: Signalen en melden.\n",
            "    description: Signalen en melden.\n    weight: 0\n",
        ),
        id="zero-weight",
    ),
]


@pytest.mark.parametrize(("changes", "standalone_change"), SAME_AS_STANDALONE)
def test_overlay__defect__same_message_as_in_a_standalone_file(
    changes, standalone_change, write_base, write_questionnaire
):
    overlay = "id: mini_tak\nversion: 1\nextends: {id: mini, version: 1}\n" + changes
    via_overlay = errors_of(write_base(overlay))
    alone = mutate(*standalone_change, text=BASE).replace("id: mini\n", "id: mini_tak\n", 1)
    standalone = errors_of(write_questionnaire(alone, "alone.yaml"))
    assert [(p.message, p.path, p.hint) for p in via_overlay] == [
        (p.message, p.path, p.hint) for p in standalone
    ]
    # ... and the overlay's error points into the overlay, at the line that caused it.
    for problem in via_overlay:
        assert Path(problem.position.file).name == "tak.yaml"
        assert problem.position.line > 3


def test_overlay__error_in_added_question__points_into_the_overlay(write_base):
    text = mutate(
        "      type: yes_no\n      good_answer: ja\n    - id: wachtwoord",
        "      type: yes_no\n      good_answer: jaa\n    - id: wachtwoord",
        text=OVERLAY,
    )
    (problem,) = errors_of(write_base(text))
    assert Path(problem.position.file).name == "tak.yaml"
    assert (problem.position.line, problem.position.column) == (line_of(text, "jaa"), 20)
    assert problem.path == "questions[1].good_answer"
    assert problem.message == "'jaa' is not allowed here"


def test_overlay__missing_key_in_added_question__points_at_the_item_in_the_overlay(write_base):
    text = mutate("      help: Camera's schrikken af.\n", "", text=OVERLAY)
    (problem,) = errors_of(write_base(text))
    assert Path(problem.position.file).name == "tak.yaml"
    assert problem.position.line == line_of(text, "after: hek")
    assert (problem.message, problem.path) == ("'help' is missing", "questions[1]")


def test_overlay__type_change_breaks_untouched_base_rule__error_in_the_base_file(write_base):
    overlay = (
        "id: mini_tak\nversion: 1\nextends: {id: mini, version: 1}\nreplace:\n  questions:\n"
        "    - {id: hek, theme: fysiek, text: Hoeveel hekken?, help: H., type: number,\n"
        "       number: {min: 0, max: 10}}\n"
    )
    (problem,) = errors_of(write_base(overlay))
    assert Path(problem.position.file).name == "mini.yaml"
    assert problem.position.line == line_of(BASE, "when: hek == 'nee'")
    assert problem.path == "rules[0].when"
    assert problem.message == "question 'hek' is answered with a number, not text"


def test_overlay__removes_question_a_base_rule_uses__clear_error_in_the_base_rule(write_base):
    overlay = (
        "id: mini_tak\nversion: 1\nextends: {id: mini, version: 1}\n"
        "remove:\n  questions: [benaderd]\n"
    )
    path = write_base(overlay)
    (problem,) = errors_of(path)
    assert Path(problem.position.file).name == "mini.yaml"
    assert (problem.position.line, problem.position.column) == (
        line_of(BASE, "when: benaderd == 'ja'"),
        11,
    )
    assert problem.path == "rules[1].when"
    assert problem.message == "uses question 'benaderd', which the overlay removes"
    assert problem.hint == (
        f"remove or replace this rule in the overlay too; it is removed at {path}:5:15"
    )


def test_overlay__removes_theme_still_in_use__clear_error_at_each_user(write_base):
    overlay = (
        "id: mini_tak\nversion: 1\nextends: {id: mini, version: 1}\n"
        "remove:\n  themes: [signalen]\n  questions: [kennis, mensen]\n"
        "  rules: [kennis_leren]\n"
    )
    problems = errors_of(write_base(overlay))
    assert [(p.path, p.message) for p in problems] == [
        (
            "questions[2].theme",
            "theme 'signalen' is removed by the overlay, but this question still uses it",
        ),
        (
            "rules[1].theme",
            "theme 'signalen' is removed by the overlay, but this rule still uses it",
        ),
    ]
    assert all(Path(p.position.file).name == "mini.yaml" for p in problems)
    assert all("it is removed at" in p.hint and "tak.yaml:5:12" in p.hint for p in problems)


def test_overlay__removes_theme_with_everything_in_it__loads(write_base):
    overlay = (
        "id: mini_tak\nversion: 1\nextends: {id: mini, version: 1}\n"
        "remove:\n  themes: [signalen]\n  questions: [kennis, mensen, benaderd]\n"
        "  rules: [kennis_leren, benaderd_melden]\n"
    )
    q = load(write_base(overlay))
    assert [t.id for t in q.themes] == ["fysiek"]
    assert [x.id for x in q.questions] == ["hek", "sloten"]


@pytest.mark.parametrize(
    ("extends", "hint"),
    [
        ("{id: minni, version: 1}", "did you mean 'mini@1'?"),
        ("{id: mini, version: 2}", "did you mean 'mini@1'?"),
        ("{id: iets_anders, version: 7}", "check the id and version of the base questionnaire"),
    ],
    ids=["id-typo", "unknown-version", "nothing-alike"],
)
def test_overlay__unknown_base__did_you_mean(extends, hint, write_base):
    ref = extends.strip("{}").replace("id: ", "").replace(" version: ", "")
    name, version = ref.split(",")
    (problem,) = errors_of(write_base(f"id: mini_tak\nversion: 1\nextends: {extends}\n"))
    assert problem.message == f"extends '{name}' version {version}, which is not found"
    assert problem.hint == hint
    assert (problem.position.line, problem.position.column, problem.path) == (3, 10, "extends")


@pytest.mark.parametrize(
    ("section", "change", "marker", "message", "hint"),
    [
        (
            "remove",
            "remove:\n  questions: [benaderdd]\n",
            "benaderdd",
            "the base has no question 'benaderdd'",
            "did you mean 'benaderd'?",
        ),
        (
            "remove",
            "remove:\n  rules: [hek_make]\n",
            "hek_make",
            "the base has no rule 'hek_make'",
            "did you mean 'hek_maken'?",
        ),
        (
            "remove",
            "remove:\n  themes: [sigalen]\n",
            "sigalen",
            "the base has no theme 'sigalen'",
            "did you mean 'signalen'?",
        ),
        (
            "remove",
            "remove:\n  referrals: [politi]\n",
            "politi",
            "the base has no referral 'politi'",
            "did you mean 'politie'?",
        ),
        (
            "replace",
            "replace:\n  themes:\n    - {id: fisiek, title: F, description: D.}\n",
            "fisiek",
            "the base has no theme 'fisiek'",
            "did you mean 'fysiek'?",
        ),
        (
            "replace",
            "replace:\n  rules:\n    - {id: benaderd_meld, when: x, theme: y}\n",
            "benaderd_meld",
            "the base has no rule 'benaderd_meld'",
            "did you mean 'benaderd_melden'?",
        ),
        (
            "replace",
            "replace:\n  questions:\n    - {text: Zonder id?, theme: fysiek}\n",
            "Zonder id",
            "'id' is missing",
            "replace finds the item to replace by its id; add 'id:'",
        ),
        (
            "add",
            "add:\n  questions:\n    - {after: sloot, id: x, theme: fysiek}\n",
            "sloot",
            "the base has no question 'sloot'",
            "did you mean 'sloten'?",
        ),
    ],
    ids=[
        "remove-question",
        "remove-rule",
        "remove-theme",
        "remove-referral",
        "replace-theme",
        "replace-rule",
        "replace-without-id",
        "add-after",
    ],
)
def test_overlay__unknown_base_item__did_you_mean(
    section, change, marker, message, hint, write_base
):
    text = "id: mini_tak\nversion: 1\nextends: {id: mini, version: 1}\n" + change
    (problem,) = errors_of(write_base(text))
    assert (problem.message, problem.hint) == (message, hint)
    assert Path(problem.position.file).name == "tak.yaml"
    assert problem.position.line == line_of(text, marker)
    assert problem.path.startswith(section + ".")


@pytest.mark.parametrize(
    ("change", "marker", "path", "message", "hint"),
    [
        ("add:\n  vragen: []\n", "vragen", "add", "unknown key 'vragen'", ""),
        (
            "remove:\n  question: [x]\n",
            "question",
            "remove",
            "unknown key 'question'",
            "did you mean 'questions'?",
        ),
        ("themes: []\n", "themes", "", "unknown key 'themes'", "allowed keys: add,"),
        (
            "replace:\n  risk_levels: {a: 1}\n",
            "risk_levels",
            "replace.risk_levels",
            "Input should be a valid list",
            "",
        ),
        (
            "remove:\n  rules: hek_maken\n",
            "rules",
            "remove.rules",
            "Input should be a valid list",
            "",
        ),
    ],
    ids=[
        "add-unknown-section",
        "remove-unknown-section",
        "base-only-key",
        "risk-levels-mapping",
        "remove-not-a-list",
    ],
)
def test_overlay__malformed_overlay__refused_at_the_line(
    change, marker, path, message, hint, write_base
):
    text = "id: mini_tak\nversion: 1\nextends: {id: mini, version: 1}\n" + change
    (problem,) = errors_of(write_base(text))
    assert message in problem.message
    assert hint in problem.hint
    assert problem.path == path
    assert problem.position.line == line_of(text, marker)


@pytest.mark.parametrize("version", ["'1'", "true", "1.0"], ids=["quoted", "boolean", "float"])
def test_overlay__base_version_not_a_whole_number__refused_without_crash(version, write_base):
    text = f"id: mini_tak\nversion: 1\nextends: {{id: mini, version: {version}}}\n"
    (problem,) = errors_of(write_base(text))
    assert problem.path == "extends.version"
    assert problem.message.startswith("Input should be a valid integer")
    assert (problem.position.line, problem.position.column) == (3, 30)


def test_overlay__extends_not_a_mapping__refused(write_base):
    (problem,) = errors_of(write_base("id: mini_tak\nversion: 1\nextends: mini\n"))
    assert (problem.path, problem.position.line) == ("extends", 3)
    assert problem.message.startswith("Input should be a valid dictionary")


def test_overlay__base_has_errors__reported_in_the_base_file(write_base):
    broken = mutate("    priority: urgent", "    priority: high", text=BASE)
    path = write_base("id: mini_tak\nversion: 1\nextends: {id: mini, version: 1}\n", base=broken)
    (problem,) = errors_of(path)
    assert problem.message == "a red-flag rule must have priority 'urgent'"
    assert Path(problem.position.file).name == "mini.yaml"
    assert problem.position.line == line_of(broken, "priority: high")


def test_overlay__base_overlay_is_broken__says_so_and_shows_why(write_base):
    write_base(
        "id: midden\nversion: 1\nextends: {id: mini, version: 1}\nremove: {rules: [x]}\n",
        "midden.yaml",
    )
    path = write_base("id: top\nversion: 1\nextends: {id: midden, version: 1}\n", "top.yaml")
    first, second = errors_of(path)
    assert first.message == "the base questionnaire 'midden' has errors; fix those first"
    assert (Path(first.position.file).name, first.position.line) == ("top.yaml", 3)
    assert second.message == "the base has no rule 'x'"
    assert (Path(second.position.file).name, second.position.line) == ("midden.yaml", 4)


def test_overlay__base_is_not_yaml__says_so_and_shows_why(write_base):
    path = write_base(
        "id: mini_tak\nversion: 1\nextends: {id: mini, version: 1}\n",
        base="id: mini\nversion: 1\ntitle: [\n",
    )
    problems = errors_of(path)
    # A base that cannot be parsed has no id to be found by, so the overlay misses its base.
    assert problems[0].message == "extends 'mini' version 1, which is not found"


def test_overlay__chain__each_overlay_applies_on_the_previous(write_base):
    write_base(OVERLAY)
    second = (
        "id: mini_tak_regio\nversion: 2\nextends: {id: mini_tak, version: 1}\n"
        "title: Mini voor de regio\n"
        "add:\n  questions:\n"
        "    - {after: camera, id: licht, theme: fysiek, text: Licht?, help: H., type: text}\n"
        "remove:\n  rules: [wachtwoord_maken]\n  questions: [wachtwoord]\n"
        "  themes: [digitaal]\n"
        "replace:\n  themes:\n    - {id: signalen, title: Melden, description: D., weight: 3}\n"
    )
    q = load(write_base(second, "regio.yaml"))
    assert (q.id, q.version, q.title, q.sector) == (
        "mini_tak_regio",
        2,
        "Mini voor de regio",
        "Tak",
    )
    assert [t.id for t in q.themes] == ["fysiek", "signalen"]
    assert [(t.id, t.weight) for t in q.themes] == [("fysiek", 5), ("signalen", 3)]
    assert [x.id for x in q.questions] == ["hek", "camera", "licht", "sloten", "benaderd"]
    assert [r.id for r in q.rules] == ["hek_maken", "benaderd_melden"]
    assert q.examples == []


def test_overlay__chain__removal_in_the_middle_blamed_on_the_middle_file(write_base):
    write_base(OVERLAY)
    second = (
        "id: mini_tak_regio\nversion: 1\nextends: {id: mini_tak, version: 1}\n"
        "add:\n  rules:\n"
        "    - {id: kennis, when: kennis <= 2, theme: signalen, priority: low,\n"
        "       advice: {title: T, explanation: E., steps: [S.]}}\n"
    )
    path = write_base(second, "regio.yaml")
    (problem,) = errors_of(path)
    assert problem.message == "uses question 'kennis', which the overlay removes"
    assert Path(problem.position.file).name == "regio.yaml"
    removed_at = f"{path.parent / 'tak.yaml'}:{line_of(OVERLAY, 'questions: [kennis')}:15"
    assert problem.hint.endswith(f"it is removed at {removed_at}")


def test_overlay__circle__refused_once_at_the_file(write_base):
    write_base("id: b\nversion: 1\nextends: {id: c, version: 1}\n", "b.yaml")
    path = write_base("id: c\nversion: 1\nextends: {id: b, version: 1}\n", "c.yaml")
    (problem,) = errors_of(path)
    assert problem.message == "overlays extend each other in a circle: c@1 -> b@1 -> c@1"
    assert (Path(problem.position.file).name, problem.position.line) == ("c.yaml", 3)
    assert "without 'extends'" in problem.hint


def test_overlay__extends_itself__refused(write_base):
    (problem,) = errors_of(write_base("id: zelf\nversion: 1\nextends: {id: zelf, version: 1}\n"))
    assert problem.message == "an overlay cannot extend itself"
    assert (problem.position.line, problem.path) == (3, "extends")


def test_overlay__chain_too_long__refused_at_the_top_only(write_base):
    previous = "mini"
    paths = []
    for n in range(1, MAX_OVERLAY_DEPTH + 2):
        text = f"id: laag_{n}\nversion: 1\nextends: {{id: {previous}, version: 1}}\n"
        paths.append(write_base(text, f"laag_{n}.yaml"))
        previous = f"laag_{n}"
    for path in paths[:MAX_OVERLAY_DEPTH]:
        assert load(path).questions  # up to the limit every layer loads
    (problem,) = errors_of(paths[-1])
    assert problem.message.startswith(f"more than {MAX_OVERLAY_DEPTH} overlays on top of each")
    assert Path(problem.position.file).name == f"laag_{MAX_OVERLAY_DEPTH + 1}.yaml"


def test_catalog__overlay_beside_its_base__both_loaded(write_base):
    path = write_base(OVERLAY)
    catalog = load_catalog(path.parent)
    assert catalog.problems == []
    assert sorted(catalog.versions) == [("mini", 1), ("mini_tak", 1)]
    assert catalog.get("mini_tak").source == str(path)


def test_template__branch_overlay__valid_without_warnings():
    assert validate_paths([TEMPLATE], QUESTIONNAIRES) == []


@pytest.fixture(scope="module")
def template():
    """The shipped branch template, loaded once (the shipped folder is slow to parse)."""
    return load_questionnaire(TEMPLATE, QUESTIONNAIRES)


def test_template__branch_overlay__every_example_passes(template):
    assert (template.id, template.version) == ("voorbeeld_branche", 1)
    outcomes = run_examples(template)
    assert len(outcomes) >= 2
    assert [(o.name, o.failures) for o in outcomes if o.failures] == []


def test_template__branch_overlay__uses_every_kind_of_change(template, catalog):
    base, q = catalog.get("voorbeeld", 1), template
    assert {t.id for t in q.themes} > {t.id for t in base.themes}  # a theme added
    assert {x.id for x in q.questions} > {x.id for x in base.questions}  # questions added
    assert {(t.id, t.weight) for t in q.themes if t.id in base.compiled.themes} != {
        (t.id, t.weight) for t in base.themes
    }  # a weight replaced
    assert {r.id for r in base.rules} - {r.id for r in q.rules}  # a rule removed
    assert set(q.referrals) > set(base.referrals)  # a referral added


def test_template__not_in_the_app_catalog():
    assert TEMPLATE not in questionnaire_paths(QUESTIONNAIRES)


def test_template__branch_overlay__texts_at_b1_level(template):
    texts = list(rd.questionnaire_texts(template))
    assert [str(p) for p in rd.check_texts(texts)] == []
    assert [str(p) for p in rd.unexplained_jargon(texts)] == []
    assert rd.overall(texts).flesch_douma >= rd.MIN_OVERALL_SCORE


def test_overlay__removes_question_a_later_show_if_uses__error_at_that_question(write_base):
    base = mutate(
        "    good_answer: nee\n", "    good_answer: nee\n    show_if: hek == 'ja'\n", text=BASE
    )
    overlay = "id: mini_tak\nversion: 1\nextends: {id: mini, version: 1}\n" + (
        "remove:\n  questions: [hek]\nreplace:\n  rules:\n"
        "    - {id: hek_maken, when: sloten == 'slecht', theme: fysiek, priority: low,\n"
        "       advice: {title: T, explanation: E., steps: [S.]}}\n"
    )
    (problem,) = errors_of(write_base(overlay, base=base))
    assert problem.message == "uses question 'hek', which the overlay removes"
    assert problem.hint.startswith("remove or replace this question in the overlay too; ")
    assert (Path(problem.position.file).name, problem.position.line) == (
        "mini.yaml",
        line_of(base, "show_if: hek"),
    )
    assert problem.path == "questions[3].show_if"


def test_overlay__red_flag_outcome__overridden_like_other_metadata(write_base):
    overlay = (
        "id: mini_tak\nversion: 1\nextends: {id: mini, version: 1}\n"
        "red_flag_outcome: {label: Bel vandaag, explanation: Er speelt iets ernstigs.}\n"
    )
    q = load(write_base(overlay))
    assert (q.red_flag_outcome.label, q.red_flag_outcome.explanation) == (
        "Bel vandaag",
        "Er speelt iets ernstigs.",
    )
    base = load(write_base(overlay).parent / "mini.yaml")
    assert base.red_flag_outcome.label == "Direct hulp nodig"  # the format's default


ERROR_MESSAGES = """\
id: mini_tak
version: 1
extends: {id: mini, version: 1}
add:
  questions:
    - after: hek
      id: camera
      theme: fysiek
      text: Heeft u camera's?
      help: Camera's schrikken af.
      type: yes_no
      required: true
      error_message: Kies of u camera's heeft.
replace:
  questions:
    - id: hek
      theme: fysiek
      text: Heeft u een hek?
      help: Een hek houdt onbekenden buiten.
      type: yes_no
      good_answer: ja
      required: true
      error_message: Kies of er een hek om uw terrein staat.
"""


def test_overlay__sets_error_messages_on_added_and_replaced_questions(write_base):
    from scan.presentation import required_message, summary_message
    from scan.questionnaire.changes import describe_changes

    path = write_base(ERROR_MESSAGES)
    q = load(path)
    assert q.question("camera").error_message == "Kies of u camera's heeft."
    hek = q.question("hek")
    assert required_message(hek) == summary_message(required_message(hek), hek)
    assert required_message(hek) == "Kies of er een hek om uw terrein staat."
    assert validate_paths([path], path.parent) == []
    base = load(path.parent / "mini.yaml")
    assert describe_changes(base, q) == [
        "Vraag vervangen: hek (foutmelding toegevoegd).",
        "Vraag toegevoegd: camera (Heeft u camera's?).",
    ]


def test_overlay__changed_error_message__listed_as_a_change(write_base):
    from scan.questionnaire.changes import describe_changes

    first = load(write_base(ERROR_MESSAGES))
    second = load(write_base(ERROR_MESSAGES.replace("Kies of er een hek", "Kies of er nu een hek")))
    assert describe_changes(first, second) == ["Vraag vervangen: hek (nieuwe foutmelding)."]
    third = load(
        write_base(ERROR_MESSAGES.replace("      error_message: Kies of er een hek", "      #"))
    )
    assert describe_changes(first, third) == ["Vraag vervangen: hek (foutmelding weggehaald)."]


def test_overlay__added_required_question_without_error_message__warning_in_the_overlay(
    write_base,
):
    text = ERROR_MESSAGES.replace("      error_message: Kies of u camera's heeft.\n", "")
    path = write_base(text)
    (warning,) = validate_paths([path], path.parent)
    assert warning.message == "required question 'camera' has no error_message"
    assert warning.severity == "warning"
    assert (Path(warning.position.file), warning.position.line) == (
        path,
        line_of(text, "- after: hek"),
    )
