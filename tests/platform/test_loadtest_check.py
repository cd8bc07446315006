"""The load test's database check finds a completed scan whose answers differ from the posted."""

from __future__ import annotations

import json

from bench.loadtest.__main__ import check_database
from scan.scans import store


def test_check_database__counts_scans_whose_answers_differ(db_app, catalog, tmp_path):
    q = catalog.get("voorbeeld")
    answers = q.examples[0].answers
    record = tmp_path / "posted.jsonl"
    with db_app.app_context():
        lines = []
        for posted in (answers, {**answers, "verhuur": "nee"}):
            scan, token = store.start_scan(q, 90)
            scan.answers = dict(answers)
            store.submit_scan(scan, q)
            lines.append(json.dumps({"token": token, "q": q.id, "answers": posted}))
        lines.append(json.dumps({"token": "A" * 32, "q": q.id, "answers": answers}))
        record.write_text("\n".join(lines) + "\n")
    assert check_database(db_app, record) == (3, 2)  # one changed answer, one scan missing
