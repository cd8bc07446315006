"""Run the campaign-day load test: gunicorn + headless Locust, then check every answer stored.

python -m bench.loadtest [--users N] [--seconds S] [--think MIN-MAX]: on DATABASE_URL when set
(PostgreSQL), else on a fresh SQLite file. Prints p50/p95/p99 per step, the failures, the
database check and the saturation figure; exits 1 on any failure or lost answer.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            sys.exit("gunicorn exited before it answered")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit("gunicorn did not answer /healthz")


def _cpu_seconds(pid: int) -> float:
    """Return the CPU time of a process, its live children and its reaped children."""
    import psutil  # comes with locust (the load extra); the database check does without

    master = psutil.Process(pid)
    times = master.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in master.children(recursive=True):
        try:
            child_times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += child_times.user + child_times.system
    return total


def _rusage_seconds(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def _machine_busy() -> float:
    """Return the CPU seconds all processes of the machine have spent so far (all cores)."""
    import psutil

    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def _print_stats(prefix: str) -> tuple[int, int]:
    """Print p50/p95/p99 per step and the failures; return (requests, failed requests)."""
    with open(f"{prefix}_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    print(f"{'step':<12} {'requests':>8} {'failed':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    requests = failed = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        print(
            f"{name:<12} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
        )
        if row["Name"] == "Aggregated":
            requests, failed = int(row["Request Count"]), int(row["Failure Count"])
    with open(f"{prefix}_failures.csv") as handle:
        for row in csv.DictReader(handle):
            print(f"FAILED {row['Occurrences']}x {row['Method']} {row['Name']}: {row['Error']}")
    return requests, failed


def check_database(app, record: Path) -> tuple[int, int]:
    """Return (completed scans, scans whose stored answers differ from what was posted)."""
    from scan.scans import store
    from scan.scoring import check_answers

    posted = (
        [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []
    )
    wrong = 0
    with app.app_context():
        for item in posted:
            scan = store.find_scan(item["token"])
            if scan is None or scan.submitted_at is None:
                wrong += 1
                continue
            q = store.questionnaire_of(scan)
            clean = check_answers(q, item["answers"], hidden="ignore")
            expected = json.loads(json.dumps({k: clean[k] for k in clean}))
            wrong += scan.answers != expected
    return len(posted), wrong


def main() -> None:
    """Start gunicorn, run Locust headless, print the figures and check the database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--think", default="1-3", help="seconds between pages: MIN-MAX")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="loadtest-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{work / 'load.sqlite'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32),
        "TRUSTED_PROXIES": "1",  # Locust plays the proxy: one address per entrepreneur
        "INSECURE_COOKIES": "1",
        "LOADTEST_RECORD": str(work / "posted.jsonl"),
        "LOADTEST_THINK": args.think,
        "PYTHONPATH": str(ROOT),  # the locustfile imports bench.loadtest.answers
    }
    os.environ.update(env)  # the database check below opens the same database
    kind = database_url.split(":", 1)[0]
    subprocess.run(
        [BIN / "flask", "--app", "scan", "db", "upgrade"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    # The personal link is built from it, never from the Host (the check below reads it too).
    env["PUBLIC_BASE_URL"] = os.environ["PUBLIC_BASE_URL"] = base
    with open(work / "gunicorn.log", "wb") as log:
        server = subprocess.Popen(
            [BIN / "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(base, server)
        cpu_before, started = _cpu_seconds(server.pid), time.monotonic()
        machine_before = _machine_busy()
        generator_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(work / "locust.log", "wb") as locust_log:
            subprocess.run(
                [
                    BIN / "locust",
                    "-f",
                    str(ROOT / "bench/loadtest/locustfile.py"),
                    "--headless",
                    "-u",
                    str(args.users),
                    "-r",
                    str(args.spawn_rate),
                    "-t",
                    f"{args.seconds}s",
                    "--host",
                    base,
                    "--csv",
                    str(work / "locust"),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env=env,
                cwd=ROOT,
                check=False,
                stdout=locust_log,
                stderr=subprocess.STDOUT,
            )
        cpu = _cpu_seconds(server.pid) - cpu_before
        elapsed = time.monotonic() - started
        generator = _rusage_seconds(resource.getrusage(resource.RUSAGE_CHILDREN)) - (
            _rusage_seconds(generator_before)
        )
        machine = _machine_busy() - machine_before
    finally:
        server.send_signal(signal.SIGINT)  # quick shutdown: the run is over
        server.wait(timeout=60)

    print(
        f"\n{args.users} users, {args.seconds} s, think {args.think} s, on {kind}, "
        f"gunicorn.conf.py ({os.cpu_count()} cores; load generator on the same machine)"
    )
    requests, failed = _print_stats(str(work / "locust"))
    from scan import create_app

    completed, wrong = check_database(create_app(), work / "posted.jsonl")
    print(f"database check: {completed} completed scans, {wrong} with answers other than posted")
    per_minute = completed / (elapsed / 60)
    saturation = completed / (cpu / 60) if cpu else 0.0
    print(
        f"completed scans: {per_minute:.1f} per minute; server CPU {cpu:.1f} s in {elapsed:.0f} s"
        f" ({1000 * cpu / max(requests, 1):.1f} ms CPU per request, {requests / elapsed:.1f}/s)"
    )
    cores = os.cpu_count() or 1
    print(
        f"machine: {100 * machine / (elapsed * cores):.0f}% of {cores} cores busy; "
        f"load generator {generator:.1f} s CPU ({1000 * generator / max(requests, 1):.1f} ms per "
        f"request), the rest PostgreSQL and other processes"
    )
    print(
        f"saturation: {saturation:.0f} completed scans per minute per core "
        f"(completed scans per minute of server CPU)"
    )
    print(f"files: {work}")
    sys.exit(1 if failed or wrong or not completed else 0)


if __name__ == "__main__":
    main()
