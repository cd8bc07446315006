"""The safety checks as located errors: unsafe texts and links, and advice that needs
`only_when_safe`.

Run by the loader on every questionnaire it checks (shipped files, branch overlays, studio
drafts, imports, publish), so unsafe text cannot be published. The phrasings themselves live
in safety.py.
"""

from __future__ import annotations

from typing import Any

from scan.questionnaire import readability as rd
from scan.questionnaire.errors import Problem
from scan.questionnaire.links import TEXT_HINT, text_link_problem
from scan.questionnaire.located import locate
from scan.questionnaire.model import Questionnaire
from scan.questionnaire.safety import check_refused, needs_safe_mark, rule_texts
from scan.questionnaire.textwarnings import parse_path

SAFE_MARK_HINT = (
    "zet 'only_when_safe: true' bij deze regel: dit advies vraagt contact met de betrokkenen "
    "en komt dan niet in een uitslag met 'Direct hulp nodig'"
)


def safety_errors(q: Questionnaire, data: Any) -> list[Problem]:
    """Return an error at the line of every unsafe text, and at every rule that needs the mark."""
    problems = []
    for where, text in rd.questionnaire_texts(q):
        problems.extend(link_errors(data, where, text))
        for sentence, refused in check_refused(text):
            problems.append(
                Problem(
                    f"unsafe text: {refused.why}: {sentence!r}",
                    locate(data, parse_path(where)),
                    where,
                    hint=f"schrijf het veilig, bijvoorbeeld: {refused.rewrite}",
                )
            )
    for r, rule in enumerate(q.rules):
        if rule.only_when_safe and rule.red_flag:
            problems.append(
                Problem(
                    f"rule '{rule.id}' is a red flag, so 'only_when_safe' would hide it always",
                    locate(data, ("rules", r)),
                    f"rules[{r}]",
                    hint="haal de stappen met contact eruit en zet ze in een eigen regel",
                )
            )
        if rule.only_when_safe:
            continue
        for key, text in rule_texts(rule):
            sentence = needs_safe_mark(text)
            if sentence:
                where = f"rules[{r}].advice.{key}"
                problems.append(
                    Problem(
                        f"rule '{rule.id}' asks for contact with the people or premises "
                        f"concerned ({sentence!r}) but has no 'only_when_safe: true'",
                        locate(data, parse_path(where)),
                        where,
                        hint=SAFE_MARK_HINT,
                    )
                )
                break
    return problems


def link_errors(data: Any, where: str, text: str) -> list[Problem]:
    """Return an error at a text that holds a link other than https (links.text_link_problem)."""
    reason = text_link_problem(text)
    if reason is None:
        return []
    return [Problem(reason, locate(data, parse_path(where)), where, hint=TEXT_HINT)]
