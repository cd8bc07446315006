"""The WSGI entry point for gunicorn: the app, catalog and templates loaded (gunicorn.conf.py)."""

from scan import create_app
from scan.platform.serving import preload

app = preload(create_app())
