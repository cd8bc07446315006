"""The WSGI entry point for gunicorn: the app, catalog and templates loaded (gunicorn.conf.py).

This is production: without a setting it cannot work without, it refuses to start.
"""

from scan import create_app
from scan.platform.config import require_production_settings
from scan.platform.serving import preload

app = create_app()
require_production_settings(app)
app = preload(app)
