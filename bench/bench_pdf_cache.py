"""Time downloading a submitted scan's PDF: the first download against the ones after it.

The first download renders the report and stores it; later downloads of the same scan serve
the stored file. Aim: a repeat download costs under a tenth of the first.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.bench_report import _largest

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 20
AIM_FRACTION = 0.1


def sqlite_app(folder: Path, catalog, **config):
    """Return a bench app on a fresh SQLite file in the folder, with its tables and catalog."""
    from scan import create_app
    from scan.platform.extensions import db

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "RATELIMIT_ENABLED": False,
            "REPORT_PRERENDER": False,  # this bench times rendering in the download
            **config,
        }
    )
    app.extensions["scan_catalog"] = catalog
    with app.app_context():
        db.create_all()
    return app


def main() -> None:
    """Print the first and the median repeat download time of the entrepreneur's PDF."""
    from scan.platform.extensions import db
    from scan.questionnaire import load_catalog
    from scan.scans import store

    catalog = load_catalog(ROOT / "questionnaires")
    q, example, _ = _largest(catalog)
    with tempfile.TemporaryDirectory() as folder:
        app = sqlite_app(Path(folder), catalog)
        with app.app_context():
            tokens = []
            for _ in range(2):  # one to warm up fonts and caches, one to measure
                scan, token = store.start_scan(q, 90)
                scan.answers = dict(example.answers)
                store.submit_scan(scan, q)
                tokens.append(token)
        client = app.test_client()

        def download(token: str) -> float:
            assert client.get(f"/scan/{token}/").status_code == 303  # open the personal link
            start = time.perf_counter()
            response = client.get("/scan/rapport.pdf")
            assert response.status_code == 200 and response.data.startswith(b"%PDF")
            return (time.perf_counter() - start) * 1000

        download(tokens[0])
        first = download(tokens[1])
        repeat = statistics.median(download(tokens[1]) for _ in range(REPEATS))
        with app.app_context():
            db.engine.dispose()
    verdict = "met" if repeat <= AIM_FRACTION * first else "NOT met"
    print(f"profile: {q.id}/{example.name}, SQLite, Flask test client")
    print(f"first download (render and store): {first:7.1f} ms")
    print(f"repeat download (median of {REPEATS}):    {repeat:7.1f} ms")
    print(
        f"ratio repeat/first:                {repeat / first:7.3f}  "
        f"(aim <= {AIM_FRACTION}: {verdict})"
    )


if __name__ == "__main__":
    main()
