"""gunicorn configuration used by `dailypapers serve` (bind, workers come from its flags).

Each worker process reports metrics into PROMETHEUS_MULTIPROC_DIR; when a worker exits its
live gauges are dropped so /metrics never sums a dead process in.
"""

from prometheus_client import multiprocess

timeout = 60
graceful_timeout = 10
# Django's connections are opened per worker; preloading would share one socket across forks.
preload_app = False
# Our access log line (with the request id) comes from RequestIdMiddleware.
accesslog = None


def post_worker_init(worker):
    import logging

    logging.getLogger("dailypapers.access").setLevel(logging.INFO)


def child_exit(server, worker):
    multiprocess.mark_process_dead(worker.pid)
