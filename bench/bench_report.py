"""Time the PDF report of the largest example scan against a plain reportlab document."""

from __future__ import annotations

import io
import statistics
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from scan.questionnaire import load_catalog
from scan.report import render_pdf
from scan.scoring import score

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15
AIM_MS = 300.0
AIM_RATIO = 1.5  # within 1.5x of plain reportlab with the same text


def _largest(catalog):
    """Return the example profile whose result brings the most advice steps."""
    best = None
    for q in catalog.latest.values():
        for example in q.examples:
            result = score(q, example.answers)
            size = sum(len(item.steps) + 2 for item in result.advice)
            if best is None or size > best[0]:
                best = (size, q, example, result)
    return best[1:]


def _plain(paragraphs: list[str]) -> bytes:
    """Make a plain reportlab document from the given paragraphs (the baseline)."""
    style = getSampleStyleSheet()["BodyText"]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build([Paragraph(p, style) for p in paragraphs])
    return buffer.getvalue()


def _median_ms(*makes) -> list[tuple[float, float]]:
    """Return the median CPU time and wall time of each call, in milliseconds.

    The calls take turns, so a change in the machine's load falls on all of them alike.
    Rendering is single-threaded and CPU-bound, so CPU time is the figure that stays put when
    other processes share the machine; wall time is shown next to it.
    """
    cpu: list[list[float]] = [[] for _ in makes]
    wall: list[list[float]] = [[] for _ in makes]
    for _ in range(RUNS):
        for index, make in enumerate(makes):
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            make()
            cpu[index].append((time.process_time() - start_cpu) * 1000)
            wall[index].append((time.perf_counter() - start_wall) * 1000)
    return [(statistics.median(c), statistics.median(w)) for c, w in zip(cpu, wall, strict=True)]


def main() -> None:
    """Print the report's time, the baseline's time with the same text, and the ratio."""
    from xml.sax.saxutils import escape

    from pypdf import PdfReader

    catalog = load_catalog(ROOT / "questionnaires")
    q, example, result = _largest(catalog)

    def report() -> bytes:
        return render_pdf(result, q, reference="bench123", answers=example.answers)

    pdf = report()  # warm up: fonts, styles
    reader = PdfReader(io.BytesIO(pdf))
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    paragraphs = [escape(line) for line in lines if line.strip()]
    chars = sum(len(p) for p in paragraphs)
    _plain(paragraphs)

    (report_ms, report_wall), (plain_ms, plain_wall) = _median_ms(
        report, lambda: _plain(paragraphs)
    )
    verdict = "met" if report_ms < AIM_MS else "NOT met"
    print(
        f"profile: {q.id}/{example.name}: {len(result.advice)} advice, "
        f"{len(reader.pages)} pages, {chars} characters of text"
    )
    print(
        f"report PDF, CPU time (median of {RUNS}):  {report_ms:7.1f} ms  "
        f"(wall {report_wall:.1f} ms; aim < {AIM_MS:.0f} ms: {verdict})"
    )
    print(f"baseline: plain reportlab, same text: {plain_ms:7.1f} ms  (wall {plain_wall:.1f} ms)")
    ratio = report_ms / plain_ms
    verdict = "met" if ratio <= AIM_RATIO else "NOT met"
    print(f"ratio report/baseline:                {ratio:7.2f}x  (aim <= {AIM_RATIO}x: {verdict})")


if __name__ == "__main__":
    main()
