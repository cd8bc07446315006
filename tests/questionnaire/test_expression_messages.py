"""Expression messages where authors get stuck: what is missing, and what to write instead."""

from __future__ import annotations

import pytest
from loader_samples import line_of, mutate

from scan.questionnaire import QuestionnaireError

OLD = "when: benaderd == 'ja'"


@pytest.mark.parametrize(
    ("when", "message", "hint"),
    [
        (
            "(benaderd == 'ja' or mensen > 3",
            "syntax error in expression: '(' at character 1 is not closed",
            "add ')' at the end of the group",
        ),
        (
            "benaderd in ['ja', 'nee'",
            "syntax error in expression: '[' at character 13 is not closed",
            "add ']' at the end of the group",
        ),
        (
            "benaderd == 'ja')",
            "syntax error in expression: ')' at character 17 has no '(' before it",
            "remove it, or add '(' where the group starts",
        ),
        (
            "benaderd == 'ja",
            "syntax error in expression: the text in quotes at character 13 is not closed",
            "add the closing '",
        ),
        (
            "benaderd.waarde == 'ja'",
            "expressions cannot use an attribute (x.y): it is not part of the expression language",
            "use comparisons on the answer itself, e.g. vraag == 'ja'",
        ),
        (
            "mensen * 2 > 10",
            "expressions cannot use arithmetic (* / % **): it is not part of the expression "
            "language",
            "write mensen > 2, not mensen + 1 > 3",
        ),
    ],
)
def test_expression__common_mistake__says_what_is_missing_or_what_to_write(
    load_inline, when, message, hint
):
    text = mutate(OLD, f'when: "{when}"')
    with pytest.raises(QuestionnaireError) as info:
        load_inline(text)
    problems = info.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert (problem.position.line, problem.path) == (line_of(text, when), "rules[1].when")
    assert problem.message == message
    assert hint in problem.hint


def test_duplicate_question_id__one_error_no_cascade_into_rules(load_inline):
    # A copied question whose id was not changed: other kinds of answers than the original.
    copy = (
        "  - id: kennis\n    theme: signalen\n    text: Weet u het?\n    help: Uitleg.\n"
        "    type: yes_no\n    good_answer: ja\nrules:"
    )
    text = mutate("rules:", copy)
    with pytest.raises(QuestionnaireError) as info:
        load_inline(text)
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("questions[5].id", "question id 'kennis' is used more than once")
    ]
