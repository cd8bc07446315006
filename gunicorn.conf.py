"""gunicorn settings we recommend: gunicorn -c gunicorn.conf.py (docs/deploy.md explains them)."""

import os

wsgi_app = "scan.platform.wsgi:app"
bind = [os.environ.get("BIND", "127.0.0.1:8000")]

# Threaded workers: a client that sends its request slowly (or never) holds one thread, not a
# whole worker, so the other threads keep serving. A buffering reverse proxy in front is still
# the real defence (docs/deploy.md).
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1))
threads = int(os.environ.get("THREADS", 8))
timeout = 30  # a worker silent this long is restarted
graceful_timeout = 30
keepalive = 5
# No recycling: a recycled gthread worker closes its kept-alive connections without answering
# a request already on its way (gunicorn issue 3038), and no leak needs it (docs/deploy.md).
max_requests = 0

# The first PDF of each submitted scan renders in a process of its own, at a lower priority
# than the workers (scan/scans/report_worker.py): a wave of submits never holds up requests.
dirty_apps = ["scan.scans.report_worker:ReportRenderer"]
dirty_workers = 1
dirty_timeout = 60  # a rendering silent this long is stuck: its worker is restarted
# The dirty arbiter writes its pid to /tmp/gunicorn-dirty-<proc_name>.pid and, on a fresh start,
# stops the process named there. A name per master keeps two instances on one host (a staging
# copy, tests) from stopping each other's renderer; the arbiter ends by itself within a second
# of its master, so no orphan needs that file.
proc_name = f"weerbaarheidsscan-{os.getpid()}"

# Load the app (and its questionnaires) once in the master; workers fork with it ready.
preload_app = True
control_socket_disable = True  # gunicorn 27+: no runtime control socket in $HOME

# The access log: no client address, no query string, token-like path segments masked.
accesslog = "-"
errorlog = "-"
logger_class = "scan.platform.serving.AccessLogger"
access_log_format = '%(t)s "%(r)s" %(s)s %(B)s %(M)sms'


def _app(server):
    return server.app.wsgi()


def when_ready(server):
    """Warn when several workers would count rate limits each on its own."""
    from scan.platform.serving import shared_limits_warning

    warning = shared_limits_warning(_app(server), server.cfg.workers)
    if warning:
        server.log.warning(warning)


def post_fork(server, worker):
    """Give each worker its own database connections."""
    from scan.platform.serving import after_fork

    after_fork(_app(server))
