"""Reports an entrepreneur reads: a weak scan fits in 12 pages, no job twice, one score figure."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from loader_samples import QUESTIONNAIRES, SECTORS
from pypdf import PdfReader
from weak_profiles import weakest_answers

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.presentation import distinct_advice, readable, score_figure
from scan.questionnaire import load_catalog
from scan.questionnaire.advice import FiredAdvice, Trigger
from scan.report import render_pdf, sections
from scan.report.progress import Progress, ThemeChange
from scan.scans import store
from scan.scoring import risk_level_index, score

MAX_PAGES = 12


@pytest.fixture(scope="module")
def weak_reports():
    """Render the weakest answer set of every sector once: {qid: (result, pdf text pages)}."""
    catalog = load_catalog(QUESTIONNAIRES)
    made = {}
    for qid in SECTORS:
        q = catalog.get(qid)
        answers = weakest_answers(q)
        result = score(q, answers, hidden="ignore")
        pdf = render_pdf(result, q, reference="ab12cd34", answers=answers)
        made[qid] = (result, [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages])
    return made


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


@pytest.mark.parametrize("qid", SECTORS)
def test_weakest_answers__pdf_fits_in_twelve_pages(weak_reports, qid):
    result, pages = weak_reports[qid]
    assert len(result.advice) >= 20, "the profile is weak: most rules fire"
    assert len(pages) <= MAX_PAGES, (qid, len(pages))


@pytest.mark.parametrize("qid", SECTORS)
def test_weakest_answers__no_job_listed_twice(weak_reports, qid):
    result, pages = weak_reports[qid]
    shown = readable(result).advice
    titles = [_words(item.title) for item in shown]
    steps = [_words(step) for item in shown for step in item.steps]
    assert len(titles) == len(set(titles)), qid
    assert len(steps) == len(set(steps)), qid
    # In the PDF's theme part, every step of the tips shown in full is printed once.
    text = " ".join(" ".join(pages).split())
    themes = _words(text.split("Resultaat per onderwerp")[1].split("Maak van de tips een plan")[0])
    full = shown[: sections.FIRST_ADVICE]
    printed = [_words(step) for item in full for step in item.steps]
    printed += [
        _words(item.steps[0])
        for item in shown[sections.FIRST_ADVICE :]
        if item.priority in ("urgent", "high")
    ]
    for step in printed:
        # once, or as often as a longer step that says more contains its words
        inside = sum(f" {step} " in f" {other} " for other in printed)
        assert themes.count(step) == inside, (qid, step)


def test_readable__weak_bedrijventerreinen__the_repeated_steps_of_today_left_out():
    # Regression: today's weakest bedrijventerreinen profile gives two steps twice.
    q = load_catalog(QUESTIONNAIRES).get("bedrijventerreinen")
    result = score(q, weakest_answers(q), hidden="ignore")
    raw = [_words(step) for item in result.advice for step in item.steps]
    assert len(raw) > len(set(raw))
    shown = [_words(step) for item in readable(result).advice for step in item.steps]
    assert len(shown) == len(set(shown)) < len(raw) and set(shown) <= set(raw)


def _advice(id_: str, title: str, steps: tuple[str, ...], refs=()) -> FiredAdvice:
    trigger = Trigger(id_, f"Vraag {id_}?", "Ja")
    return FiredAdvice(id_, "t", "high", False, title, "Uitleg.", steps, tuple(refs), (trigger,))


def test_distinct_advice__same_title_merged_repeated_step_dropped_order_kept():
    first = _advice("a", "Meld het veilig", ("Bel 0800-7000.", "Schrijf het op."), ["mma"])
    other = _advice("b", "Zet de nummers erin", ("bel 0800-7000", "Sla 112 op.", "Schrijf"))
    again = _advice("c", "Meld het veilig!", ("Vertel het de PFSO.",), ["mma", "pfso"])
    out = distinct_advice([first, other, again])
    assert [item.id for item in out] == ["a", "b"]
    assert out[0].steps == ("Bel 0800-7000.", "Schrijf het op.", "Vertel het de PFSO.")
    assert out[0].referrals == ("mma", "pfso")
    assert [t.question_id for t in out[0].triggers] == ["a", "c"]
    assert out[1].steps == ("Sla 112 op.",)
    assert distinct_advice(out) == out


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, "geen"), (0.0, "0"), (49.99, "49"), (74.6, "74"), (75.0, "75"), (100.0, "100")],
)
def test_score_figure__whole_points_rounded_down(value, shown):
    assert score_figure(value) == shown


@pytest.mark.parametrize(
    ("then", "now", "change"),
    [
        (40.9, 57.1, 17),  # before: 16.2, shown as 16 beside "toen 40, nu 57"
        (41.0, 57.5, 16),  # before: 16.5, shown as "16,5" in the PDF
        (40.2, 40.8, 0),  # before: 0.6, "0,6 punten beter" beside "toen 40, nu 40"
        (57.1, 40.9, -17),
        (None, 50.0, None),
        (50.0, None, None),
    ],
)
def test_change__the_difference_of_the_figures_shown(then, now, change):
    progress = Progress(dt.date(2026, 1, 1), (), then, now, (), (), (), {}, ())
    theme = ThemeChange("t", "T", then, now)
    assert progress.overall_change == theme.change == change
    if change is not None:
        assert change == int(score_figure(now)) - int(score_figure(then))


def test_score_figure__always_lies_in_the_level_shown(catalog):
    for q in catalog.versions.values():
        levels = q.risk_levels
        for tenths in range(0, 1001):
            value = tenths / 10
            shown = float(score_figure(value))
            assert risk_level_index(levels, shown) == risk_level_index(levels, value), (q.id, value)


def test_result_page_and_pdf__show_the_same_score_and_level(app, client):
    with app.app_context():
        catalog = get_catalog()
        # An example whose score has a fraction of .5 or more: rounding half up would show
        # the next whole number on one side only.
        q, answers, result = next(
            (q, example.answers, r)
            for q in catalog.versions.values()
            for example in q.examples
            if (r := score(q, example.answers)).overall is not None
            and not r.red_flag
            and r.overall % 1 >= 0.5
        )
        scan, token = store.start_scan(q, ttl_days=90)
        scan.answers = dict(answers)
        store.submit_scan(scan, q)
        db.session.commit()
    figure = score_figure(result.overall)
    assert figure == str(int(result.overall))
    assert client.get(f"/scan/{token}/").status_code == 303
    page = client.get("/scan/resultaat").get_data(as_text=True)
    pdf = client.get("/scan/rapport.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    text = " ".join(text.split())
    assert f"Totaalscore {figure} van de 100" in page
    # Every place of the PDF says the same figure (the cover's week block said "56,7" while
    # the summary said "56").
    assert re.findall(r"Totaalscore ([\d,.]+) van de 100", text) == [figure] * 2
    assert f"Uw bedrijf is: <strong>{result.outcome.label}</strong>" in page
    assert result.outcome.label in text
