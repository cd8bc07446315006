"""The flask commands: questionnaires validate/list/test and score, run with the CLI runner."""

from __future__ import annotations

import json
import re

import pytest
from loader_samples import MINI, QUESTIONNAIRES, TEMPLATE, line_of, mutate

from scan import create_app
from scan.scoring import score

SHIPPED = sorted(p.stem for p in QUESTIONNAIRES.glob("*.yaml") if p.name != "referrals.yaml")
LOCATED = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (error|warning): ", re.M)


@pytest.fixture
def folder_runner(tmp_path, write_questionnaire):
    """A CLI runner for an app whose QUESTIONNAIRE_DIR is the temporary questionnaire folder."""
    folder = write_questionnaire(MINI, "mini.yaml").parent

    def make():
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'cli.sqlite'}",
                "QUESTIONNAIRE_DIR": str(folder),
            }
        )
        return app.test_cli_runner()

    return make


def no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


# --- questionnaires validate ------------------------------------------------------------


@pytest.mark.slow
def test_validate__shipped_folder__exit_0_and_summary(runner):
    result = runner.invoke(args=["questionnaires", "validate"])
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert f"{len(SHIPPED)} file(s) checked: 0 error(s), 0 warning(s)." in result.output
    assert not LOCATED.search(result.output)


def test_validate__branch_template__exit_0(runner):
    result = runner.invoke(args=["questionnaires", "validate", str(TEMPLATE)])
    assert result.exit_code == 0, result.output
    assert "1 bestand(en) nagekeken: 0 fout(en), 0 tip(s)." in result.output  # an overlay


def test_validate__broken_file__exit_1_and_file_line_col_for_every_error(
    folder_runner, write_questionnaire
):
    text = mutate(
        "    theme: fysiek\n    text: Welke",
        "    theme: fysiekk\n    text: Welke",
        "    priority: urgent",
        "    priority: high",
    )
    path = write_questionnaire(text, "kapot.yaml")
    result = folder_runner().invoke(args=["questionnaires", "validate", str(path)])
    no_traceback(result)
    assert result.exit_code == 1
    located = [m.groupdict() for m in LOCATED.finditer(result.stderr)]
    assert [(m["file"], int(m["line"]), int(m["col"])) for m in located] == [
        (str(path), line_of(text, "fysiekk"), 12),
        (str(path), line_of(text, "priority: high"), 15),
    ]
    assert (
        f"{path}:{line_of(text, 'fysiekk')}:12: error: questions[1].theme: "
        "unknown theme 'fysiekk' (did you mean 'fysiek'?)"
    ) in result.stderr.splitlines()
    assert "1 file(s) checked: 2 error(s), 0 warning(s)." in result.stdout


def test_validate__yaml_syntax_error__located(folder_runner, write_questionnaire):
    path = write_questionnaire(mutate("title: Mini", "title: Let op: mini"), "kapot.yaml")
    result = folder_runner().invoke(args=["questionnaires", "validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:3:14: error: invalid YAML: mapping values")


def test_validate__no_paths__checks_the_whole_folder(folder_runner, write_questionnaire):
    write_questionnaire("- een lijst\n", "lijst.yaml")
    result = folder_runner().invoke(args=["questionnaires", "validate"])
    assert result.exit_code == 1
    assert "2 file(s) checked: 1 error(s), 0 warning(s)." in result.stdout
    assert "lijst.yaml:1:1: error: a questionnaire file must be a mapping of keys" in (
        result.stderr
    )


def test_validate__warnings_only__exit_0_unless_strict(folder_runner, write_questionnaire):
    text = mutate("when: hek == 'nee' or sloten == 'slecht'", "when: sloten == 'slecht'")
    path = write_questionnaire(text, "mini.yaml")
    relaxed = folder_runner().invoke(args=["questionnaires", "validate", str(path)])
    assert relaxed.exit_code == 0, relaxed.output
    line = line_of(text, "  - id: hek", exact=True)
    assert f"{path}:{line}:5: warning: questions[0]: scored question 'hek' is used by no rule" in (
        relaxed.stdout
    )
    assert "0 error(s), 1 warning(s)." in relaxed.stdout
    strict = folder_runner().invoke(args=["questionnaires", "validate", "--strict", str(path)])
    assert strict.exit_code == 1


def test_validate__required_question_without_error_message__warns_and_strict_fails(
    folder_runner, write_questionnaire
):
    text = mutate(
        "    good_answer: ja\n  - id: sloten",
        "    good_answer: ja\n    required: true\n  - id: sloten",
    )
    path = write_questionnaire(text, "mini.yaml")
    relaxed = folder_runner().invoke(args=["questionnaires", "validate", str(path)])
    assert relaxed.exit_code == 0, relaxed.output
    line = line_of(text, "  - id: hek", exact=True)
    assert (
        f"{path}:{line}:5: warning: questions[0]: required question 'hek' has no error_message "
        "(say what to do when it is left open, for this question, "
        "e.g. error_message: Kies of u een eigen terrein heeft.)"
    ) in relaxed.stdout.splitlines()
    assert "0 error(s), 1 warning(s)." in relaxed.stdout
    strict = folder_runner().invoke(args=["questionnaires", "validate", "--strict", str(path)])
    assert strict.exit_code == 1
    fixed = text.replace(
        "    required: true\n", "    required: true\n    error_message: Kies of u een hek heeft.\n"
    )
    write_questionnaire(fixed, "mini.yaml")
    strict = folder_runner().invoke(args=["questionnaires", "validate", "--strict", str(path)])
    assert strict.exit_code == 0, strict.output


def test_validate__missing_path__usage_error(runner):
    result = runner.invoke(args=["questionnaires", "validate", "bestaat-niet.yaml"])
    assert result.exit_code == 2
    assert "does not exist" in result.output


# --- questionnaires list ----------------------------------------------------------------


def test_list__shipped__every_questionnaire_once(runner, catalog):
    result = runner.invoke(args=["questionnaires", "list"])
    no_traceback(result)
    assert result.exit_code == 0
    ids = sorted(line.split()[0] for line in result.stdout.splitlines())
    assert ids == sorted(s.replace("-", "_") for s in SHIPPED)
    q = catalog.get("voorbeeld")
    pattern = (
        rf"^voorbeeld\s+v{q.version}\s+file\s+published\s+{len(q.themes)} themes,"
        rf"\s+{len(q.questions)} questions,"
        rf"\s+{len(q.rules)} rules,\s+1 acute  {re.escape(q.title)}  \(not listed\)$"
    )
    assert re.search(pattern, result.stdout, re.M), result.stdout
    assert "(not listed)" not in result.stdout.replace(q.title + "  (not listed)", "")


def test_list__broken_file__listed_as_refused(folder_runner, write_questionnaire):
    path = write_questionnaire("id: [\n", "kapot.yaml")
    result = folder_runner().invoke(args=["questionnaires", "list"])
    assert result.exit_code == 0
    assert result.stdout.split()[0] == "mini"
    assert f"refused: {path} (run 'questionnaires validate' to see why)" in result.stderr


def test_list__broken_registry__message_not_traceback(folder_runner, write_questionnaire):
    write_questionnaire("referrals: {}\n", "referrals.yaml")
    result = folder_runner().invoke(args=["questionnaires", "list"])
    no_traceback(result)
    assert result.exit_code == 1
    assert "referrals.yaml:1:12: error: referrals: Input should be a valid list" in result.output


# --- questionnaires test ----------------------------------------------------------------


def test_test__shipped__every_example_passes(runner):
    result = runner.invoke(args=["questionnaires", "test"])
    no_traceback(result)
    assert result.exit_code == 0, result.output
    passed = re.search(r"^(\d+) passed, 0 failed$", result.stdout, re.M)
    assert passed and int(passed.group(1)) == result.stdout.count(": ok\n")
    assert int(passed.group(1)) >= len(SHIPPED)


def test_test__branch_template__passes(runner):
    path = TEMPLATE
    result = runner.invoke(args=["questionnaires", "test", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}: open_deur: ok" in result.stdout


def test_test__example_passes__exit_0(folder_runner, write_questionnaire):
    path = write_questionnaire(MINI, "mini.yaml")
    result = folder_runner().invoke(args=["questionnaires", "test", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{path}: benaderd: ok", "1 passed, 0 failed"]


def test_test__expectation_not_met__exit_1_and_why(folder_runner, write_questionnaire):
    text = mutate(
        "expect: {risk_level: kwetsbaar, red_flag: true, fired: [benaderd_melden]}",
        "expect: {risk_level: weerbaar, red_flag: true, fired: [benaderd_melden, hek_maken]}",
    )
    path = write_questionnaire(text, "mini.yaml")
    result = folder_runner().invoke(args=["questionnaires", "test", str(path)])
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}: benaderd: FAILED",
        "  - risk level is 'kwetsbaar', expected 'weerbaar'",
        "  - rule 'hek_maken' did not fire",
    ]
    assert "0 passed, 1 failed" in result.stdout


def test_test__invalid_answer_in_example__fails(folder_runner, write_questionnaire):
    text = mutate("answers: {hek: ja, sloten: goed", "answers: {hek: jaa, sloten: goed")
    path = write_questionnaire(text, "mini.yaml")
    result = folder_runner().invoke(args=["questionnaires", "test", str(path)])
    assert result.exit_code == 1
    assert "  - invalid answer: hek: 'jaa' is not an option (did you mean 'ja'?)" in (result.stderr)


def test_test__invalid_questionnaire__located_errors(folder_runner, write_questionnaire):
    path = write_questionnaire(mutate("    weight: 2", "    weight: 0"), "mini.yaml")
    result = folder_runner().invoke(args=["questionnaires", "test", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{path}: invalid questionnaire"
    assert f"  {path}:11:13: error: themes[0].weight: " in result.stderr


def test_test__no_examples__said_and_exit_0(folder_runner, write_questionnaire):
    path = write_questionnaire(MINI.split("examples:")[0], "mini.yaml")
    result = folder_runner().invoke(args=["questionnaires", "test", str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"{path}: no examples", "0 passed, 0 failed"]


# --- score ------------------------------------------------------------------------------

ANSWERS = {
    "verhuur": "ja",
    "huur_contant": "contant",
    "maatregelen": ["geen"],
    "vertrouwen_personeel": 2,
    "benaderd": "nee",
    "weet_waar_melden": "weet_niet",
}


@pytest.mark.parametrize("kind", ["yaml", "json"])
def test_score__answers_file__json_result(kind, runner, tmp_path, catalog):
    path = tmp_path / f"antwoorden.{kind}"
    if kind == "json":
        path.write_text(json.dumps(ANSWERS))
    else:
        path.write_text(
            "".join(
                f"{k}: {json.dumps(v) if isinstance(v, list) else v}\n" for k, v in ANSWERS.items()
            )
        )
    result = runner.invoke(args=["score", "voorbeeld", str(path), "--format", "json"])
    no_traceback(result)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = score(catalog.get("voorbeeld"), ANSWERS).to_dict()
    assert data == json.loads(json.dumps(expected, default=str))
    assert (data["questionnaire_id"], data["unknown"], data["red_flag"]) == ("voorbeeld", 1, False)
    assert len(data["advice"]) >= 3
    assert data["referrals"][0]["id"] == "meld_misdaad_anoniem"


def test_score__text_format__readable_summary(runner, tmp_path, catalog):
    path = tmp_path / "antwoorden.yaml"
    path.write_text("verhuur: nee\nbenaderd: ja\ndruk_nu: ja\nmaatregelen: [sloten]\n")
    result = runner.invoke(args=["score", "voorbeeld", str(path), "--format", "text"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Voorbeeldscan weerbaar ondernemen (versie 1)"
    # A red flag: the outcome is the one the result page shows, the level is the score's own.
    assert lines[1].startswith("Totaal: ") and "Uitkomst: Direct hulp nodig" in lines[1]
    q = catalog.get("voorbeeld")
    answers = {"verhuur": "nee", "benaderd": "ja", "druk_nu": "ja", "maatregelen": ["sloten"]}
    level = score(q, answers).score_level
    flag = "Rode vlag: een antwoord wijst erop dat er nu iets ernstigs speelt."
    assert f"{flag} Niveau van de score alleen: {level.label}." in lines
    title = "Zoek vandaag nog hulp, want de druk is er nog"
    assert f"  [urgent] {title} (druk_nu_hulp)" in lines
    assert "  Meld Misdaad Anoniem: 0800-7000" in lines


def test_score__default_format_is_text(runner, tmp_path):
    path = tmp_path / "antwoorden.yaml"
    path.write_text("verhuur: nee\n")
    result = runner.invoke(args=["score", "voorbeeld", str(path)])
    assert result.exit_code == 0
    assert result.stdout.startswith("Voorbeeldscan weerbaar ondernemen (versie 1)\n")


def test_score__empty_answers_file__scores_nothing_answered(runner, tmp_path):
    path = tmp_path / "leeg.yaml"
    path.write_text("")
    result = runner.invoke(args=["score", "voorbeeld", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["answered"], data["overall"], data["advice"]) == (0, None, [])


def test_score__unknown_questionnaire__did_you_mean(runner, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("verhuur: nee\n")
    result = runner.invoke(args=["score", "voorbeld", str(path)])
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == ("Error: no questionnaire 'voorbeld' (did you mean 'voorbeeld'?)\n")


@pytest.mark.parametrize(
    ("answers", "messages"),
    [
        ("verhuur: misschien\n", ["  - verhuur: 'misschien' is not an option (options: ja, nee)"]),
        (
            "verhuurr: ja\nbenaderd: jaa\n",
            [
                "  - unknown question 'verhuurr' (did you mean 'verhuur'?)",
                "  - benaderd: 'jaa' is not an option (did you mean 'ja'?)",
            ],
        ),
        ("vertrouwen_personeel: 9\n", ["  - vertrouwen_personeel: 9 is outside 1 to 5"]),
        (
            "verhuur: nee\nhuur_contant: bank\n",
            ["  - huur_contant: this question is hidden by its show_if, so it cannot be answered"],
        ),
        ("verhuur: weet_niet\n", ["  - verhuur: 'weet_niet' is not offered for this question"]),
        ("maatregelen: {sloten: ja}\n", ["  - maatregelen: give a list of option values"]),
        ("- verhuur\n- ja\n", ["  - answers must be a mapping from question id to answer"]),
    ],
    ids=[
        "unknown-option",
        "two-problems",
        "out-of-range",
        "hidden",
        "special-not-offered",
        "mapping-for-list",
        "list-not-mapping",
    ],
)
def test_score__bad_answers__clear_message_exit_1(answers, messages, runner, tmp_path):
    path = tmp_path / "antwoorden.yaml"
    path.write_text(answers)
    result = runner.invoke(args=["score", "voorbeeld", str(path)])
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["Error: answers do not fit the questionnaire:", *messages]
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        ("verhuur: ja\nbenaderd: : nee\n", "2:11", "invalid YAML: mapping values"),
        (
            '{"verhuur": "ja" "benaderd": "nee"}\n',
            "1:18",
            "invalid YAML: expected ',' or '}', but got '<scalar>'",
        ),
        ("verhuur: ja\nverhuur: nee\n", "2:1", "duplicate key"),
        ("verhuur: !!python/object:os.system ja\n", "1:10", "YAML tag"),
        ("a: &x ja\nb: *x\n", "1:4", "anchors and aliases"),
    ],
    ids=["yaml-syntax", "json-syntax", "duplicate", "python-tag", "alias"],
)
def test_score__malformed_answers_file__located_message(content, where, message, runner, tmp_path):
    path = tmp_path / "antwoorden.yaml"
    path.write_text(content)
    result = runner.invoke(args=["score", "voorbeeld", str(path)])
    no_traceback(result)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: answers file is not valid YAML or JSON:"
    assert lines[1].startswith(f"{path}:{where}: error: {message}")


def test_score__missing_answers_file__usage_error(runner):
    result = runner.invoke(args=["score", "voorbeeld", "bestaat-niet.yaml"])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_score__bad_format_option__usage_error(runner, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("verhuur: nee\n")
    result = runner.invoke(args=["score", "voorbeeld", str(path), "--format", "pdf"])
    assert result.exit_code == 2
    assert "'pdf' is not one of 'json', 'text'" in result.output


def test_score__questionnaire_from_configured_folder(folder_runner, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("hek: nee\nbenaderd: nee\n")
    result = folder_runner().invoke(args=["score", "mini", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [a["id"] for a in json.loads(result.stdout)["advice"]] == ["hek_maken"]


def test_score__broken_registry__says_so_not_blaming_the_answers(
    folder_runner, write_questionnaire, tmp_path
):
    write_questionnaire("referrals: {}\n", "referrals.yaml")
    path = tmp_path / "a.yaml"
    path.write_text("hek: nee\n")
    result = folder_runner().invoke(args=["score", "mini", str(path)])
    no_traceback(result)
    assert result.exit_code == 1
    assert "answers file" not in result.output
    assert "the questionnaires cannot be loaded" in result.stderr
    assert "referrals.yaml:1:12: error: referrals: Input should be a valid list" in result.stderr


def test_test__broken_registry__message_not_traceback(folder_runner, write_questionnaire):
    write_questionnaire("referrals: {}\n", "referrals.yaml")
    result = folder_runner().invoke(args=["questionnaires", "test"])
    no_traceback(result)
    assert result.exit_code == 1
    assert "the questionnaires cannot be loaded" in result.stderr
    assert "referrals.yaml:1:12: error: referrals: Input should be a valid list" in result.stderr


def test_validate__broken_registry__located_error(folder_runner, write_questionnaire):
    write_questionnaire("referrals: {}\n", "referrals.yaml")
    result = folder_runner().invoke(args=["questionnaires", "validate"])
    no_traceback(result)
    assert result.exit_code == 1
    assert "referrals.yaml:1:12: error: referrals: Input should be a valid list" in result.stderr


def test_test__overlay_and_its_base_together__both_run(folder_runner, write_questionnaire):
    overlay = write_questionnaire(
        "id: mini_tak\nversion: 1\nextends: {id: mini, version: 1}\nexamples:\n"
        "  - {name: leeg, answers: {}, expect: {red_flag: false, fired: []}}\n",
        "tak.yaml",
    )
    result = folder_runner().invoke(args=["questionnaires", "test"])
    assert result.exit_code == 0, result.output
    assert f"{overlay}: leeg: ok" in result.stdout
    assert "2 passed, 0 failed" in result.stdout


def test_init__fresh_instance__writes_secret_key_once_and_migrates(tmp_path):
    """`flask init` prepares an empty instance folder: secret key (0600) and the schema."""
    import sqlalchemy

    from scan import create_app

    instance = tmp_path / "instance"
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    )
    app.instance_path = str(instance)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    key_file = instance / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_text()
    assert len(key) == 64
    second = runner.invoke(args=["init"])
    assert second.exit_code == 0 and key_file.read_text() == key
    tables = sqlalchemy.inspect(sqlalchemy.create_engine(app.config["SQLALCHEMY_DATABASE_URI"]))
    assert {"scans", "questionnaire_versions"} <= set(tables.get_table_names())
