"""The process that renders the first PDF of just-submitted scans, at a lower priority.

Under gunicorn (gunicorn.conf.py), one of gunicorn's dirty workers runs `ReportRenderer`: a
process forked from the master with the app loaded, at CPU priority `NICENESS`, so that the
reports of many scans submitted at once never take the CPU or a worker's GIL from the
requests. A request worker's background thread (report_pdf.first_render) hands it the scan's
id and link token (platform/dirty_workers.py) and waits, without holding the GIL, until the
PDF is stored. The token stays in memory: it is never logged or stored.
"""

from __future__ import annotations

import os

from flask import Flask
from gunicorn.dirty import DirtyApp
from gunicorn.util import import_app

from scan.platform.serving import after_fork
from scan.scans.report_pdf import render_first_pdf

WSGI_APP = "scan.platform.wsgi:app"  # gunicorn.conf.py's wsgi_app
# Linux nice value: weight 110 against a request worker's 1024 while both want a core.
NICENESS = 10


class ReportRenderer(DirtyApp):
    """gunicorn's dirty app: renders the first PDF of submitted scans, one at a time (as many
    processes as gunicorn.conf.py's dirty_workers)."""

    def init(self) -> None:
        """Take the app the master loaded (the one gunicorn serves, by its gunicorn.conf.py
        name: this entry point sits above every room, like the WSGI one), with connections
        of its own, at a lower priority (threads started from here on inherit it)."""
        app = import_app(WSGI_APP)
        after_fork(app)
        os.nice(NICENESS)
        self.app: Flask = app

    def render(self, scan_id: int, token: str) -> bool:
        """Render and store the scan's first PDF; return whether one was stored."""
        return render_first_pdf(self.app, scan_id, token)
