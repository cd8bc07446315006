"""The report's Paragraph skips breaking lines again at the same width, parses a text and breaks
its lines once per process, and changes nothing; so do its tables and frames."""

from __future__ import annotations

import copy
import datetime as dt
import io

import pytest
from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Table
from reportlab.platypus import Paragraph as PlainParagraph

from scan.report import document, first_page, followup, render_pdf
from scan.report.document import MeasuredTable, Paragraph
from scan.report.sections import blocks, closing, front, theme_pages
from scan.report.styles import styles
from scan.scoring import score


def test_paragraph__same_width__lines_broken_once():
    paragraph = Paragraph("Een zin die over meer regels loopt. " * 20, styles().body)
    calls = []
    original = paragraph.breakLines
    paragraph.breakLines = lambda widths: calls.append(widths) or original(widths)
    first = paragraph.wrap(300, 800)
    assert paragraph.wrap(300, 800) == first
    assert paragraph.wrap(200, 800)[1] > first[1]  # a new width breaks the lines again
    assert len(calls) == 2


def test_render_pdf__byte_identical_to_plain_paragraphs(catalog, monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)  # no dates or random ids in the file
    q = catalog.get("haven")
    example = max(q.examples, key=lambda e: len(score(q, e.answers).advice))
    result = score(q, example.answers)
    notes = [("01-12-2026", "adviseur@example.nl", "Bezoek gepland. " * 30)]

    def render():
        return render_pdf(result, q, reference="REF", answers=example.answers, adviser_notes=notes)

    fast, warm = render(), render()
    for part in (blocks, front, theme_pages, closing, first_page, followup):  # every writer
        monkeypatch.setattr(part, "Paragraph", PlainParagraph)
    for part in (blocks, first_page):
        monkeypatch.setattr(part, "MeasuredTable", Table)
    monkeypatch.setattr(document, "_Frame", Frame)
    assert render() == fast == warm


def test_paragraph__same_text_and_style__parsed_once():
    document._parsed.cache_clear()
    text = "Bel <b>Meld Misdaad Anoniem</b>: 0800-7000."
    first, second = Paragraph(text, styles().body), Paragraph(text, styles().body)
    assert document._parsed.cache_info().misses == 1
    assert second.frags is first.frags and second.text == first.text
    other = Paragraph(text, styles().small)  # another style: parsed on its own
    assert other.frags is not first.frags
    assert [f.fontSize for f in other.frags] != [f.fontSize for f in first.frags]
    assert [f.text for f in first.frags] == [
        f.text for f in PlainParagraph(text, styles().body).frags
    ]


def test_render_pdf__parse_cache__byte_identical_cold_warm_and_without(catalog, monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)
    document._parsed.cache_clear()
    notes = [("01-12-2026", "adviseur@example.nl", "<Bezoek> & gepland. " * 30)]
    for q in catalog.latest.values():
        example = max(q.examples, key=lambda e: len(score(q, e.answers).advice))
        result = score(q, example.answers)

        def render(q=q, example=example, result=result):
            return render_pdf(
                result, q, reference="REF", answers=example.answers, adviser_notes=notes
            )

        document._broken.cache_clear()
        cold, warm = render(), render()
        with monkeypatch.context() as plain:
            plain.setattr(Paragraph, "_setup", PlainParagraph._setup)
            plain.setattr(Paragraph, "breakLines", PlainParagraph.breakLines)
            assert cold == warm == render(), q.id


LONG = (
    "Bel <b>Meld Misdaad Anoniem</b> via https://www.meldmisdaadanoniem.nl/een/heel/lang/pad " * 12
)


def _words(paragraph) -> list:
    """Return a wrapped paragraph's lines as the words (and their fonts) they hold."""
    return [[(w.text, w.fontName) for w in line.words] for line in paragraph.blPara.lines]


def test_paragraph__same_text_style_and_width__lines_broken_once_per_process():
    document._broken.cache_clear()
    first, second = Paragraph(LONG, styles().body), Paragraph(LONG, styles().body)
    first.wrap(300, 800)
    second.wrap(300, 800)
    assert document._broken.cache_info().misses == 1
    plain = PlainParagraph(LONG, styles().body)
    assert second.wrap(300, 800) == plain.wrap(300, 800)
    assert _words(second) == _words(plain)
    assert Paragraph(LONG, styles().body).wrap(200, 800)[1] > plain.height  # another width


def test_paragraph__split_across_pages__shared_lines_stay_as_they_were():
    document._broken.cache_clear()
    broken = Paragraph(LONG, styles().body)
    broken.wrap(300, 800)
    before = copy.deepcopy(_words(broken))
    top, rest = broken.split(300, 60)  # the page ends after a few lines
    assert top.wrap(300, 800)[1] < broken.height and rest.wrap(300, 800)[1] > 0
    again = Paragraph(LONG, styles().body)
    again.wrap(300, 800)
    assert _words(again) == before
    plain = PlainParagraph(LONG, styles().body)
    plain.wrap(300, 800)
    assert [p.getPlainText() for p in plain.split(300, 60)] == [
        p.getPlainText() for p in (top, rest)
    ]


def test_measured_table__same_width__rows_measured_once_new_width_again():
    rows = [[Paragraph(f"Rij {n}: " + "tekst " * 30, styles().cell)] for n in range(3)]
    table = MeasuredTable(rows, colWidths=[200])
    calls = []
    original = table._calc
    table._calc = lambda w, h: calls.append(w) or original(w, h)
    size = table.wrap(200, 2000)
    assert table.wrap(200, 1000) == size  # KeepTogether, the frame: only the height differs
    assert len(calls) == 1
    plain = Table(
        [[Paragraph(f"Rij {n}: " + "tekst " * 30, styles().cell)] for n in range(3)],
        colWidths=[200],
    )
    assert size == plain.wrap(200, 2000)
    table.wrap(100, 2000)  # a new width measures again
    assert len(calls) == 2


def test_measured_table__room_ended_before_the_last_row__measured_again():
    rows = [[f"rij {n}", "tekst"] for n in range(200)]
    spans = [("SPAN", (0, 0), (0, 1))]  # with a row span, a long table stops where room ends
    table = MeasuredTable(rows, colWidths=[100, 100], style=spans)
    short = table.wrap(200, 100)
    assert table.wrap(200, 100_000)[1] > short[1]
    plain = Table(rows, colWidths=[100, 100], style=spans)
    assert table.wrap(200, 100_000) == plain.wrap(200, 100_000)


def test_frame__copy__equal_and_independent():
    frame = document._Frame(0, 0, 300, 500, id="body")
    frame._frameBGs = [("achtergrond",)]
    twin = copy.deepcopy(frame)
    assert vars(twin) == vars(frame)
    twin._frameBGs.append(("nog een",))
    twin._y = 12.0
    assert frame._frameBGs == [("achtergrond",)] and frame._y != 12.0


class _Spy(Flowable):
    """A flowable of a fixed size and spacing that records where it is drawn."""

    def __init__(self, width: float, height: float, before: float, after: float, drawn: list):
        super().__init__()
        self.size, self.drawn = (width, height), drawn
        self.spaceBefore, self.spaceAfter = before, after

    def wrap(self, availWidth, availHeight):
        return self.size

    def drawOn(self, canvas, x, y, _sW=0):
        self.drawn.append((round(x, 6), round(y, 6)))


@pytest.mark.parametrize("valign", ["TOP", "MIDDLE", "BOTTOM"])
def test_pair__draws_its_cells_where_a_one_row_table_does(valign):
    def cells(drawn):
        left = [_Spy(120, 14, 3, 6, drawn), _Spy(90, 30, 2, 4, drawn)]
        return left, _Spy(40, 12, 1, 2, drawn)

    by_pair, by_table = [], []
    pair = blocks.pair_table(*cells(by_pair), 300, 70, valign=valign, top=2, bottom=6)
    table = Table(
        [list(cells(by_table))],
        colWidths=[230, 70],
        style=[
            ("VALIGN", (0, 0), (-1, -1), valign),
            ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ],
    )
    canvas = Canvas(io.BytesIO())
    assert pair.wrapOn(canvas, 300, 800) == table.wrapOn(canvas, 300, 800)
    pair.drawOn(canvas, 50, 100)
    table.drawOn(canvas, 50, 100)
    assert len(by_pair) == 3 and by_pair == by_table


def test_render_pdf__same_scan_again__parses_and_breaks_nothing_again(catalog):
    q = catalog.get("haven")
    example = next(e for e in q.examples if score(q, e.answers).red_flag)  # coloured styles
    result = score(q, example.answers)
    day = dt.date(2026, 12, 1)  # the same date on both (a run past midnight)
    render_pdf(result, q, reference="REF", answers=example.answers, date=day)
    parsed, broken = document._parsed.cache_info(), document._broken.cache_info()
    render_pdf(result, q, reference="REF", answers=example.answers, date=day)
    assert document._parsed.cache_info().misses == parsed.misses
    assert document._broken.cache_info().misses == broken.misses
