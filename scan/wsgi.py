"""The WSGI entry point for gunicorn: the app, catalog and templates loaded (gunicorn.conf.py)."""

from . import create_app
from .serving import preload

app = preload(create_app())
