"""Campaign-day load test: Locust entrepreneurs against gunicorn (python -m bench.loadtest)."""
