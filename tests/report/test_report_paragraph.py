"""The report's Paragraph skips breaking lines again at the same width, parses a text once per
process, and changes nothing."""

from __future__ import annotations

from reportlab import rl_config
from reportlab.platypus import Paragraph as PlainParagraph

from scan.report import document, first_page, followup, render_pdf
from scan.report.document import Paragraph
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

    fast = render()
    for part in (blocks, front, theme_pages, closing, first_page, followup):  # every writer
        monkeypatch.setattr(part, "Paragraph", PlainParagraph)
    assert render() == fast


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

        cold, warm = render(), render()
        with monkeypatch.context() as plain:
            plain.setattr(Paragraph, "_setup", PlainParagraph._setup)
            assert cold == warm == render(), q.id
