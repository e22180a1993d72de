"""gunicorn settings for the portal: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""
import multiprocessing
import os

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")  # nginx in front terminates TLS
# Pages are mostly database work: two workers per core, threads for slow clients.
workers = int(os.environ.get("PORTAL_WEB_WORKERS", multiprocessing.cpu_count() * 2))
threads = 2
worker_class = "gthread"
timeout = 60  # a page never takes this long; long work runs in the Huey worker
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # a worker is replaced now and then: memory stays flat
max_requests_jitter = 200
limit_request_line = 8190
limit_request_fields = 100
forwarded_allow_ips = os.environ.get("PORTAL_PROXY_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# Workers fork from a master that has loaded the app and its dictionaries (when_ready):
# a worker replaced after max_requests serves at once instead of spending ~2 s loading.
preload_app = True


def when_ready(server):  # noqa: ANN001, ARG001 - in the master, after loading, before forking
    from portal.matching.services import warm_up

    warm_up()


def post_fork(server, worker):  # noqa: ANN001, ARG001
    """A forked worker opens connections of its own, never the master's (SQLAlchemy's
    advice for pools across fork)."""
    from portal.db import state
    from wsgi import app

    state(app).engine.dispose(close=False)


def child_exit(server, worker):  # noqa: ANN001, ARG001 - gunicorn's hook signature
    """With PROMETHEUS_MULTIPROC_DIR set, a finished worker's figures are let go."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
