"""The PDF report: contents, metadata, outline, escaping, fonts and rendered pages."""

from __future__ import annotations

import ast
import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from loader_samples import SECTORS
from pypdf import PdfReader

from scan.presentation import readable, score_figure
from scan.report import render_pdf, sections
from scan.report.typesetting import clean, para
from scan.scoring import score

SECTIONS = [
    "Voorblad",
    "Doe dit deze week",
    "Samenvatting",
    "Resultaat per onderwerp",
    "Actieplan",
    "Melden en hulp",
    "Hoe werkt deze scan?",
]
REPORT_DIR = Path(__file__).resolve().parents[2] / "scan" / "report"
DAY = dt.date(2026, 11, 28)
NATIONAL = {"meld_misdaad_anoniem", "noodnummer_112", "politie"}


def _examples(catalog):
    """Yield (questionnaire, example) for every example profile of the sector scans."""
    for qid in SECTORS:
        q = catalog.get(qid)
        for example in q.examples:
            yield q, example


@pytest.fixture(scope="session")
def reports(catalog):
    """Render every sector example profile once: {(qid, example): (q, result, report)}."""
    made = {}
    for q, example in _examples(catalog):
        result = score(q, example.answers)
        pdf = render_pdf(result, q, reference="ab12cd34", answers=example.answers, date=DAY)
        made[(q.id, example.name)] = (q, result, Report(pdf))
    return made


def words(text: str) -> str:
    """Collapse all whitespace, as text extraction breaks lines where the layout does."""
    return " ".join(text.split())


def page_text(reader: PdfReader, index: int) -> str:
    """Return one page's text with whitespace collapsed."""
    if isinstance(reader, Report):
        return reader.texts[index]
    return words(reader.pages[index].extract_text())


def all_text(reader: PdfReader) -> str:
    """Return the whole document's text with whitespace collapsed."""
    if isinstance(reader, Report):
        return " ".join(reader.texts)
    return words(" ".join(page.extract_text() for page in reader.pages))


def outline(reader: PdfReader) -> list[tuple[str, int, int]]:
    """Return the outline as (title, level, zero-based page) entries, in order."""
    entries: list[tuple[str, int, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                entries.append((item.title, level, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return entries


def given_calls(q, result) -> list[str]:
    """Return whom "Doe dit deze week" gives: the red-flag page's calls, else the cover's."""
    from scan.presentation import week_steps as week_calls

    if result.red_flag:
        return sections.week_call_ids(readable(result))
    return [call.ref_id for call in week_calls(readable(result), q)]


def section_page(reader: PdfReader, title: str) -> int:
    """Return the page an outline entry points at."""
    entries = reader.entries if isinstance(reader, Report) else outline(reader)
    return next(page for entry, _, page in entries if entry == title)


class Report(PdfReader):
    """A rendered report whose page texts and outline are extracted once."""

    def __init__(self, pdf: bytes) -> None:
        super().__init__(io.BytesIO(pdf))
        self.texts = [words(page.extract_text()) for page in self.pages]
        self.entries = outline(self)


# --- contents of the shipped example profiles ----------------------------------------------


@pytest.mark.slow
def test_render_pdf__every_example__metadata_language_and_outline(reports):
    for (qid, name), (q, result, reader) in reports.items():
        meta = reader.metadata
        assert meta.title == f"{q.title}: uw resultaat", (qid, name)
        assert q.sector in meta.subject
        assert meta.author == "Weerbaarheidsscan"
        assert reader.trailer["/Root"]["/Lang"] == "nl"
        entries = reader.entries
        top = [title for title, level, _ in entries if level == 0]
        assert top == SECTIONS, (qid, name)
        themes = [title for title, level, _ in entries if level == 1]
        assert themes == [f"{i}. {t.title}" for i, t in enumerate(result.themes, start=1)]
        pages = [page for _, _, page in entries]
        assert pages == sorted(pages), "sections appear in outline order"


def test_render_pdf__every_example__footer_with_page_numbers_on_every_page(reports):
    for (qid, name), (_, result, reader) in reports.items():
        total = len(reader.pages)
        for index in range(total):
            text = page_text(reader, index)
            # The total is a form drawn after "van", so extraction may place it elsewhere.
            assert f"Pagina {index + 1} van" in text, (qid, name, index)
            assert re.search(rf"(^|\s){total}(\s|$)", text), (qid, name, index)
            assert f"{result.title} · referentie ab12cd34" in text


def test_render_pdf__every_example__theme_scores_match_result_on_their_page(reports):
    for (qid, name), (_, result, reader) in reports.items():
        summary = " ".join(
            page_text(reader, i)
            for i in range(
                section_page(reader, "Samenvatting"),
                section_page(reader, "Resultaat per onderwerp") + 1,
            )
        )
        for index, theme in enumerate(result.themes, start=1):
            heading = f"{index}. {theme.title}"
            text = page_text(reader, section_page(reader, heading))
            assert heading in text
            if theme.score is None:
                assert f"{heading} Geen score" in text, (qid, name, heading)
                assert "geen score" in summary
            else:
                shown = f"{heading} Score {score_figure(theme.score)} van de 100"
                assert shown in text, (qid, name, shown)
                assert f"{theme.title} {score_figure(theme.score)}" in summary
        if result.overall is not None:
            assert f"Totaalscore {score_figure(result.overall)} van de 100" in summary
        assert result.risk is None or result.risk.label in summary


def test_render_pdf__every_example__advice_only_for_rules_that_fired(reports):
    for (qid, name), (q, result, reader) in reports.items():
        text = all_text(reader)
        fired = {item.title for item in result.advice}
        shown = readable(result).advice
        for item in shown[: sections.FIRST_ADVICE]:  # in full
            assert item.title in text, (qid, name, item.id)
            for step in item.steps:
                assert words(step) in text, (qid, name, item.id, step)
        for item in shown[sections.FIRST_ADVICE :]:  # for later: title, urgent/high first step
            assert item.title in text, (qid, name, item.id)
            if item.priority in ("urgent", "high"):
                assert words(item.steps[0]) in text, (qid, name, item.id)
        # A step can be shared on purpose (the drug-waste instruction is one text everywhere).
        given = {words(step) for item in result.advice for step in item.steps}
        for rule in q.rules:
            if rule.id not in result.fired_ids() and rule.advice.title not in fired:
                assert rule.advice.title not in text, (qid, name, rule.id)
                if words(rule.advice.steps[0]) not in given:
                    assert words(rule.advice.steps[0]) not in text, (qid, name, rule.id)


def test_render_pdf__every_example__action_plan_lists_the_tips_to_start_with(reports):
    for (qid, name), (_, result, reader) in reports.items():
        # Sections may share a page: read from the plan's first page to the help's first page.
        start = section_page(reader, "Actieplan")
        end = section_page(reader, "Melden en hulp")
        text = " ".join(page_text(reader, i) for i in range(start, end + 1))
        assert "Nr Maatregel Wie Wanneer Klaar" in text
        shown = readable(result).advice
        for index, item in enumerate(shown[: sections.FIRST_ADVICE], start=1):
            assert f"{index} {item.title}" in text, (qid, name, item.id)
        later = len(shown) - sections.FIRST_ADVICE
        if later > 0:
            assert f"De {later} andere tips staan bij de onderwerpen" in text, (qid, name)
        table = text.split("Nr Maatregel")[1].split("andere tips")[0]
        for item in shown[sections.FIRST_ADVICE :]:
            assert item.title not in table, (qid, name, item.id)


def test_render_pdf__every_example__help_page_has_meld_misdaad_anoniem_and_referrals(reports):
    for (qid, name), (q, result, reader) in reports.items():
        first = section_page(reader, "Melden en hulp")
        text = " ".join(
            page_text(reader, i) for i in range(first, min(first + 2, len(reader.pages)))
        )
        assert "Meld Misdaad Anoniem" in text
        assert "0800-7000" in text
        assert "meldmisdaadanoniem.nl" in text
        assert "anoniem" in text.lower() and "IP-adres" in text
        assert "Bel dan 112" in text
        assert "0900-8844" in text and "aangifte" in text
        following = " ".join(
            page_text(reader, i)
            for i in range(
                section_page(reader, "Melden en hulp"),
                section_page(reader, "Hoe werkt deze scan?") + 1,
            )
        )
        week = page_text(reader, section_page(reader, "Doe dit deze week"))
        for ref in result.referrals:
            # Each contact once: on "Doe dit deze week", else on the help pages.
            if ref.id in given_calls(q, result):
                # (a long name may break inside a word in the table's narrow column)
                assert ref.name.replace(" ", "") in week.replace(" ", ""), (qid, name, ref.id)
            elif ref.id in NATIONAL:  # in the "who to call when" table, by number
                assert ref.phone in text, (qid, name, ref.id)
            else:
                assert ref.name in following, (qid, name, ref.id)


def test_render_pdf__red_flag__urgent_box_on_summary_page(reports):
    seen = set()
    for (qid, name), (_, result, reader) in reports.items():
        summary = page_text(reader, section_page(reader, "Samenvatting"))
        has_box = "Let op: uw antwoorden laten een ernstig signaal zien" in summary
        assert has_box == result.red_flag, (qid, name)
        if result.red_flag:
            assert "Doe dit niet alleen" in summary
            assert "Bel 112" in summary and "0800-7000" in summary and "0900-8844" in summary
            for item in result.advice:
                if item.red_flag:
                    assert item.title in summary
        seen.add(result.red_flag)
    assert seen == {True, False}, "the example profiles cover both cases"


def test_render_pdf__how_it_works_lists_risk_levels_and_limits(reports):
    q, _, reader = reports[("haven", "kwetsbaar")]
    first = section_page(reader, "Hoe werkt deze scan?")
    text = " ".join(page_text(reader, i) for i in range(first, len(reader.pages)))
    assert "Wat deze scan niet kan" in text
    for level in q.risk_levels:
        assert level.label in text and words(level.explanation) in text


def test_render_pdf__cover__title_sector_date_reference(reports):
    q, _, reader = reports[("vastgoed", "makelaar_deels")]
    text = page_text(reader, 0)
    for expected in (q.title, q.sector, "28 november 2026", "ab12cd34", "0800-7000"):
        assert expected in text


def test_render_pdf__every_font__embedded_dejavu(reports):
    _, _, reader = reports[("haven", "kwetsbaar")]
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
    assert fonts and all("DejaVuSans" in name for name in fonts), fonts


# --- answers, notes and arguments ------------------------------------------------------------

SMALL = """
id: klein
version: 1
title: Kleine scan
sector: Testsector
introduction: Een korte scan.
duration_minutes: 2
themes:
  - {id: thema, title: Het thema, description: Een thema.}
questions:
  - {id: slot, theme: thema, text: Zit er een goed slot op de deur?, help: Hulp.,
     type: yes_no, good_answer: ja}
  - {id: licht, theme: thema, text: Brandt er licht bij de ingang?, help: Hulp.,
     type: yes_no, good_answer: ja}
  - {id: camera, theme: thema, text: Hangt er een camera bij het hek?, help: Hulp.,
     type: yes_no, good_answer: ja}
risk_levels:
  - {id: laag, label: Kwetsbaar, min: 0, max: 60, explanation: Er is werk aan de winkel.}
  - {id: hoog, label: Weerbaar, min: 60, max: 100, explanation: Goed geregeld.}
"""


def _render(q, scored: dict, **options) -> PdfReader:
    result = score(q, scored)
    pdf = render_pdf(result, q, reference="test1234", date=DAY, **options)
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def test_render_pdf__with_answers__weak_and_unknown_answers_need_attention(load_inline):
    q = load_inline(SMALL)
    answers = {"slot": "nee", "licht": "ja", "camera": "weet_niet"}
    text = all_text(_render(q, answers, answers=answers))
    assert "Antwoorden die aandacht vragen" in text
    assert "Zit er een goed slot op de deur? Nee" in text
    assert "Hangt er een camera bij het hek? Weet ik niet" in text
    assert "Brandt er licht bij de ingang?" not in text


def test_render_pdf__without_answers__only_triggers_need_attention(load_inline):
    q = load_inline(SMALL)
    text = all_text(_render(q, {"slot": "nee", "licht": "ja", "camera": "weet_niet"}))
    assert "Antwoorden die aandacht vragen" not in text
    assert "Zit er een goed slot op de deur?" not in text
    assert "Uit uw antwoorden komen geen verbeterpunten" in text


def test_render_pdf__adviser_notes__section_only_when_given(load_inline):
    q = load_inline(SMALL)
    answers = {"slot": "ja"}
    without = _render(q, answers)
    assert "Notities van de adviseur" not in all_text(without)
    assert "Notities van de adviseur" not in [title for title, _, _ in outline(without)]
    notes = [("3 december 2026", "J. de Vries (PVO)", "Hek wordt <b>gemaakt</b> & slot.")]
    reader = _render(q, answers, adviser_notes=notes)
    text = page_text(reader, section_page(reader, "Notities van de adviseur"))
    assert "3 december 2026 J. de Vries (PVO) Hek wordt <b>gemaakt</b> & slot." in text
    top = [title for title, level, _ in outline(reader) if level == 0]
    assert top.index("Notities van de adviseur") == top.index("Actieplan") + 1


def test_render_pdf__result_of_other_questionnaire__refused(load_inline, catalog):
    q = load_inline(SMALL)
    result = score(q, {"slot": "ja"})
    with pytest.raises(ValueError, match="klein@1"):
        render_pdf(result, catalog.get("haven"), reference="x")


def test_render_pdf__no_score__says_so(catalog):
    q = catalog.get("vastgoed")
    answers = next(e for e in q.examples if e.name == "weet_niet").answers
    result = score(q, answers)
    assert result.overall is None
    reader = _render(q, answers, answers=answers)
    summary = page_text(reader, section_page(reader, "Samenvatting"))
    assert "Geen uitkomst" in summary and "Er is geen totaalscore" in summary


# --- hostile and odd text --------------------------------------------------------------------

LONG_X = "x" * 500
LONG_Y = "y" * 500
HOSTILE = f"""
id: vijandig
version: 1
title: "Scan <b>vet</b> &amp; <font color=red>rood</font>"
sector: "Sector <para>open & dicht"
introduction: "Intro <b>."
duration_minutes: 5
themes:
  - id: thema
    title: "Thema <i>schuin</i> & co 🚀"
    description: "Beschrijving {LONG_X} einde."
questions:
  - id: vraag
    theme: thema
    text: "Vraag <font color=red>rood</font> &amp; <b>vet</b> kost €100 voor ïdee en café?"
    help: "Hulp."
    type: single_choice
    options:
      - {{value: goed, label: "Goed <b>", score: 100}}
      - {{value: slecht, label: "Slecht <para> & </font> 😀 €", score: 0}}
  - id: toelichting
    theme: thema
    text: "Toelichting <br/>?"
    help: "Hulp."
    type: text
rules:
  - id: regel
    when: "vraag == 'slecht' and toelichting != null"
    theme: thema
    priority: urgent
    red_flag: true
    advice:
      title: "Advies <b>vet</b> & <font size=40>groot</font>"
      explanation: "Zie https://example.org/{LONG_X} en <para>"
      steps:
        - "Stap <b>een</b> & <a href='https://example.org/x'>link</a>"
        - "Stap {LONG_X}"
risk_levels:
  - {{id: laag, label: "Laag <b>", min: 0, max: 50, explanation: "Uitleg & <i>."}}
  - {{id: hoog, label: "Hoog", min: 50, max: 100, explanation: "Goed."}}
"""
HOSTILE_ANSWERS = {
    "vraag": "slecht",
    "toelichting": f"Antwoord <b>vet</b> &amp; <font color=red> {LONG_Y} 😀 € <para>\nregel 2",
}


@pytest.fixture
def hostile_pdf(load_inline) -> bytes:
    q = load_inline(HOSTILE)
    result = score(q, HOSTILE_ANSWERS)
    assert result.red_flag
    return render_pdf(
        result,
        q,
        reference="<b>r&f",
        answers=HOSTILE_ANSWERS,
        date=DAY,
        adviser_notes=[("<b>1-1</b>", "<font>A", "Notitie <para> & 😀 " + LONG_Y)],
    )


def test_render_pdf__hostile_text__shown_literally_not_as_markup(hostile_pdf):
    reader = PdfReader(io.BytesIO(hostile_pdf))
    text = all_text(reader)
    for literal in (
        "Scan <b>vet</b> &amp; <font color=red>rood</font>",
        "Sector <para>open & dicht",
        "Thema <i>schuin</i> & co",
        "Vraag <font color=red>rood</font> &amp; <b>vet</b> kost €100 voor ïdee en café?",
        "Slecht <para> & </font> €",
        "Advies <b>vet</b> & <font size=40>groot</font>",
        "Stap <b>een</b> & <a href='https://example.org/x'>link</a>",
        "Antwoord <b>vet</b> &amp; <font color=red>",
        "Laag <b>",
        "referentie <b>r&f",
        "Notitie <para> &",
    ):
        assert literal in text, literal
    assert reader.metadata.title.startswith("Scan <b>vet</b>")


def test_render_pdf__hostile_text__long_words_wrap_and_stay_whole(hostile_pdf):
    reader = PdfReader(io.BytesIO(hostile_pdf))
    raw = " ".join(page.extract_text() for page in reader.pages)
    longest = max(len(line) for line in raw.splitlines())
    assert longest < 150, "a 500-character word is broken over lines"
    joined = re.sub(r"\s+", "", raw)
    assert LONG_X in joined and LONG_Y in joined
    assert "https://example.org/" + LONG_X in joined


def test_render_pdf__hostile_text__no_emoji_and_outline_intact(hostile_pdf):
    reader = PdfReader(io.BytesIO(hostile_pdf))
    text = all_text(reader)
    assert "😀" not in text and "🚀" not in text
    assert [title for title, level, _ in outline(reader) if level == 0] == [
        *SECTIONS[:5],
        "Notities van de adviseur",
        *SECTIONS[5:],
    ]


def test_render_pdf__text_far_longer_than_a_page__splits_instead_of_failing(load_inline):
    huge = " ".join(["woord"] * 600)
    q = load_inline(SMALL.replace("Er is werk aan de winkel.", huge))
    reader = _render(
        q,
        {"slot": "nee"},
        answers={"slot": "nee"},
        adviser_notes=[("1-1-2027", "A", "lang " * 3000)],
    )
    assert len(reader.pages) > 8
    assert all_text(reader).count("woord") >= 1200


def test_clean__dutch_polish_and_euro_kept_missing_glyphs_replaced():
    assert clean("Café, ïdee, één, €10 – “ok”") == "Café, ïdee, één, €10 – “ok”"
    assert clean("ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ") == "ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"  # DejaVu Sans has them all
    assert clean("Łódź şişe, Брат, Ioană ő") == "Łódź şişe, Брат, Ioană ő"
    assert clean("naïef 🚀 ok") == "naïef  ok"  # a pictograph the font lacks: left out
    assert clean("a 漢字 b") == "a ?? b"  # letters the font lacks: a visible stand-in
    assert clean("a \u21d2 b \u2713") == "a \u21d2 b \u2713"
    assert clean("a\x00b\x1bc") == "a b c"


def test_para__escapes_markup_and_keeps_line_breaks():
    assert para("<b>a</b> & b") == "&lt;b&gt;a&lt;/b&gt; &amp; b"
    assert para("regel 1\nregel 2") == "regel 1<br/>regel 2"
    assert para("") == "&nbsp;"


def test_report_package__imports_neither_flask_nor_database():
    for path in REPORT_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                root = name.split(".")[0]
                assert root not in {"flask", "flask_sqlalchemy", "sqlalchemy"}, (path, name)
                assert "models" not in name and "extensions" not in name, (path, name)


# --- rendered pages ----------------------------------------------------------------------------


def _pdftoppm() -> str:
    """Return the pdftoppm path; fail on CI when it is missing, skip elsewhere."""
    found = shutil.which("pdftoppm")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("pdftoppm is missing: install poppler-utils (.ci/run does)")
    pytest.skip("pdftoppm is not installed (poppler-utils)")


def _ink(png: Path) -> float:
    """Return the share of non-white pixels between the page's header and footer."""
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        width, height = grey.size
        body = grey.crop((0, int(height * 0.05), width, int(height * 0.90)))
        dark = sum(body.histogram()[:235])
        return dark / (body.width * body.height)


@pytest.mark.parametrize("qid, example", [("haven", "kwetsbaar"), ("transport", "onder_druk")])
def test_render_pdf__every_page__renders_and_is_not_blank(catalog, tmp_path, qid, example):
    tool = _pdftoppm()
    q = catalog.get(qid)
    answers = next(e for e in q.examples if e.name == example).answers
    pdf = render_pdf(
        score(q, answers),
        q,
        reference="ab12cd34",
        answers=answers,
        adviser_notes=[("1-1-2027", "A. Adviseur", "Besproken.")],
    )
    _assert_pages_not_blank(tool, pdf, tmp_path)


def test_render_pdf__hostile_pages__render_and_are_not_blank(hostile_pdf, tmp_path):
    _assert_pages_not_blank(_pdftoppm(), hostile_pdf, tmp_path)


def _assert_pages_not_blank(tool: str, pdf: bytes, folder: Path) -> None:
    source = folder / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [tool, "-png", "-r", "40", str(source), str(folder / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pngs = sorted(folder.glob("page-*.png"))
    assert len(pngs) == len(PdfReader(io.BytesIO(pdf)).pages)
    for png in pngs:
        assert _ink(png) > 0.004, f"{png.name} looks blank"


def _fill(png: Path) -> float:
    """Return how far down the page body the content reaches (0: empty, 1: full)."""
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        width, height = grey.size
        top, bottom = int(height * 0.05), int(height * 0.90)
        inked = [
            y for y in range(top, bottom) if min(grey.getpixel((x, y)) for x in range(width)) < 200
        ]
        return ((inked[-1] - top) / (bottom - top)) if inked else 0.0


@pytest.mark.parametrize(
    "qid, example, notes",
    [
        # Each of these used to end a section on a blank or nearly empty page.
        ("haven", "benaderd", False),
        ("haven", "vervoerder_zonder_terrein", True),
        ("transport", "onder_druk", False),
        ("buitengebied-erfscan", "drugsafval", True),
        ("vastgoed", "kwetsbaar", True),
    ],
)
def test_render_pdf__no_nearly_empty_pages(catalog, tmp_path, qid, example, notes):
    tool = _pdftoppm()
    q = next(x for x in catalog.versions.values() if Path(x.source).stem == qid)
    answers = next(e for e in q.examples if e.name == example).answers
    pdf = render_pdf(
        score(q, answers),
        q,
        reference="ab12cd34",
        answers=answers,
        adviser_notes=[("1-1-2027", "A. Adviseur", "Besproken.")] if notes else None,
    )
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(
        [tool, "-png", "-r", "30", str(tmp_path / "report.pdf"), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    fills = {png.name: round(_fill(png), 2) for png in sorted(tmp_path.glob("page-*.png"))}
    assert all(fill >= 0.2 for fill in fills.values()), fills


# --- urgent path, this week, adviser, contacts ----------------------------------


def test_render_pdf__every_example__this_week_page_has_the_most_urgent_steps(reports):
    from scan.presentation import week_steps as week_calls
    from scan.report.sections import week_steps

    for (qid, name), (q, result, reader) in reports.items():
        page = section_page(reader, "Doe dit deze week")
        text = page_text(reader, page)
        label = result.outcome.label if result.outcome else "Geen uitkomst"
        assert f"Uw uitkomst: {label}" in text, (qid, name)
        assert "112" in text and "0800-7000" in text
        if result.red_flag:  # its own page after the cover (the safety rules)
            assert page == 1, (qid, name)
            for _, step in week_steps(result.advice):
                assert words(step) in text, (qid, name, step)
            assert "0800-2800200" in text, (qid, name)
            continue
        # The first page says what the result page's first screen says: three calls.
        assert page == 0, (qid, name)
        calls = week_calls(result, q)
        assert len(calls) == 3, (qid, name)
        for call in calls:
            assert call.phone in text and words(call.name) in text, (qid, name, call)


def test_week_steps__three_steps_filled_from_the_top_tips_in_order():
    from scan.report.sections import week_steps
    from scan.scoring import FiredAdvice

    def tip(id_, *steps):
        return FiredAdvice(id_, "t", "high", False, id_, "E.", steps, (), ())

    one, two = tip("a", "A1", "A2", "A3"), tip("b", "B1", "B2")
    assert [s for _, s in week_steps([one, two])] == ["A1", "B1", "A2"]
    assert [s for _, s in week_steps([one, two, tip("c", "C1"), tip("d", "D1")])] == [
        "A1",
        "B1",
        "C1",
    ]
    assert week_steps([]) == []


def test_render_pdf__red_flag__own_outcome_with_the_honest_score_level(reports):
    seen = 0
    for (qid, name), (q, result, reader) in reports.items():
        if not result.red_flag:
            continue
        summary = page_text(reader, section_page(reader, "Samenvatting"))
        assert f"Uw uitkomst {q.red_flag_outcome.label}" in summary, (qid, name)
        assert f"Uw uitkomst {q.risk_levels[0].label}" not in summary, (qid, name)
        if result.score_level is not None:
            assert f"hoort bij “{result.score_level.label.lower()}”" in summary, (qid, name)
        seen += 1
    assert seen >= 6


def test_render_pdf__help_page__vertrouwenslijn_in_who_to_call(reports):
    for (qid, name), (q, result, reader) in reports.items():
        first = section_page(reader, "Melden en hulp")
        text = " ".join(page_text(reader, i) for i in range(first, len(reader.pages)))
        if "vertrouwenslijn_afpersing" in given_calls(q, result):
            # Given on "Doe dit deze week" already, and not a second time.
            week = page_text(reader, section_page(reader, "Doe dit deze week"))
            assert "0800-2800200" in week, (qid, name)
            assert "‘Doe dit deze week’ voorin dit rapport" in text, (qid, name)
            continue
        who = text.split("Wie belt u wanneer?")[1]
        assert "Vertrouwenslijn" in who and "0800-2800200" in who, (qid, name)


def test_render_pdf__each_contact_says_its_anonymity_once(reports):
    for (qid, name), (_, _, reader) in reports.items():
        text = all_text(reader)
        assert text.count("IP-adres niet") == 1, (qid, name)
        assert text.count("U hoeft uw naam niet te noemen") <= 2, (
            qid,
            name,
        )  # M. box, Vertrouwenslijn
        assert "Niemand hoeft te weten wie u bent" not in text
        assert "U hoeft hier uw naam niet te noemen" not in text


def test_render_pdf__cover__room_for_the_adviser_when_shared(load_inline):
    q = load_inline(SMALL)
    shared = page_text(_render(q, {"slot": "nee"}, adviser=("PVO Test", "a@pvo.test")), 0)
    assert "Uw adviseur" in shared and "PVO Test" in shared and "a@pvo.test" in shared
    assert "Naam adviseur" in shared and "Telefoon" in shared
    alone = page_text(_render(q, {"slot": "nee"}), 0)
    assert "Uw adviseur" not in alone and "pvo-nl.nl" in alone


CONTEXT = """
id: context
version: 1
title: Context
sector: Test
introduction: Test.
duration_minutes: 2
themes:
  - {id: thema, title: Het thema, description: Een thema.}
questions:
  - {id: verhuur, theme: thema, text: Verhuurt u een schuur?, help: H., type: yes_no}
  - {id: contant, theme: thema, text: Betaalt de huurder contant?, help: H., type: yes_no,
     good_answer: nee, show_if: "verhuur == 'ja'"}
  - {id: slot, theme: thema, text: Zit er een slot op de deur?, help: H., type: yes_no,
     good_answer: ja}
  - {id: licht, theme: thema, text: Brandt er licht bij de ingang?, help: H., type: yes_no,
     good_answer: ja}
rules:
  - id: contant_stoppen
    when: verhuur == 'ja' and contant == 'ja'
    theme: thema
    priority: high
    advice: {title: Stop met contant, explanation: E., steps: [Vraag betaling per bank.]}
  - id: beveiligen
    when: slot == 'nee' or licht == 'nee'
    theme: thema
    priority: medium
    advice: {title: Beveilig de deur, explanation: E., steps: [Koop een slot.]}
risk_levels:
  - {id: laag, label: Kwetsbaar, min: 0, max: 60, explanation: Werk aan de winkel.}
  - {id: hoog, label: Weerbaar, min: 60, max: 100, explanation: Goed geregeld.}
"""


def test_render_pdf__attention__leaves_out_good_and_context_answers(load_inline):
    # Regression: the triggers of a fired rule were listed whole, so "Verhuurt u? Ja" (context)
    # and "Zit er een slot op? Ja" (the good side of an 'or') showed up as needing attention.
    q = load_inline(CONTEXT, "context.yaml")
    answers = {"verhuur": "ja", "contant": "ja", "slot": "ja", "licht": "nee"}
    text = all_text(_render(q, answers, answers=answers))
    attention = text.split("Antwoorden die aandacht vragen")[1]
    assert "Betaalt de huurder contant? Ja" in attention
    assert "Brandt er licht bij de ingang? Nee" in attention
    assert "Verhuurt u een schuur?" not in text
    assert "Zit er een slot op de deur?" not in text


def test_render_pdf__adviser_cover_with_the_longest_title__stays_one_page(catalog):
    # Regression: the adviser box pushed the confidentiality note onto a second cover page.
    q = max(catalog.versions.values(), key=lambda x: len(x.title))
    example = next(e for e in q.examples if e.name == "weerbaar")
    pdf = render_pdf(
        score(q, example.answers),
        q,
        reference="ab12cd34",
        adviser=("Platform Veilig Ondernemen Brabant-Zeeland", "adviseur@pvo.test"),
    )
    reader = Report(pdf)
    assert section_page(reader, "Doe dit deze week") == 0  # this week's calls on the cover
    assert section_page(reader, "Samenvatting") == 1
    assert "Vertrouwelijk" in page_text(reader, 0) and "Naam adviseur" in page_text(reader, 0)


def test_advice_boxes__show_each_priority_label_next_to_the_title(reports):
    from scan.questionnaire.values import PRIORITY_LABELS

    for q, result, report in reports.values():
        text = all_text(report)
        for index, advice in enumerate(readable(result).advice):
            label = PRIORITY_LABELS[advice.priority]
            # The tag is drawn on the title's line, so it follows the title in the text; a tip
            # for later is one line: the title, a dot, the label.
            joint = " " if index < sections.FIRST_ADVICE else " \u00b7 "
            assert f"{words(advice.title)}{joint}{label}" in text, (q.id, advice.id)
