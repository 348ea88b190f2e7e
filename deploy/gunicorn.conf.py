"""gunicorn's settings for production: `gunicorn portal.wsgi --config deploy/gunicorn.conf.py`.

Measured with `make bench` (bench/load_stack.py) on 2 cores, 16 clients, pages rendered on
every request: 4 processes of 4 threads answered with a p95 of 110-240 ms, 16 single-request
processes with 80-135 ms at a higher throughput.

- Synchronous workers, one request per process. A page is 5-12 ms of Python (ORM, templates)
  and little waiting, so threads in one process mostly queue for the interpreter lock; a
  process per request lets the kernel share the cores evenly, and a slow request (a PDF, an
  export) holds up no other. The workers read no request themselves from slow clients:
  nginx (deploy/nginx/) buffers requests and answers in front of them.
- Several processes per core, so that a request waiting for the database or a file leaves
  the core to another; capped because each process holds its own PostgreSQL connection
  (PostgreSQL allows 100 by default; management commands and backups need some).
- The application is loaded once, before the workers are forked (`preload_app`): the search
  dictionary and the code are shared copy-on-write (`when_ready` below loads the dictionary
  and freezes them out of the garbage collector's reach): ~60 MB per worker after the load bench instead of ~265 MB.
  New code therefore needs a restart of the service, not a HUP.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
worker_class = "sync"
# The cores this process may run on (a cpuset's or taskset's, not every core of the host).
workers = int(os.environ.get("GUNICORN_WORKERS") or min(8 * len(os.sched_getaffinity(0)), 32))
preload_app = True
# A synchronous worker is killed when one request takes longer than this. The longest is
# the import of a list in the admin: up to 20 MB, ~300,000 rows, about 2 minutes.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "300"))
# A restart lets such an import finish (the service manager's stop timeout must allow it).
graceful_timeout = timeout
backlog = 2048
# No access log here: nginx keeps one (deploy/nginx/render.py, ACCESS_LOG).
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")


def when_ready(server):
    """In the master, after the application is preloaded and before any worker is forked:
    load the search dictionary (~0.5 s) now rather than for the first visitor who searches,
    and freeze everything loaded so far out of the garbage collector's scans (it lives as
    long as the process; shorter pauses under load, pages stay shared copy-on-write)."""
    import gc

    from search import segment

    segment.load()
    gc.freeze()
