"""Time the PDF report: its render CPU over every example scan, against baselines in this run.

1. every example profile (all questionnaires, Dutch) rendered in turn: the mean CPU of one
   report, best of PASSES passes after a warm-up pass (a warm process: the parse and line
   caches hold the texts of the questionnaires it serves); with BENCH_BEFORE=/path/to/a/checkout
   (e.g. a worktree of main) the same figure for that checkout's code, measured in a
   subprocess in the same run, in turn PAIRS times, and the ratio after/before against
   AIM_BEFORE (issue 22: halve the CPU of rendering one report);
2. the largest example's report against a plain reportlab document with the same text
   (AIM_RATIO), and under AIM_MS.
For reading: the mean with the line cache emptied before every report (no other report has
broken the same texts yet).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from bench.checkout import figures_of
from scan.questionnaire import load_catalog
from scan.report import render_pdf
from scan.scoring import score

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15
AIM_MS = 300.0
AIM_RATIO = 1.5  # within 1.5x of plain reportlab with the same text
PASSES = int(os.environ.get("BENCH_REPORT_PASSES", "3"))
PAIRS = int(os.environ.get("BENCH_REPORT_PAIRS", "2"))  # turns of this and the other checkout
AIM_BEFORE = 0.5  # at most half the render CPU of before (issue 22)


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


def _profiles(catalog) -> list:
    """Return every example profile with its result, in catalog order."""
    return [(q, e, score(q, e.answers)) for q in catalog.latest.values() for e in q.examples]


def _pass_ms(profiles, before_each=None) -> float:
    """Return the mean CPU milliseconds of one report over one pass through the profiles."""
    total = 0.0
    for q, example, result in profiles:
        if before_each is not None:
            before_each()
        start = time.process_time()
        render_pdf(
            result, q, reference="bench123", answers=example.answers, date=dt.date(2026, 12, 1)
        )
        total += time.process_time() - start
    return total * 1000 / len(profiles)


def measure() -> dict:
    """Return this code's render figures: warm (best pass) and with the line cache emptied."""
    profiles = _profiles(load_catalog(ROOT / "questionnaires"))
    _pass_ms(profiles)  # warm up: fonts, styles, parse and line caches
    figures = {"warm": min(_pass_ms(profiles) for _ in range(PASSES)), "count": len(profiles)}
    from scan.report import document

    line_cache = getattr(document, "_broken", None)  # a checkout without one: no cold figure
    if line_cache is not None:
        figures["cold"] = _pass_ms(profiles, line_cache.cache_clear)
    return figures


def before_figures(checkout: str) -> dict:
    """Return the figures of another checkout's code, measured by this file in a subprocess."""
    return figures_of(checkout, __file__)


def every_profile(before_checkout: str | None) -> None:
    """Print the mean render CPU over every example profile, with before's in turn."""
    afters, befores = [], []
    for _ in range(PAIRS if before_checkout else 1):
        afters.append(measure())
        if before_checkout:
            befores.append(before_figures(before_checkout))
    after = min(afters, key=lambda figures: figures["warm"])
    print(
        f"every example profile ({after['count']}, Dutch), CPU ms per report "
        f"(mean of a pass, best of {PASSES}):  {after['warm']:7.1f} ms"
    )
    if befores:
        before = min(run["warm"] for run in befores)
        ratio = after["warm"] / before
        verdict = "met" if ratio <= AIM_BEFORE else "NOT met"
        print(f"baseline: before ({before_checkout}): {before:7.1f} ms")
        print(f"ratio after/before:  {ratio:7.2f}x  (aim <= {AIM_BEFORE}x: {verdict})")
    else:
        print("(set BENCH_BEFORE=/path/to/a/checkout of main to compare with its code)")
    if "cold" in after:
        cold = after["cold"]
        print(f"(for reading: the line cache emptied before every report: {cold:.1f} ms)")


def main() -> None:
    """Print the render CPU over every profile (and before's), then the largest report against
    plain reportlab with the same text, and the ratio."""
    every_profile(os.environ.get("BENCH_BEFORE"))
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
    if sys.argv[1:2] == ["--json"]:  # this checkout's figures, for another's BENCH_BEFORE
        print(json.dumps(measure()))
    else:
        main()
