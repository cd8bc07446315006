"""Server CPU per scan request: a theme page GET and POST and a whole scan, against bare Flask.

CPU time (time.process_time: every thread of this process, the PDF rendered in the background
after submitting included) through the Flask test client, on SQLite and, when
BENCH_DATABASE_URL or TEST_DATABASE_URL names one, on PostgreSQL (in a schema of its own,
dropped afterwards). Each figure prints its baseline measured in the same run, the ratio and
a verdict:
1. a theme page GET and a theme page POST (saves, redirects) against a bare Flask route
   (bench_web.baseline_app: the same HTML as a static template; a form stored as JSON in one
   SQLite row). Aim: within AIM_PAGE times the bare route (issue 22: 7-8x before);
2. a completed scan (sector page, start, link page, every theme page GET and POST, check
   page, submit with the PDF rendered ahead, result, PDF download) per request.
With BENCH_BEFORE=/path/to/a/checkout (e.g. a worktree of main) the same figures are measured
for that checkout's code in a subprocess in the same run, and the ratio after/before is
printed. The limiter runs as in production (in-memory storage); each simulated entrepreneur
sends from an address of its own, so the start limit counts as on a campaign day. Aims: the
completed scan's CPU per request at most AIM_BEFORE of before, and each theme page's ratio
to the bare route at most AIM_BEFORE of before's ratio (issue 22: halve
the CPU of a theme page; main at 33c03e8 measured 9.6x GET and 3.2x POST on SQLite).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench.bench_web import baseline_app
from bench.checkout import figures_of

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRE = "haven"
ROUNDS = 5
BATCH = int(os.environ.get("BENCH_CPU_BATCH", "60"))  # requests per round
FLOWS = int(os.environ.get("BENCH_CPU_FLOWS", "6"))  # completed scans per round
AIM_PAGE = 4.0  # a theme page may cost at most this many times the bare route
PAIRS = int(os.environ.get("BENCH_CPU_PAIRS", "2"))  # turns of this and the other checkout
AIM_BEFORE = 0.5  # halve the CPU per request of a completed scan (issue 22)
AHEAD = "PDF ahead (thread)"  # the PDF rendered after submitting: scan/report, not a request
WITHOUT_PDF = "scan without the PDF ahead"  # a completed scan's CPU, the rendering left out
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def cpu_ms(run, count: int) -> float:
    """Return the process CPU milliseconds per item of one call of run()."""
    start = time.process_time()
    run()
    return (time.process_time() - start) * 1000 / count


def best_of(measure) -> float:
    """Return the best of ROUNDS rounds after one warm-up round (a busy machine only adds)."""
    measure()
    return min(measure() for _ in range(ROUNDS))


class Database:
    """A fresh database for the bench: a SQLite file, or a PostgreSQL schema of its own."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind, self.schema = kind, None
        if kind == "sqlite":
            self.config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'cpu.sqlite'}"}
            return
        import sqlalchemy

        from scan.platform.config import database_uri

        self.url = database_uri(postgres_url())
        self.schema = f"bench_{secrets.token_hex(6)}"
        self._run(f'CREATE SCHEMA "{self.schema}"')
        self.config = {
            "SQLALCHEMY_DATABASE_URI": self.url,
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "connect_args": {"options": f"-csearch_path={self.schema}"},
            },
        }
        self._sqlalchemy = sqlalchemy

    def _run(self, statement: str) -> None:
        import sqlalchemy

        engine = sqlalchemy.create_engine(self.url)
        with engine.begin() as connection:
            connection.execute(sqlalchemy.text(statement))
        engine.dispose()

    def drop(self) -> None:
        """Drop the PostgreSQL schema (a SQLite file goes with its folder)."""
        if self.schema:
            self._run(f'DROP SCHEMA "{self.schema}" CASCADE')


def postgres_url() -> str | None:
    """Return the PostgreSQL URL to bench on, if any."""
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")


def make_app(database: Database):
    """Return the app as production runs it (catalog loaded, limits counted in memory)."""
    from scan import create_app
    from scan.platform.extensions import db

    app = create_app(
        {
            "SECRET_KEY": "bench-secret",
            "PUBLIC_BASE_URL": "http://localhost",
            "SESSION_COOKIE_SECURE": False,
            "REPORT_PRERENDER": True,
            **database.config,
        }
    )
    with app.app_context():
        db.create_all()
    # The limiter runs as in production (in memory): every request passes its check, and each
    # simulated entrepreneur comes from an address of its own (own_client), as on a campaign day.
    return app


_addresses = itertools.count(1)


def own_client(app):
    """Return a test client that sends its requests from an address of its own."""
    test_client = app.test_client()
    number = next(_addresses)
    address = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
    test_client.environ_base["REMOTE_ADDR"] = address
    return test_client


def theme_page(app):
    """Return (client with an open scan, theme page path, the page's POST data)."""
    from scan.platform.catalog import get_catalog
    from scan.scans import forms

    client = own_client(app)
    csrf = CSRF.search(client.get(f"/scan/{QUESTIONNAIRE}").text).group(1)
    assert client.post(f"/scan/{QUESTIONNAIRE}/start", data={"csrf_token": csrf}).status_code == 302
    with app.app_context():
        q = get_catalog().get(QUESTIONNAIRE)
    questions = q.questions_for(q.themes[0].id)
    data = forms.initial_data(questions, q.examples[0].answers)
    data |= {"action": "verder", "seen": ",".join(x.id for x in questions), "csrf_token": csrf}
    return client, f"/scan/thema/{q.themes[0].id}", data


def gets(client, path: str, count: int, status: int = 200) -> None:
    """GET a path count times."""
    for _ in range(count):
        assert client.get(path).status_code == status, path


def posts(client, path: str, data: dict, count: int) -> None:
    """POST a form count times; each is answered with a redirect."""
    for _ in range(count):
        assert client.post(path, data=data).status_code == 302, path


def completed_scan(app, q, example, steps: Counter) -> int:
    """Do one whole scan as bench/loadtest's users do; count CPU per step; return requests."""
    from bench.loadtest.answers import fill_page
    from scan.scans import forms

    client, requests = own_client(app), 0

    def step(name: str, call, status: int = 200):
        nonlocal requests
        start = time.process_time()
        response = call()
        steps[name] += time.process_time() - start
        requests += 1
        assert response.status_code == status, (name, response.status_code)
        return response

    csrf = CSRF.search(step("sector", lambda: client.get(f"/scan/{q.id}")).text).group(1)
    step("start", lambda: client.post(f"/scan/{q.id}/start", data={"csrf_token": csrf}), 302)
    step("link page", lambda: client.get("/scan/overzicht"))
    answers = dict(example.answers)
    for theme in q.themes:
        page = fill_page(q, answers, theme.id)
        if not page:
            continue
        path = f"/scan/thema/{theme.id}"
        step("theme GET", lambda path=path: client.get(path))
        data = {
            "csrf_token": csrf,
            "action": "verder",
            "seen": ",".join(x.id for x in q.questions_for(theme.id)),
            **forms.initial_data([x for x in q.questions_for(theme.id) if x.id in page], page),
        }
        step("theme POST", lambda path=path, data=data: client.post(path, data=data), 302)
    step("check page", lambda: client.get("/scan/controle"))
    running = set(threading.enumerate())
    step("submit", lambda: client.post("/scan/versturen", data={"csrf_token": csrf}), 302)
    start = time.process_time()
    for thread in set(threading.enumerate()) - running:  # the PDF rendered ahead
        thread.join()
    steps[AHEAD] += time.process_time() - start
    step("result", lambda: client.get("/scan/resultaat"))
    step("PDF download", lambda: client.get("/scan/rapport.pdf"))
    return requests


def measure(kind: str) -> dict:
    """Return the figures (CPU ms) of this checkout's code on one kind of database."""
    from scan.platform.catalog import get_catalog

    with tempfile.TemporaryDirectory(prefix="bench-cpu-") as tmp:
        folder = Path(tmp)
        database = Database(kind, folder)
        try:
            app = make_app(database)
            client, path, data = theme_page(app)
            figures = {
                "theme GET": best_of(lambda: cpu_ms(lambda: gets(client, path, BATCH), BATCH)),
                "theme POST": best_of(
                    lambda: cpu_ms(lambda: posts(client, path, data, BATCH), BATCH)
                ),
            }
            with app.app_context():
                catalog = get_catalog()
                profiles = [(q, e) for q in catalog.listed.values() for e in q.examples]
            random.seed(22)
            steps: Counter = Counter()
            per_request, per_scan, without_pdf = [], [], []
            best_steps: dict[str, float] = {}
            for round_ in range(ROUNDS + 1):
                steps.clear()
                requests, start = 0, time.process_time()
                for index in range(FLOWS):
                    requests += completed_scan(app, *profiles[index % len(profiles)], steps)
                spent = (time.process_time() - start) * 1000
                if round_:  # the first round warms up
                    per_request.append(spent / requests)
                    per_scan.append(spent / FLOWS)
                    without_pdf.append((spent - 1000 * steps[AHEAD]) / FLOWS)
                    for name, cpu in steps.items():  # each step's best round
                        ms = 1000 * cpu / FLOWS
                        best_steps[name] = min(best_steps.get(name, ms), ms)
            figures["scan, per request"] = min(per_request)
            figures["scan, per completed scan"] = min(per_scan)
            figures[WITHOUT_PDF] = min(without_pdf)
            figures["steps"] = best_steps
            with app.app_context():
                from scan.platform.extensions import db

                db.engine.dispose()
        finally:
            database.drop()
    return figures


def bare_figures() -> dict:
    """Return the CPU ms of bench_web's bare Flask routes (GET of the theme HTML, POST a form)."""
    with tempfile.TemporaryDirectory(prefix="bench-cpu-bare-") as tmp:
        templates = Path(tmp)
        database = Database("sqlite", templates)
        app = make_app(database)
        client, path, data = theme_page(app)
        page = client.get(path).get_data(as_text=True)
        (templates / "theme.html").write_text("{% raw %}" + page + "{% endraw %}")
        os.environ["BENCH_WEB_TEMPLATES"] = str(templates)
        bare = baseline_app().test_client()
        return {
            "GET": best_of(lambda: cpu_ms(lambda: gets(bare, "/static-page/theme", BATCH), BATCH)),
            "POST": best_of(
                lambda: cpu_ms(lambda: posts(bare, "/static-post", data, BATCH), BATCH)
            ),
        }


def before_figures(checkout: str, kind: str) -> dict:
    """Return the figures of another checkout's code, measured by this file in a subprocess."""
    return figures_of(checkout, __file__, kind)


def verdict(ratio: float, aim: float, sign: str = "<=") -> str:
    """Return the verdict of a ratio against its aim."""
    return f"{'ok' if ratio <= aim else 'OVER AIM'} (aim {sign} {aim:g}x)"


def lowest(runs: list[dict]) -> dict:
    """Return each figure's lowest value over runs, each step's too."""
    figures = {key: min(run[key] for run in runs) for key in runs[0] if key != "steps"}
    figures["steps"] = {name: min(run["steps"][name] for run in runs) for name in runs[0]["steps"]}
    return figures


def report(kind: str, bare: dict, before_checkout: str | None) -> None:
    """Print one database's figures with their baselines.

    With a checkout to compare, this checkout and that one are measured PAIRS times in turn
    and each figure is the lowest: a busy machine only adds, and in turn both see its load.
    """
    afters, befores = [], []
    for _ in range(PAIRS if before_checkout else 1):
        afters.append(measure(kind))
        if before_checkout:
            befores.append(before_figures(before_checkout, kind))
    after = lowest(afters)
    before = lowest(befores) if befores else None
    print(f"{kind}: CPU ms per request, Flask test client, best of {ROUNDS} rounds")
    for name, base in (("theme GET", bare["GET"]), ("theme POST", bare["POST"])):
        ratio = after[name] / base
        print(
            f"  {name:26} {after[name]:6.2f} ms   bare Flask route {base:5.2f} ms   "
            f"ratio {ratio:5.2f}x   {verdict(ratio, AIM_PAGE)}"
        )
        if before:
            ratio_before = before[name] / base
            print(
                f"  {'':26} before {before[name]:6.2f} ms, ratio {ratio_before:5.2f}x: "
                f"ratio after/before {ratio / ratio_before:4.2f}   "
                f"{verdict(ratio / ratio_before, AIM_BEFORE)}"
            )
    for name in ("scan, per request", "scan, per completed scan", WITHOUT_PDF):
        print(f"  {name:26} {after[name]:6.2f} ms", end="")
        if before:
            ratio = after[name] / before[name]
            print(
                f"   before {before[name]:6.2f} ms   ratio {ratio:5.2f}x   "
                f"{verdict(ratio, AIM_BEFORE)}",
                end="",
            )
        print()
    print("  CPU ms per completed scan by step (each step's best round):")
    for name, ms in after["steps"].items():
        print(f"    {name:24} {ms:6.1f} ms", end="")
        if before and name != AHEAD:  # the PDF's rendering is not a request (scan/report)
            ratio = ms / before["steps"][name]
            print(
                f"   before {before['steps'][name]:6.1f} ms   ratio {ratio:5.2f}x   "
                f"{verdict(ratio, AIM_BEFORE)}",
                end="",
            )
        elif before:
            print(f"   before {before['steps'][name]:6.1f} ms   (for reading)", end="")
        print()


def main() -> None:
    """Print the figures on SQLite and, when one is named, PostgreSQL."""
    before_checkout = os.environ.get("BENCH_BEFORE")
    bare = bare_figures()
    print(f"bare Flask route: GET {bare['GET']:.2f} ms, POST {bare['POST']:.2f} ms CPU")
    for kind in ("sqlite", "postgresql") if postgres_url() else ("sqlite",):
        report(kind, bare, before_checkout)
    if not postgres_url():
        print("PostgreSQL not measured: set BENCH_DATABASE_URL or TEST_DATABASE_URL")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--json"]:  # one checkout's figures, for BENCH_BEFORE
        print(json.dumps(measure(sys.argv[2])))
    else:
        main()
