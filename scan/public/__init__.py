"""Public pages: the landing page, branch pages, privacy, accessibility, safe use, the
health check and the quick exit."""
