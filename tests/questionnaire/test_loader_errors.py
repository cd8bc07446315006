"""Malformed questionnaires: each is refused with its own message, line, column and path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from loader_samples import MINI, QUESTIONNAIRES, line_of, mutate

from scan.questionnaire import (
    QuestionnaireError,
    load_catalog,
    load_questionnaire,
    validate_paths,
)
from scan.questionnaire.yamlsource import MAX_BYTES, MAX_DEPTH, MAX_NODES


@dataclass(frozen=True)
class Case:
    """A malformed file and the one error it must produce."""

    text: str
    at: str | None  # a text on the expected line (None: line 1)
    column: int
    path: str
    message: str
    hint: str = ""
    errors: int = 1


def case(name: str, text: str, at, column, path, message, hint="", errors=1):
    return pytest.param(Case(text, at, column, path, message, hint, errors), id=name)


EXTRA_QUESTION = "rules:\n"  # new questions go just before the rules


def add_question(line: str) -> tuple[str, str]:
    """Return the mutate() pair that appends one question line to the questions."""
    return EXTRA_QUESTION, f"{line}\n{EXTRA_QUESTION}"


DEEP = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)

CASES = [
    # --- YAML itself ---------------------------------------------------------------------
    case(
        "yaml-syntax-colon-in-text",
        mutate("title: Mini", "title: Let op: mini"),
        "title: Let op",
        14,
        "",
        "invalid YAML: mapping values are not allowed here",
        "put text containing ': ' or '#' in quotes",
    ),
    case(
        "yaml-syntax-indentation",
        mutate("    type: yes_no\n    good_answer: ja", "    type: yes_no\n   good_answer: ja"),
        "   good_answer: ja",
        4,
        "",
        "invalid YAML: expected <block end>, but found '<block mapping start>'",
        "check indentation",
    ),
    case(
        "yaml-tab-indentation",
        mutate("    title: Fysiek", "\ttitle: Fysiek"),
        "\ttitle: Fysiek",
        1,
        "",
        "invalid YAML: found character '\\t' that cannot start any token",
    ),
    case(
        "yaml-two-documents",
        MINI + "---\nid: twee\n",
        "---",
        1,
        "",
        "invalid YAML: but found another document",
    ),
    case(
        "duplicate-key",
        mutate("title: Mini\n", "title: Mini\ntitle: Twee\n"),
        "title: Twee",
        1,
        "",
        'duplicate key: found duplicate key "title" with value "Twee"',
        "each key may appear once in a mapping",
    ),
    case(
        "anchor",
        mutate("    description: Gebouw en terrein.", "    description: &d Gebouw en terrein."),
        "&d",
        18,
        "",
        "anchors and aliases (& and *) are not allowed",
        "write the value out in full",
    ),
    case(
        "alias",
        mutate("    description: Signalen en melden.", "    description: *d"),
        "*d",
        18,
        "",
        "anchors and aliases (& and *) are not allowed",
    ),
    case(
        "python-tag",
        mutate("title: Mini", "title: !!python/object/apply:os.system [ls]"),
        "!!python",
        8,
        "",
        "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        "only plain YAML values are allowed",
    ),
    case(
        "custom-tag",
        mutate("title: Mini", "title: !mijn Mini"),
        "!mijn",
        8,
        "",
        "YAML tag '!mijn' is not allowed",
    ),
    case(
        "binary-tag",
        mutate("title: Mini", "title: !!binary aGVsbG8="),
        "!!binary",
        8,
        "",
        "YAML tag 'tag:yaml.org,2002:binary' is not allowed",
    ),
    case(
        "file-too-large",
        MINI + "#" * (MAX_BYTES - len(MINI)) + "\n",  # one byte too many
        None,
        1,
        "",
        "file is 513 KiB, the maximum is 512 KiB",
        "split it into a base questionnaire and an overlay",
    ),
    case(
        "deep-nesting",
        MINI + "diep: " + DEEP + "\n",
        "diep:",
        7 + MAX_DEPTH - 1,
        "",  # the top mapping is the first level
        f"nesting deeper than {MAX_DEPTH} levels",
    ),
    case(
        "top-level-list",
        "- id: mini\n- version: 1\n",
        None,
        1,
        "",
        "a questionnaire file must be a mapping of keys",
        "start with 'id: ...' on the first line",
    ),
    case(
        "top-level-text",
        "Weerbaarheidsscan\n",
        None,
        1,
        "",
        "a questionnaire file must be a mapping of keys",
    ),
    case("empty-file", "", None, 1, "", "a questionnaire file must be a mapping of keys"),
    case(
        "control-character",
        mutate("title: Mini", "title: Mi\x01ni"),
        "title: Mi",
        10,
        "",
        "character 0x0001 is not allowed in YAML",
        "save the file as plain UTF-8 text",
    ),
    # --- shape: keys and types -----------------------------------------------------------
    case(
        "missing-top-level-key",
        mutate("sector: Test\n", ""),
        None,
        1,
        "",
        "'sector' is missing",
        "add a 'sector:' key here",
    ),
    case(
        "missing-key-in-question",
        mutate("    help: Goede sloten helpen.\n", ""),
        "  - id: sloten",
        5,
        "questions[1]",
        "'help' is missing",
    ),
    case(
        "unknown-key-did-you-mean",
        mutate("    good_answer: nee\n", "    good_answer: nee\n    requird: true\n"),
        "requird",
        5,
        "questions[4]",
        "unknown key 'requird'",
        "did you mean 'required'?",
    ),
    case(
        "unknown-top-level-key-lists-allowed",
        MINI + "kleur: blauw\n",
        "kleur",
        1,
        "",
        "unknown key 'kleur'",
        "allowed keys: duration_minutes, examples, id,",
    ),
    case(
        "key-with-brackets",
        MINI + "themes[0]: x\n",
        "themes[0]",
        1,
        "",
        "unknown key 'themes[0]'",
    ),
    case(
        "key-named-like-a-type",
        mutate("    good_answer: nee\n", "    good_answer: nee\n    float: 1\n"),
        "float: 1",
        5,
        "questions[4]",
        "unknown key 'float'",
    ),
    case(
        "overlay-key-without-extends",
        MINI + "remove:\n  rules: [hek_maken]\n",
        "remove:",
        1,
        "",
        "unknown key 'remove'",
        "add, replace and remove are for overlays: name the base with 'extends:'",
    ),
    case(
        "text-where-number",
        mutate("duration_minutes: 2", "duration_minutes: twee"),
        "duration_minutes",
        19,
        "duration_minutes",
        "Input should be a valid integer",
        "write a whole number without quotes",
    ),
    case(
        "quoted-number",
        mutate("version: 1", "version: '1'"),
        "version:",
        10,
        "version",
        "Input should be a valid integer",
        "write a whole number without quotes",
    ),
    case(
        "boolean-where-number",
        mutate("    weight: 2", "    weight: true"),
        "weight: true",
        13,
        "themes[0].weight",
        "Input should be a valid number",
    ),
    case(
        "not-a-number",
        mutate("number: {min: 0, max: 500}", "number: {min: .nan, max: 500}"),
        ".nan",
        19,
        "questions[3].number.min",
        "Input should be a finite number",
    ),
    case(
        "number-where-text",
        mutate("title: Mini", "title: 12"),
        "title: 12",
        8,
        "title",
        "Input should be a valid string",
        "put it in quotes if it looks like a number",
    ),
    case(
        "empty-value-points-at-its-own-line",
        mutate("sector: Test", "sector:"),
        "sector:",
        1,
        "sector",
        "Input should be a valid string",
        "the value is empty",
    ),
    case(
        "list-where-mapping",
        mutate(
            "    advice:\n      title: Maak een hek\n      explanation: Een hek helpt.\n"
            "      steps: [Bel een hekkenbouwer.]",
            "    advice: [Maak een hek]",
        ),
        "advice: [Maak",
        13,
        "rules[0].advice",
        "Input should be a valid dictionary",
        "write a mapping of key: value lines",
    ),
    case(
        "mapping-where-list",
        mutate("steps: [Meld het anoniem.]", "steps: {eerst: Meld het anoniem.}"),
        "steps: {eerst",
        14,
        "rules[1].advice.steps",
        "Input should be a valid list",
        "write a list",
    ),
    case(
        "empty-steps",
        mutate("steps: [Meld het anoniem.]", "steps: []"),
        "steps: []",
        14,
        "rules[1].advice.steps",
        "List should have at least 1 item",
    ),
    case(
        "invalid-id-pattern",
        mutate("  - id: kennis_leren", "  - id: Kennis-Leren"),
        "Kennis-Leren",
        9,
        "rules[2].id",
        "String should match pattern",
        "ids are snake_case",
    ),
    case(
        "id-too-long",
        mutate("  - id: kennis_leren", "  - id: " + "k" * 61),
        "k" * 61,
        9,
        "rules[2].id",
        "String should have at most 60 characters",
    ),
    case(
        "question-id-is-expression-keyword",
        mutate(*add_question("  - {id: not, theme: signalen, text: T?, help: H., type: text}")),
        "id: not",
        10,
        "questions[5].id",
        "'not' is a keyword of the expression language",
        "choose another id",
    ),
    case(
        "language-typo",
        mutate("title: Mini", "title: Mini\nlanguage: nll"),
        "language: nll",
        11,
        "language",
        "'nll' is not allowed here",
        "did you mean 'nl'?",
    ),
    case(
        "question-type-typo",
        mutate("    type: single_choice", "    type: single_choise"),
        "single_choise",
        11,
        "questions[1].type",
        "'single_choise' is not allowed here",
        "did you mean 'single_choice'?",
    ),
    case(
        "priority-typo",
        mutate("    priority: medium", "    priority: mediun"),
        "mediun",
        15,
        "rules[0].priority",
        "'mediun' is not allowed here",
        "did you mean 'medium'?",
    ),
    case(
        "boolean-typo",
        mutate("    red_flag: true", "    red_flag: misschien"),
        "misschien",
        15,
        "rules[1].red_flag",
        "Input should be a valid boolean",
        "write true or false",
    ),
    case(
        "comma-splits-flow-label",
        mutate("label: Goede sloten, score", "label: Goede sloten, ook achter, score"),
        "ook achter",
        44,
        "questions[1].options[0]",
        "unknown key 'ook achter'",
        "a ',' inside { } ends the text there; put the whole text in quotes",
    ),
    case(
        "example-range-too-short",
        mutate("expect: {risk_level: kwetsbaar,", "expect: {overall: [], risk_level: kwetsbaar,"),
        "overall: []",
        23,
        "examples[0].expect.overall",
        "a range needs two numbers",
        "write a range as [low, high]",
    ),
    case(
        "example-answer-key-not-an-id",
        mutate("answers: {hek: ja,", "answers: {Hek: ja,"),
        "{Hek: ja",
        20,
        "examples[0].answers.Hek",
        "String should match pattern",
    ),
    # --- ids and references --------------------------------------------------------------
    case(
        "duplicate-question-id",
        mutate(
            *add_question("  - {id: benaderd, theme: signalen, text: T?, help: H., type: text}")
        ),
        "{id: benaderd",
        10,
        "questions[5].id",
        "question id 'benaderd' is used more than once",
        "every id must be unique",
    ),
    case(
        "duplicate-theme-id",
        mutate("questions:\n", "  - {id: signalen, title: Twee, description: D.}\nquestions:\n"),
        "title: Twee",
        10,
        "themes[2].id",
        "theme id 'signalen' is used more than once",
    ),
    case(
        "duplicate-rule-id",
        mutate("  - id: kennis_leren", "  - id: hek_maken  # second"),
        "# second",
        9,
        "rules[2].id",
        "rule id 'hek_maken' is used more than once",
    ),
    case(
        "duplicate-risk-level-id",
        mutate("{id: weerbaar, label: Weerbaar", "{id: kwetsbaar, label: Weerbaar"),
        "label: Weerbaar",
        10,
        "risk_levels[1].id",
        "risk level id 'kwetsbaar' is used more than once",
    ),
    case(
        "unknown-theme-did-you-mean",
        mutate("    theme: fysiek\n    text: Welke", "    theme: fysiekk\n    text: Welke"),
        "fysiekk",
        12,
        "questions[1].theme",
        "unknown theme 'fysiekk'",
        "did you mean 'fysiek'?",
    ),
    case(
        "unknown-rule-theme",
        mutate("    theme: signalen\n    priority: low", "    theme: signaal\n    priority: low"),
        "theme: signaal",
        12,
        "rules[2].theme",
        "unknown theme 'signaal'",
        "did you mean 'signalen'?",
    ),
    case(
        "unknown-referral-did-you-mean",
        mutate("referrals: [politie]", "referrals: [polite]"),
        "[polite]",
        17,
        "rules[0].referrals[0]",
        "unknown referral 'polite'",
        "did you mean 'politie'?",
    ),
    case(
        "unknown-top-level-referral",
        MINI + "referrals: [pvo_regional]\n",
        "pvo_regional",
        13,
        "referrals[0]",
        "unknown referral 'pvo_regional'",
        "did you mean 'pvo_regionaal'?",
    ),
    # --- questions and options -----------------------------------------------------------
    case(
        "choice-without-options",
        mutate(
            *add_question(
                "  - {id: hoe, theme: signalen, text: Hoe?, help: H., type: single_choice}"
            )
        ),
        "id: hoe",
        5,
        "questions[5]",
        "a single_choice question needs 'options'",
        "add 'options:'",
    ),
    case(
        "choice-with-one-option",
        mutate("      - {value: slecht, label: Slechte sloten, score: 0}\n", "").replace(
            " or sloten == 'slecht'", ""
        ),
        "{value: goed",
        7,
        "questions[1].options",
        "a choice question needs at least two options",
    ),
    case(
        "options-on-yes-no",
        mutate(
            "    good_answer: ja\n",
            "    good_answer: ja\n    options:  # here\n      - {value: a, label: A}\n"
            "      - {value: b, label: B}\n",
        ),
        "# here",
        5,
        "questions[0].options",
        "'options' is not allowed for a yes_no question",
        "remove 'options' or change the type",
    ),
    case(
        "good-answer-on-choice",
        mutate("    type: single_choice", "    type: single_choice\n    good_answer: ja  # here"),
        "# here",
        5,
        "questions[1].good_answer",
        "'good_answer' is only for yes_no questions",
        "use option scores instead",
    ),
    case(
        "scale-on-number",
        mutate(
            "    number: {min: 0, max: 500}",
            "    number: {min: 0, max: 500}\n"
            "    scale: {min: 1, max: 3, min_label: A, max_label: B}",
        ),
        "max_label: B}",
        5,
        "questions[3].scale",
        "'scale' is not allowed for a number question",
    ),
    case(
        "max-length-on-choice",
        mutate("    type: single_choice", "    type: single_choice\n    max_length: 50"),
        "max_length: 50",
        5,
        "questions[1].max_length",
        "'max_length' is only for text questions, not single_choice",
        "remove 'max_length'",
    ),
    case(
        "error-message-empty",
        mutate(
            "    type: yes_no\n    good_answer: ja",
            "    type: yes_no\n    good_answer: ja\n    required: true\n    error_message: ''",
        ),
        "error_message: ''",
        20,
        "questions[0].error_message",
        "String should have at least 1 character",
    ),
    case(
        "error-message-too-long",
        mutate(
            "    type: yes_no\n    good_answer: ja",
            "    type: yes_no\n    good_answer: ja\n"
            "    required: true\n    error_message: " + "Kies of u een hek heeft. " * 13,
        ),
        "error_message: Kies",
        20,
        "questions[0].error_message",
        "String should have at most 300 characters",
    ),
    case(
        "reserved-option-value",
        mutate("{value: goed,", "{value: weet_niet,"),
        "weet_niet",
        17,
        "questions[1].options[0].value",
        "'weet_niet' is reserved for the special answer",
        "use allow_unknown / allow_not_applicable instead",
    ),
    case(
        "duplicate-option-value",
        mutate(
            "label: Slechte sloten, score: 0}\n",
            "label: Slechte sloten, score: 0}\n      - {value: goed, label: Nog eens, score: 50}\n",
        ),
        "Nog eens",
        17,
        "questions[1].options[2].value",
        "option value 'goed' is used more than once in this question",
    ),
    case(
        "partially-scored-options",
        mutate("label: Slechte sloten, score: 0}", "label: Slechte sloten}"),
        "label: Slechte sloten}",
        9,
        "questions[1].options[1]",
        "option 'slecht' has no score while others do",
        "give every option a score",
    ),
    case(
        "score-out-of-range",
        mutate("score: 100}", "score: 150}"),
        "score: 150",
        51,
        "questions[1].options[0].score",
        "Input should be less than or equal to 100",
    ),
    case(
        "negative-theme-weight",
        mutate("    weight: 2", "    weight: -1"),
        "weight: -1",
        13,
        "themes[0].weight",
        "Input should be greater than 0",
    ),
    case(
        "zero-question-weight",
        mutate("    good_answer: ja\n", "    good_answer: ja\n    weight: 0\n"),
        "weight: 0",
        13,
        "questions[0].weight",
        "Input should be greater than 0",
    ),
    case(
        "scale-min-not-below-max",
        mutate("{min: 1, max: 5, min_label", "{min: 5, max: 5, min_label"),
        "min: 5, max: 5",
        12,
        "questions[2].scale",
        "scale min must be smaller than max",
    ),
    case(
        "scale-too-many-steps",
        mutate("{min: 1, max: 5, min_label", "{min: 0, max: 20, min_label"),
        "max: 20",
        12,
        "questions[2].scale",
        "a scale has at most 10 steps",
        "use e.g. 1 to 5",
    ),
    case(
        "number-min-not-below-max",
        mutate("number: {min: 0, max: 500}", "number: {min: 500, max: 0}"),
        "min: 500",
        13,
        "questions[3].number",
        "number min must be smaller than max",
    ),
    # --- expressions ---------------------------------------------------------------------
    case(
        "show-if-uses-later-question",
        mutate("    good_answer: ja\n", "    good_answer: ja\n    show_if: benaderd == 'nee'\n"),
        "show_if: benaderd",
        14,
        "questions[0].show_if",
        "show_if uses 'benaderd', which is not an earlier question",
        "so no cycles",
    ),
    case(
        "show-if-uses-itself",
        mutate("    good_answer: ja\n", "    good_answer: ja\n    show_if: hek == 'ja'\n"),
        "show_if: hek",
        14,
        "questions[0].show_if",
        "show_if uses 'hek', which is not an earlier question",
    ),
    case(
        "show-if-unknown-question",
        mutate("    good_answer: nee\n", "    good_answer: nee\n    show_if: hekk == 'ja'\n"),
        "show_if: hekk",
        14,
        "questions[4].show_if",
        "unknown question 'hekk' in expression",
        "did you mean 'hek'?",
    ),
    case(
        "expression-syntax-error",
        mutate("when: benaderd == 'ja'", "when: benaderd == = 'ja'"),
        "when: benaderd",
        11,
        "rules[1].when",
        "syntax error in expression near \"= 'ja'\"",
        "write e.g. vraag == 'ja'",
    ),
    case(
        "number-compared-with-text",
        mutate("when: benaderd == 'ja'", "when: mensen == 'veel'"),
        "when: mensen",
        11,
        "rules[1].when",
        "question 'mensen' is answered with a number, not text",
        "write a number without quotes",
        # benaderd is then read by no rule, but warnings are not errors
    ),
    case(
        "text-ordered-against-number",
        mutate("when: benaderd == 'ja'", "when: benaderd > 3"),
        "when: benaderd",
        11,
        "rules[1].when",
        "expression does not fit the question types: data type mismatch",
    ),
    case(
        "choice-compared-with-number",
        mutate("when: benaderd == 'ja'", "when: benaderd == 1"),
        "when: benaderd",
        11,
        "rules[1].when",
        "question 'benaderd' is answered with text, not a number or true/false",
        "e.g. benaderd == 'ja'",
    ),
    case(
        "in-on-single-answer",
        mutate("when: benaderd == 'ja'", "when: \"'ja' in benaderd\""),
        "when: \"'ja'",
        11,
        "rules[1].when",
        "question 'benaderd' has one answer, not a list",
        "benaderd in ['a', 'b']",
    ),
    case(
        "number-in-text-list",
        mutate("when: benaderd == 'ja'", "when: mensen in ['veel']"),
        "when: mensen",
        11,
        "rules[1].when",
        "question 'mensen' is answered with a number, not text",
    ),
    case(
        "list-answer-compared-with-text",
        mutate(
            *add_question(
                "  - {id: extra, theme: signalen, text: T?, help: H., type: multiple_choice,\n"
                "     options: [{value: a, label: A}, {value: b, label: B}]}\n"
                "  - {id: later, theme: signalen, text: T?, help: H., type: text,\n"
                "     show_if: extra == 'a'}"
            )
        ),
        "show_if: extra",
        15,
        "questions[6].show_if",
        "question 'extra' is answered with a list of options, not text",
        "test one option with 'value' in extra",
    ),
    case(
        "option-literal-did-you-mean",
        mutate("when: benaderd == 'ja'", "when: benaderd == 'jaa'"),
        "when: benaderd",
        11,
        "rules[1].when",
        "'jaa' is not an option of question 'benaderd'",
        "did you mean 'ja'?",
    ),
    case(
        "option-literal-in-list",
        mutate("sloten == 'slecht'", "sloten in ['slect', 'goed']"),
        "sloten in",
        11,
        "rules[0].when",
        "'slect' is not an option of question 'sloten'",
        "did you mean 'slecht'?",
    ),
    case(
        "non-boolean-expression",
        mutate("when: benaderd == 'ja'", "when: mensen"),
        "when: mensen",
        11,
        "rules[1].when",
        "expression must be a condition (true or false)",
    ),
    case(
        "arithmetic-not-supported",
        mutate("when: benaderd == 'ja'", "when: mensen + 1 > 3"),
        "when: mensen",
        11,
        "rules[1].when",
        "expressions cannot use arithmetic (+ -)",
        "use comparisons",
    ),
    case(
        "function-call-not-supported",
        mutate("when: benaderd == 'ja'", "when: $abs(mensen) > 3"),
        "when: $abs",
        11,
        "rules[1].when",
        "expressions cannot use a function call",
    ),
    case(
        "attribute-not-supported",
        mutate("when: benaderd == 'ja'", "when: benaderd.length > 3"),
        "when: benaderd",
        11,
        "rules[1].when",
        "expressions cannot use an attribute (x.y)",
    ),
    case(
        "regex-not-supported",
        mutate("when: benaderd == 'ja'", "when: benaderd =~ 'j.*'"),
        "when: benaderd",
        11,
        "rules[1].when",
        "expressions cannot use regular expressions (=~ !~)",
    ),
    case(
        "expression-not-text",
        mutate("when: benaderd == 'ja'", "when: true"),
        "when: true",
        11,
        "rules[1].when",
        "Input should be a valid string",
    ),
    # --- rules, risk levels, themes ------------------------------------------------------
    case(
        "red-flag-not-urgent",
        mutate("    priority: urgent", "    priority: high"),
        "priority: high",
        15,
        "rules[1].priority",
        "a red-flag rule must have priority 'urgent'",
        "set priority: urgent",
    ),
    case(
        "risk-levels-gap",
        mutate("min: 50, max: 100", "min: 60, max: 100"),
        "min: 60",
        42,
        "risk_levels[1].min",
        "gap between 50 and 60",
        "set min: 50 so the levels touch",
    ),
    case(
        "risk-levels-overlap",
        mutate("min: 50, max: 100", "min: 40, max: 100"),
        "min: 40",
        42,
        "risk_levels[1].min",
        "overlaps the previous level (40 < 50)",
        "set min: 50",
    ),
    case(
        "risk-levels-not-from-zero",
        mutate("Kwetsbaar, min: 0,", "Kwetsbaar, min: 10,"),
        "min: 10",
        44,
        "risk_levels[0].min",
        "the first risk level must start at min: 0",
    ),
    case(
        "risk-levels-not-to-100",
        mutate("min: 50, max: 100", "min: 50, max: 90"),
        "max: 90",
        51,
        "risk_levels[1].max",
        "the last risk level must end at max: 100",
    ),
    case(
        "risk-level-max-over-100",
        mutate("min: 50, max: 100", "min: 50, max: 110"),
        "max: 110",
        51,
        "risk_levels[1].max",
        "Input should be less than or equal to 100",
    ),
    case(
        "theme-without-questions",
        mutate("questions:\n", "  - {id: leeg, title: Leeg, description: Niets.}\nquestions:\n"),
        "id: leeg",
        5,
        "themes[2]",
        "theme 'leeg' has no questions",
        "add questions with this theme or remove the theme",
    ),
]


def _errors(exc: QuestionnaireError) -> list:
    assert exc.problems, "a QuestionnaireError must carry at least one problem"
    return exc.problems


@pytest.mark.parametrize("bad", CASES)
def test_load__malformed__refused_with_message_line_column_path(bad: Case, load_inline):
    with pytest.raises(QuestionnaireError) as info:
        load_inline(bad.text)
    errors = _errors(info.value)
    assert len(errors) == bad.errors, "\n".join(map(str, errors))
    matching = [p for p in errors if bad.message in p.message]
    assert matching, f"no error says {bad.message!r}:\n" + "\n".join(map(str, errors))
    problem = matching[0]
    line = 1 if bad.at is None else line_of(bad.text, bad.at)
    assert problem.position is not None
    assert Path(problem.position.file).name == "test.yaml"
    assert (problem.position.line, problem.position.column) == (line, bad.column), str(problem)
    assert problem.path == bad.path
    assert bad.hint in problem.hint


def test_cases__at_least_thirty_distinct():
    names = [c.id for c in CASES]
    messages = {c.values[0].message for c in CASES}
    assert len(set(names)) == len(names) >= 30
    assert len(messages) >= 30


def test_load__node_bomb__refused_where_the_limit_is_crossed(load_inline):
    # One mapping, one key, one list: 3 values; then 100 values per line ('[' and 99 items).
    row = "  - [" + ", ".join(["1"] * 99) + "]\n"
    text = "a:\n" + row * (MAX_NODES // 100 + 10)
    full_rows, rest = divmod(MAX_NODES + 1 - 3, 100)  # the value that crosses the limit
    with pytest.raises(QuestionnaireError) as info:
        load_inline(text)
    (problem,) = _errors(info.value)
    assert problem.message == f"more than {MAX_NODES} values in one file"
    assert problem.position.line == 1 + full_rows + 1
    # rest-th value of its row: '[' at column 5, then the items at columns 6, 9, 12, ...
    assert problem.position.column == 5 + 1 + 3 * (rest - 2)


def test_load__not_utf8__refused_with_column(write_questionnaire):
    path = write_questionnaire("")
    path.write_bytes(b"id: mini\ntitle: " + "Één caf".encode() + b"\xe9\n")
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(path, path.parent)
    (problem,) = _errors(info.value)
    assert problem.message == "file is not valid UTF-8 text"
    assert problem.hint == "save the file as UTF-8"
    # The Latin-1 'é' is on line 2, after 'title: Één caf' (the 'Éé' before it are UTF-8).
    assert (problem.position.line, problem.position.column) == (2, 15)


def test_load__registry_without_meld_misdaad_anoniem__refused(write_questionnaire, load_inline):
    registry = (QUESTIONNAIRES / "referrals.yaml").read_text()
    start = registry.index("  - id: meld_misdaad_anoniem")
    end = registry.index("  - id:", start + 1)
    write_questionnaire(registry[:start] + registry[end:], "referrals.yaml")
    text = mutate("referrals: [meld_misdaad_anoniem]", "referrals: [politie]")
    with pytest.raises(QuestionnaireError) as info:
        load_inline(text)
    (problem,) = _errors(info.value)
    assert problem.message == "the referral registry has no 'meld_misdaad_anoniem' entry"
    assert problem.hint == "add Meld Misdaad Anoniem to referrals.yaml"
    assert (problem.position.line, problem.position.column) == (1, 1)


@pytest.mark.parametrize(
    ("entry", "message", "path"),
    [
        (
            "  - {id: politie, name: Dubbel, phone: '1', when: W., source: S., verified_on: "
            "2026-01-01}\n",
            "referral id 'politie' is used more than once",
            "referrals",
        ),
        (
            "  - {id: stil, name: Stil, when: W., source: S., verified_on: 2026-01-01}\n",
            "a referral needs a phone, url or contact",
            "referrals",
        ),
        (
            "  - {id: oud, name: Oud, phone: '1', when: W., source: S., verified_on: gisteren}\n",
            "Input should be a valid date",
            "referrals",
        ),
    ],
    ids=["duplicate-id", "no-way-to-reach", "bad-date"],
)
def test_load__bad_registry_entry__refused_at_the_entry(
    entry, message, path, write_questionnaire, load_inline
):
    registry = (QUESTIONNAIRES / "referrals.yaml").read_text().rstrip("\n") + "\n" + entry
    write_questionnaire(registry, "referrals.yaml")
    with pytest.raises(QuestionnaireError) as info:
        load_inline(MINI)
    (problem,) = _errors(info.value)
    assert message in problem.message
    assert problem.position.file.endswith("referrals.yaml")
    assert problem.position.line == len(registry.splitlines())
    assert problem.path.startswith(path)


def test_load__schema_and_cross_check_errors__reported_in_two_rounds(load_inline):
    # Cross-checks need a typed model, so while the schema has errors only those are reported;
    # once they are fixed, every cross-check error comes at once.
    cross = [
        "    priority: urgent",
        "    priority: high",
        "min: 50, max: 100",
        "min: 55, max: 100",
    ]
    schema = [
        "duration_minutes: 2",
        "duration_minutes: 500",
        "    weight: 2",
        "    weight: -2",
        "    type: single_choice",
        "    type: single_choise",
    ]
    with pytest.raises(QuestionnaireError) as info:
        load_inline(mutate(*schema, *cross))
    assert sorted(p.path for p in _errors(info.value)) == [
        "duration_minutes",
        "questions[1].type",
        "themes[0].weight",
    ]
    with pytest.raises(QuestionnaireError) as info:
        load_inline(mutate(*cross))
    assert sorted(p.path for p in _errors(info.value)) == [
        "risk_levels[1].min",
        "rules[1].priority",
    ]


def test_load__five_independent_cross_check_errors__all_reported_at_once(load_inline):
    text = mutate(
        "    theme: fysiek\n    text: Welke",
        "    theme: fysiekk\n    text: Welke",
        "referrals: [politie]",
        "referrals: [polite]",
        "    priority: urgent",
        "    priority: high",
        "min: 50, max: 100",
        "min: 55, max: 100",
        "when: kennis <= 2",
        "when: kennis <= 'twee'",
    )
    with pytest.raises(QuestionnaireError) as info:
        load_inline(text)
    errors = _errors(info.value)
    assert sorted(p.path for p in errors) == [
        "questions[1].theme",
        "risk_levels[1].min",
        "rules[0].referrals[0]",
        "rules[1].priority",
        "rules[2].when",
    ]


def test_load__schema_errors_everywhere__all_reported_at_once(load_inline):
    text = mutate(
        "duration_minutes: 2",
        "duration_minutes: 500",
        "    weight: 2",
        "    weight: -2",
        "    type: single_choice",
        "    type: single_choise",
        "    priority: medium",
        "    priority: mediun",
        "score: 100}",
        "score: 101}",
    )
    with pytest.raises(QuestionnaireError) as info:
        load_inline(text)
    assert sorted(p.path for p in _errors(info.value)) == [
        "duration_minutes",
        "questions[1].options[0].score",
        "questions[1].type",
        "rules[0].priority",
        "themes[0].weight",
    ]


def test_load__errors__no_warnings_about_half_checked_rules(load_inline):
    # The broken rule reads benaderd; without it benaderd looks unused, but that is no news.
    text = mutate("when: benaderd == 'ja'", "when: benaderd == 'jaa'")
    with pytest.raises(QuestionnaireError) as info:
        load_inline(text)
    assert len(info.value.problems) == 1
    assert info.value.warnings == []


def _warnings(write_questionnaire, text: str) -> list:
    path = write_questionnaire(text)
    problems = validate_paths([path], path.parent)
    assert all(p.severity == "warning" for p in problems), "\n".join(map(str, problems))
    return problems


def test_validate__valid_sample__no_problems(write_questionnaire):
    assert _warnings(write_questionnaire, MINI) == []


def test_validate__scored_question_no_rule_reads__warning(write_questionnaire):
    text = mutate("when: hek == 'nee' or sloten == 'slecht'", "when: sloten == 'slecht'")
    (warning,) = _warnings(write_questionnaire, text)
    assert warning.message == "scored question 'hek' is used by no rule"
    assert warning.hint == "add a rule that gives advice on a weak answer"
    hek = line_of(text, "  - id: hek", exact=True)
    assert (warning.position.line, warning.path) == (hek, "questions[0]")
    assert str(warning).split(": ")[1] == "warning"


REQUIRED_HEK = (
    "    good_answer: ja\n  - id: sloten",
    "    good_answer: ja\n    required: true\n  - id: sloten",
)


def test_validate__required_question_without_error_message__warning_at_the_question(
    write_questionnaire,
):
    text = mutate(*REQUIRED_HEK)
    (warning,) = _warnings(write_questionnaire, text)
    assert warning.message == "required question 'hek' has no error_message"
    assert warning.hint == (
        "say what to do when it is left open, for this question, "
        "e.g. error_message: Kies of u een eigen terrein heeft."
    )
    hek = line_of(text, "  - id: hek", exact=True)
    assert (warning.position.line, warning.position.column, warning.path) == (
        hek,
        5,
        "questions[0]",
    )


def test_validate__hint_shows_an_example_for_the_questions_kind(write_questionnaire):
    text = mutate(
        "    number: {min: 0, max: 500}", "    number: {min: 0, max: 500}\n    required: true"
    )
    (warning,) = _warnings(write_questionnaire, text)
    assert warning.message == "required question 'mensen' has no error_message"
    assert warning.hint.endswith("e.g. error_message: Vul in hoeveel mensen er bij u werken.")


def test_validate__required_question_with_error_message__no_warning(write_questionnaire):
    own = "    required: true\n    error_message: Kies of u een hek heeft.\n  - id: sloten"
    text = mutate(REQUIRED_HEK[0], "    good_answer: ja\n" + own)
    assert _warnings(write_questionnaire, text) == []


def test_validate__error_message_on_a_question_not_required__warning_at_the_key(
    write_questionnaire,
):
    text = mutate(
        "    good_answer: ja\n  - id: sloten",
        "    good_answer: ja\n    error_message: Kies of u een hek heeft.\n  - id: sloten",
    )
    (warning,) = _warnings(write_questionnaire, text)
    assert warning.message == (
        "question 'hek' is not required, so its error_message is never shown"
    )
    assert warning.hint == "add required: true, or remove error_message"
    assert (warning.position.line, warning.path) == (
        line_of(text, "error_message: Kies"),
        "questions[0].error_message",
    )


def test_validate__error_message__checked_for_b1_like_the_other_texts(write_questionnaire):
    hard = "Indien u dit niet weet, dient u de optie ‘Weet ik niet’ te selecteren."
    text = mutate(
        REQUIRED_HEK[0],
        f"    good_answer: ja\n    required: true\n    error_message: {hard}\n  - id: sloten",
    )
    warnings = _warnings(write_questionnaire, text)
    assert warnings and all(w.path == "questions[0].error_message" for w in warnings)
    assert any("'indien' is officialese" in w.message for w in warnings)
    assert {w.position.line for w in warnings} == {line_of(text, "error_message:")}


def test_validate__rule_that_can_never_fire__warning(write_questionnaire):
    text = mutate("when: kennis <= 2 and mensen > 10", "when: kennis < 1 and mensen > 10")
    (warning,) = _warnings(write_questionnaire, text)
    assert warning.message == (
        "rule 'kennis_leren' cannot fire for any combination of answers tried"
    )
    assert (warning.position.line, warning.position.column) == (line_of(text, "kennis < 1"), 11)
    assert warning.path == "rules[2].when"


def test_validate__rule_reads_no_answer__warning(write_questionnaire):
    text = mutate("when: kennis <= 2 and mensen > 10", "when: 1 > 2")
    warnings = _warnings(write_questionnaire, text)
    messages = sorted(w.message for w in warnings)
    assert messages == [
        "rule 'kennis_leren' does not read any answer",
        "scored question 'kennis' is used by no rule",
    ]


def test_problem__text_format__file_line_col_severity_path_message_hint(load_inline):
    text = mutate("    theme: fysiek\n    text: Welke", "    theme: fysiekk\n    text: Welke")
    with pytest.raises(QuestionnaireError) as info:
        load_inline(text)
    (problem,) = info.value.problems
    line = line_of(text, "fysiekk")
    assert str(problem) == (
        f"{problem.position.file}:{line}:12: error: questions[1].theme: "
        "unknown theme 'fysiekk' (did you mean 'fysiek'?)"
    )
    assert str(info.value) == str(problem)


def test_problem__no_path_no_hint__short_format(load_inline):
    with pytest.raises(QuestionnaireError) as info:
        load_inline(mutate("title: Mini", "title: !mijn Mini"))
    (problem,) = info.value.problems
    assert str(problem).endswith(
        ":3:8: error: YAML tag '!mijn' is not allowed "
        "(remove the tag; only plain YAML values are allowed)"
    )


def test_load__file_of_exactly_the_maximum_size__accepted(load_inline):
    text = MINI + "#" * (MAX_BYTES - len(MINI) - 1) + "\n"
    assert len(text.encode()) == MAX_BYTES
    assert load_inline(text).id == "mini"


def test_catalog__same_id_and_version_twice__second_refused(write_questionnaire):
    write_questionnaire(MINI, "a.yaml")
    second = write_questionnaire(MINI, "b.yaml")
    catalog = load_catalog(second.parent)
    (problem,) = catalog.problems
    assert problem.message == "questionnaire 'mini' version 1 is defined twice"
    assert (problem.position.file, problem.position.line) == (str(second), 1)
    assert catalog.get("mini").source.endswith("a.yaml")


def test_catalog__broken_file__refused_others_loaded(write_questionnaire):
    write_questionnaire(MINI, "a.yaml")
    broken = write_questionnaire(mutate("id: mini", "id: Mini"), "b.yaml")
    catalog = load_catalog(broken.parent)
    assert [p.position.file for p in catalog.problems] == [str(broken)]
    assert list(catalog.latest) == ["mini"]


def test_load__several_unsafe_constructs__all_reported_at_once(load_inline):
    text = mutate(
        "title: Mini",
        "title: !mijn Mini",
        "    description: Gebouw en terrein.",
        "    description: &d Gebouw en terrein.",
        "    description: Signalen en melden.",
        "    description: *d",
    )
    with pytest.raises(QuestionnaireError) as info:
        load_inline(text)
    assert [(p.position.line, p.message) for p in _errors(info.value)] == [
        (line_of(text, "!mijn"), "YAML tag '!mijn' is not allowed"),
        (line_of(text, "&d"), "anchors and aliases (& and *) are not allowed"),
        (line_of(text, "*d"), "anchors and aliases (& and *) are not allowed"),
    ]


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        (b"id: mini\rtitle: x\x01\r", (2, 9)),  # old Mac line ends
        (b"id: mini\r\ntitle: x\x01\r\n", (2, 9)),  # Windows line ends
        (b"id: mini\r\ntitle: \xe9\r\n", (2, 8)),  # Latin-1, not UTF-8
    ],
    ids=["cr-control", "crlf-control", "crlf-latin1"],
)
def test_load__bad_character_after_other_line_ends__right_line(raw, where, write_questionnaire):
    path = write_questionnaire("")
    path.write_bytes(raw)
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(path, path.parent)
    (problem,) = _errors(info.value)
    assert (problem.position.line, problem.position.column) == where
