"""PDFs rendered from many threads at once, as gunicorn's threaded workers do (issue 22)."""

from __future__ import annotations

import sys
import threading

from scan.report import render_pdf
from scan.scoring import score

THREADS = 8
PER_THREAD = 4


def test_render_pdf__many_threads_at_once__no_errors_same_bytes(catalog):
    work = [
        (q, example)
        for qid in ("vastgoed", "haven")
        for q in [catalog.get(qid)]
        for example in q.examples
    ]
    errors: list[BaseException] = []
    sizes: dict[tuple, set[int]] = {}
    barrier = threading.Barrier(THREADS)

    def render(offset: int) -> None:
        barrier.wait()
        for i in range(PER_THREAD):
            q, example = work[(offset + i) % len(work)]
            try:
                pdf = render_pdf(
                    score(q, example.answers), q, reference="ab12", answers=example.answers
                )
            except Exception as error:  # noqa: BLE001 - every error counts
                errors.append(error)
                continue
            sizes.setdefault((q.id, example.name), set()).add(len(pdf))

    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show at once
    try:
        threads = [threading.Thread(target=render, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        sys.setswitchinterval(before)
    assert errors == []
    assert sum(len(s) for s in sizes.values()) == len(sizes)  # each profile: one PDF, same bytes
    assert len(sizes) >= min(len(work), THREADS)
