"""Parts of the shared layout that read only the page's language: rendered once, then reused.

The quick-exit bar and the footer are the same on every page in one language, yet rendering
them (a dozen translated texts and links) was a fifth of a theme page's template time. A part
is a template that reads nothing of the request but the language: its texts (`_`, `trans`),
`url_for` of fixed pages and static files, and `operator` (who runs the service). It is
rendered with only those, so a part cannot show anything of one visitor to another.

Keyed on the template name, the language, the request's script root (the start of every path
url_for builds) and the operator settings; kept per app in a bounded LRU. Every worker renders
each part at most once per language, and a restarted or new worker renders the same bytes:
no state across requests or workers beyond what these keys fix.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from markupsafe import Markup

from scan.platform.cache import BoundedCache
from scan.platform.filters import operator_of
from scan.platform.languages import current_language

EXTENSION = "layout_parts"
OPERATOR_SETTINGS = ("OPERATOR_NAME", "OPERATOR_CONTACT")  # all of the config a part reads
PARTS_PER_APP = 64  # a handful of parts times three languages (and a proxy prefix or two)


def register(app: Flask) -> None:
    """Give the templates `layout_part(name)` and this app its own cache of parts."""
    app.extensions[EXTENSION] = BoundedCache(f"layout-parts-{id(app)}", PARTS_PER_APP)
    app.add_template_global(layout_part)


def layout_part(name: str) -> Markup:
    """Return the HTML of a layout part in this request's language, from the cache when made."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    settings = tuple(app.config.get(setting) for setting in OPERATOR_SETTINGS)
    key = (name, current_language(), request.script_root, settings)
    parts: BoundedCache[Markup] = app.extensions[EXTENSION]
    return parts.get_or_make(key, lambda: _render(app, name))


def _render(app: Flask, name: str) -> Markup:
    template = app.jinja_env.get_template(name)
    return Markup(template.render(operator=operator_of(app.config)))
