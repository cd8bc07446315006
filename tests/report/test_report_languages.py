"""The report in English and Polish: every fixed text in the reader's language, the parts only
a repeat scan or a visit has included (the progress since last time, the agreed actions)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from scan.questionnaire.translated import in_language
from scan.report import render_pdf
from scan.report.progress import Point, Progress, ThemeChange
from scan.report.visit import VisitReport
from scan.scoring import score

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"
# Words of the report's own Dutch texts (headings, the counts sentence, the progress, the
# agreed actions, the repeat note) that no English or Polish report may show. Names kept in
# Dutch on purpose (Meld Misdaad Anoniem ...) contain none of them.
DUTCH = {
    "uw",
    "vraag",
    "vragen",
    "keer",
    "toen",
    "punten",
    "voortgang",
    "opgelost",
    "nog",
    "afgesproken",
    "adviseur",
    "vorige",
    "gelijk",
    "opnieuw",
    "geen",
    "antwoorden",
    "sinds",
    "onderwerp",
    "totaalscore",
    "verandert",
    "golden",
    "gold",
    "telt",
    "tellen",
}


def _full_report(catalog, language: str, then: float = 41.0, now: float = 57.5) -> str:
    """Render a repeat scan after a visit, with a plan, in a language; return its text."""
    dutch = catalog.get("voorbeeld")
    q = in_language(dutch, language, QUESTIONNAIRES) if language != "nl" else dutch
    example = dutch.examples[0]
    result = score(q, example.answers)
    rules = [r.id for r in q.rules]
    themes = tuple(
        ThemeChange(t.id, dutch.themes[i].title, then=40.0 + i, now=55.0 + i)
        for i, t in enumerate(q.themes)
    )
    progress = Progress(
        then_day=dt.date(2025, 11, 3),
        themes=themes,
        overall_then=then,
        overall_now=now,
        new=tuple(rules[:1]),
        resolved=tuple(rules[1:2]),
        standing=tuple(rules[2:3]),
        resolved_titles={r.id: r.advice.title for r in dutch.rules[1:2]},
        line=(
            Point(dt.date(2024, 11, 1), 30.0),
            Point(dt.date(2025, 11, 3), then),
            Point(dt.date(2026, 11, 30), now),
        ),
    )
    visit = VisitReport(
        organisation="PVO Brabant-Zeeland",
        observations={q.themes[0].id: "Hek staat open."},
        actions=((q.themes[0].id, "Hek op slot", "Jan", "01-02-2027"),),
    )
    data = render_pdf(
        result,
        q,
        reference="TEST1234",
        answers=example.answers,
        date=dt.date(2026, 11, 30),
        progress=progress,
        visit=visit,
        language=language,
    )
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_dutch_report__has_the_texts_this_test_looks_for(catalog):
    """The check below can fail: the Dutch report does show these words."""
    found = set(re.findall(r"[a-zà-ÿ]+", _full_report(catalog, "nl").lower())) & DUTCH
    assert {"voortgang", "toen", "afgesproken", "opnieuw", "golden"} <= found


@pytest.mark.parametrize("language", ["en", "pl"])
def test_repeat_scan_after_a_visit__no_dutch_fixed_text(catalog, language):
    text = _full_report(catalog, language)
    dutch = set(re.findall(r"[a-zà-ÿ]+", text.lower())) & DUTCH
    assert not dutch, f"Dutch words in the {language} report: {sorted(dutch)}"
    assert "Meld Misdaad Anoniem" in text
    assert "PVO Brabant-Zeeland" in text


@pytest.mark.parametrize(
    ("language", "then", "now", "said"),
    [
        ("nl", 41.0, 42.5, "Dat is 1 punt beter."),  # before: "Dat is 1,5 punten beter."
        ("nl", 41.0, 57.5, "Dat is 16 punten beter."),  # before: "16,5", beside toen 41, nu 57
        ("nl", 57.5, 56.9, "Dat is 1 punt lager."),
        ("en", 41.0, 42.5, "That is 1 point better."),
        ("en", 57.5, 40.2, "That is 17 points lower."),
        ("pl", 41.0, 42.5, "To 1 pkt. lepiej."),
    ],
)
def test_repeat_scan__the_change_in_whole_points_and_the_right_number(
    catalog, language, then, now, said
):
    text = " ".join(_full_report(catalog, language, then, now).split())
    assert said in text
