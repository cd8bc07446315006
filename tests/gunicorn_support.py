"""Start the app under gunicorn with gunicorn.conf.py on a free loopback port, for tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
_MASTERS: dict[str, int] = {}  # base URL -> pid of the gunicorn master serving it


def free_port() -> int:
    """Return a loopback port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(database_url: str, *args: str, log: Path, **env: str):
    """Run gunicorn -c gunicorn.conf.py with extra args; yield its base URL, then stop it."""
    port = free_port()
    environment = {
        **os.environ,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "INSECURE_COOKIES": "1",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        **env,
    }
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}", *args],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        _MASTERS[base] = process.pid
        try:
            _wait_until_up(base, process, log)
            yield base
        finally:
            process.send_signal(signal.SIGINT)  # quick shutdown: no graceful wait
            process.wait(timeout=30)
            _MASTERS.pop(base, None)


def _wait_until_up(base: str, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer within {seconds} s:\n{log.read_text()}")


def _stat(pid: int | str) -> list[str]:
    """Return a process's /proc stat fields after its name (Linux): [state, ppid, ...]."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def nice_of(pid: int) -> int:
    """Return a process's nice value."""
    return int(_stat(pid)[16])


def processes_below(pid: int) -> dict[int, tuple[int, int]]:
    """Return every process descended from pid (Linux /proc) as {pid: (nice, CPU ticks)}."""
    parents, figures = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = _stat(entry.name)
        except OSError:  # ended meanwhile
            continue
        child = int(entry.name)
        parents[child] = int(fields[1])
        figures[child] = (int(fields[16]), int(fields[11]) + int(fields[12]))
    below, todo = {}, [pid]
    while todo:
        parent = todo.pop()
        for child, its_parent in parents.items():
            if its_parent == parent:
                below[child] = figures[child]
                todo.append(child)
    return below


def master_pid(base: str) -> int:
    """Return the pid of the gunicorn master serving base (started by `gunicorn` above)."""
    return _MASTERS[base]
