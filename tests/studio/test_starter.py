"""The starter overlay of a new draft: it loads as is, and so does every change it shows."""

from __future__ import annotations

import re

import pytest

from scan.questionnaire.loader import check_text
from scan.studio.starter import starter_overlay

BLOCK_START = re.compile(r"^#[a-z_]+:")  # '#add:': a commented block of YAML starts here


def _uncommented(text: str) -> str:
    """Remove the '#' from each line of each commented block: from '#key:' to the blank line."""
    lines, inside = [], False
    for line in text.split("\n"):
        inside = bool(BLOCK_START.match(line)) or (inside and line != "")
        lines.append(line[1:] if inside else line)
    return "\n".join(lines)


def _errors(text: str, catalog) -> list[str]:
    checked = check_text(text, "eigen_scan.yaml", catalog)
    return [str(p) for p in checked.problems if p.severity == "error"]


BASES = [
    "voorbeeld",
    "buitengebied_erfscan",
    "vakantieparken",
    "transport",
    "haven",
    "vastgoed",
    "bedrijventerreinen",
]


@pytest.mark.parametrize("base_id", BASES)
def test_starter__loads_as_is__and_with_every_change_uncommented(catalog, base_id):
    base = catalog.latest[base_id]
    text = starter_overlay("eigen_scan", base, "Recron")
    assert _errors(text, catalog) == []
    # Only the id, the base, the title and the base's examples take effect as written.
    as_is = check_text(text, "eigen_scan.yaml", catalog).questionnaire
    assert [x.id for x in as_is.questions] == [x.id for x in base.questions]

    tailored = _uncommented(text)
    assert tailored != text
    assert _errors(tailored, catalog) == []
    checked = check_text(tailored, "eigen_scan.yaml", catalog)
    # the required question comes with its own error message, so no warning about it
    assert not [p for p in checked.problems if "error_message" in p.message]
    q = checked.questionnaire
    ids = [x.id for x in q.questions]
    assert ids[ids.index(base.questions[0].id) + 1] == "eigen_vraag"  # add, after
    assert q.question("eigen_nu_onder_druk").acute_when == "ja"  # an acute answer
    assert "eigen_advies" in [r.id for r in q.rules]  # an own rule
    assert "eigen_meldpunt" in q.registry  # an own referral
    assert q.themes[0].weight == base.themes[0].weight + 1  # a weight, by replace
    assert len(q.questions) < len(base.questions) + 2  # a question removed


def test_starter__shows_every_kind_of_change(catalog):
    text = starter_overlay("eigen_scan", catalog.latest["voorbeeld"], "Recron")
    for block in (
        "#add:",
        "#  questions:",
        "#  rules:",
        "#new_referrals:",
        "#replace:",
        "#  themes:",
        "#remove:",
        "acute_when: ja",
        "weight:",
        "examples:",
    ):
        assert block in text, block
    # every explaining line is Dutch and starts with '# ' (so it stays a comment)
    assert "het eerste #-teken weg" in text
