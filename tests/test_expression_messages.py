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
