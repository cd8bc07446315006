"""The first PDF of a just-submitted scan, rendered in a process of its own at a lower priority.

Under gunicorn (gunicorn.conf.py), one of gunicorn's dirty workers runs `ReportRenderer`: a
process forked from the master with the app loaded, at CPU priority `NICENESS`, so that the
reports of many scans submitted at once never take the CPU or a worker's GIL from the
requests. A request worker's background thread (report_pdf.first_render) hands it the scan's
id and link token over gunicorn's Unix socket (in a private directory, mode 0600) and waits,
without holding the GIL, until the PDF is stored. The token stays in memory: it is never
logged or stored.

Where no dirty worker runs (`make run`, the tests, another server) or its socket refuses the
connection (gunicorn is restarting it), the thread renders the PDF itself, as before.
"""

from __future__ import annotations

import os
import socket

from flask import Flask
from gunicorn.dirty import DirtyApp, DirtyClient, DirtyConnectionError
from gunicorn.util import import_app

APP_PATH = "scan.scans.report_worker:ReportRenderer"
WSGI_APP = "scan.platform.wsgi:app"  # gunicorn.conf.py's wsgi_app
# Linux nice value: weight 110 against a request worker's 1024 while both want a core.
NICENESS = 10
# How long a request worker's thread waits for the dirty worker's answer (seconds); later the
# the download renders the PDF (it waits REPORT_PRERENDER_WAIT seconds at most).
ANSWER_TIMEOUT = 60.0


def socket_path() -> str | None:
    """Return the dirty arbiter's socket when gunicorn runs one for this process, else None."""
    return os.environ.get("GUNICORN_DIRTY_SOCKET") or None


def render_elsewhere(scan_id: int, token: str) -> bool | None:
    """Have the dirty worker render and store the scan's first PDF; return whether it stored
    one, or None when no dirty worker could be reached (the caller renders it then).

    Raises DirtyError when the dirty worker was reached and failed or took too long."""
    path = socket_path()
    if path is None:
        return None
    client = _Client(path, timeout=ANSWER_TIMEOUT)
    try:
        client.connect()
    except DirtyConnectionError:
        return None
    try:
        return bool(client.execute(APP_PATH, "render", scan_id, token))
    finally:
        client.close()


class _Client(DirtyClient):
    """gunicorn's sync client, closing its socket when the connection fails (27.0 leaves it
    to the garbage collector)."""

    _sock: socket.socket | None

    def connect(self) -> None:
        if self._sock is not None:
            return
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.socket_path)
        except OSError as error:
            sock.close()
            raise DirtyConnectionError(
                f"Failed to connect to dirty arbiter: {error}", socket_path=self.socket_path
            ) from error
        self._sock = sock


class ReportRenderer(DirtyApp):
    """gunicorn's dirty app: renders the first PDF of submitted scans, one at a time."""

    workers = 1

    def init(self) -> None:
        """Take the app the master loaded (the one gunicorn serves, by its gunicorn.conf.py
        name: this entry point sits above every room, like the WSGI one), with connections
        of its own, at a lower priority (threads started from here on inherit it)."""
        from scan.platform.serving import after_fork

        app = import_app(WSGI_APP)
        after_fork(app)
        os.nice(NICENESS)
        self.app: Flask = app

    def render(self, scan_id: int, token: str) -> bool:
        """Render and store the scan's first PDF; return whether one was stored."""
        from scan.scans.report_pdf import render_first_pdf

        return render_first_pdf(self.app, scan_id, token)
