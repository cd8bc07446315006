"""Simulated entrepreneurs: start a scan, fill every page, submit, read the result, get the PDF.

Each user fills a sector scan with one of its example answer sets, completed with a random
valid answer to every other question the answers show, waits LOADTEST_THINK seconds
("min-max") between pages, and appends the token with the answers it posted to
LOADTEST_RECORD, so that the run can check the database afterwards.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, task

from bench.loadtest.answers import fill_page
from scan.questionnaire import load_catalog
from scan.scans.forms import initial_data

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LINK = re.compile(r'id="scan-link"[^>]*value="[^"]*/scan/([A-Za-z0-9_-]{32})/"')
CATALOG = load_catalog(ROOT / "questionnaires")
PROFILES = [(q, example) for q in CATALOG.listed.values() for example in q.examples]
THINK = [float(x) for x in os.environ.get("LOADTEST_THINK", "1-3").split("-")]
RECORD = os.environ.get("LOADTEST_RECORD")


class Entrepreneur(FastHttpUser):
    """One entrepreneur behind an address of their own, doing one scan after another.

    FastHttpUser (geventhttpclient) rather than HttpUser (requests): the load generator runs on
    the machine it measures, so its own CPU per request should be as small as Locust allows
    (the run prints it).
    """

    wait_time = between(THINK[0], THINK[-1])

    def on_start(self):
        # The app trusts one proxy (TRUSTED_PROXIES=1): each user gets an address of its own.
        address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        self.headers = {"X-Forwarded-For": address}
        # A new connection per request, as from a reverse proxy without upstream keep-alive:
        # a kept-alive connection that gunicorn closes after `keepalive` seconds of think time
        # races with the next request, which browsers retry and this client does not.
        self.headers["Connection"] = "close"

    def _get(self, path: str, name: str):
        return self.client.get(path, name=name, headers=self.headers, catch_response=True)

    def _post(self, path: str, data: dict, name: str):
        """POST a form (a list is a field given more than once); redirects are answers to
        check, not to follow."""
        return self.client.post(
            path,
            data=urlencode(data, doseq=True),
            name=name,
            headers={**self.headers, "Content-Type": "application/x-www-form-urlencoded"},
            allow_redirects=False,
            catch_response=True,
        )

    def _csrf(self, response) -> str:
        return CSRF.search(response.text).group(1)

    def _expect(self, response, status: int) -> bool:
        """Mark the request failed unless it answered with this status."""
        if response.status_code != status:
            detail = f" ({response.error!r})" if response.error else ""
            response.failure(f"status {response.status_code}, expected {status}{detail}")
            return False
        response.success()
        return True

    @task
    def scan(self):
        """Do one whole scan with think time between the pages."""
        q, example = random.choice(PROFILES)
        with self._get(f"/scan/{q.id}", "sector") as r:
            if not self._expect(r, 200):
                return
            csrf = self._csrf(r)
        self.wait()
        start = self._post(f"/scan/{q.id}/start", {"csrf_token": csrf}, "start")
        with start as r:
            if not self._expect(r, 302):
                return
            if not r.headers["Location"].endswith("/scan/overzicht"):
                r.failure(f"start went to {r.headers['Location']}")
                return
        # The link page shows the personal link once; the scan pages have no token in them.
        with self._get("/scan/overzicht", "link page") as r:
            if not self._expect(r, 200):
                return
            token = LINK.search(r.text).group(1)
        base = "/scan"
        answers = dict(example.answers)
        posted = {}
        for theme in q.themes:
            page = fill_page(q, answers, theme.id)
            if not page:
                continue
            self.wait()
            with self._get(f"{base}/thema/{theme.id}", "page") as r:
                if not self._expect(r, 200):
                    return
            self.wait()
            questions = [x for x in q.questions_for(theme.id) if x.id in page]
            data = {
                "csrf_token": csrf,
                "action": "verder",
                "seen": ",".join(x.id for x in q.questions_for(theme.id)),
                **initial_data(questions, page),
            }
            save = self._post(f"{base}/thema/{theme.id}", data, "save page")
            with save as r:
                if not self._expect(r, 302):
                    return
            posted.update(page)
        self.wait()
        with self._get(f"{base}/controle", "review") as r:
            if not self._expect(r, 200):
                return
        submit = self._post(f"{base}/versturen", {"csrf_token": csrf}, "submit")
        with submit as r:
            if not self._expect(r, 302):
                return
        if RECORD:
            with open(RECORD, "a") as out:
                out.write(json.dumps({"token": token, "q": q.id, "answers": posted}) + "\n")
        with self._get(f"{base}/resultaat", "result") as r:
            self._expect(r, 200)
        self.wait()
        with self._get(f"{base}/rapport.pdf", "pdf") as r:
            if self._expect(r, 200) and not r.content.startswith(b"%PDF"):
                r.failure("not a PDF")
