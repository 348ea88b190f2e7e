"""gunicorn's settings for production: `gunicorn portal.wsgi --config deploy/gunicorn.conf.py`.

Measured with `make bench` (bench/load_stack.py) on 2 cores, 16 clients, pages rendered on
every request: 4 processes of 4 threads answered with a p95 of 110-240 ms, 16 single-request
processes with 80-115 ms at a higher throughput.

- Synchronous workers, one request per process. A page is 5-12 ms of Python (ORM, templates)
  and little waiting, so threads in one process mostly queue for the interpreter lock; a
  process per request lets the kernel share the cores evenly, and a slow request (a PDF, an
  export) holds up no other. The workers read no request themselves from slow clients:
  nginx (deploy/nginx/) buffers requests and answers in front of them.
- Several processes per core, so that a request waiting for the database or a file leaves
  the core to another; capped because each process holds its own PostgreSQL connection
  (PostgreSQL allows 100 by default; management commands and backups need some).
- The application is loaded once, before the workers are forked (`preload_app`): the search
  dictionary and the code are shared copy-on-write (portal/wsgi.py freezes them out of the
  garbage collector's reach), ~50 MB per worker instead of ~260 MB. New code therefore needs
  a restart of the service, not a HUP.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
worker_class = "sync"
workers = int(os.environ.get("GUNICORN_WORKERS") or min(8 * multiprocessing.cpu_count(), 32))
preload_app = True
# The longest request is the import of a large list in the admin (100,000 entries ~45 s).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "300"))
graceful_timeout = 30
backlog = 2048
# No access log here: nginx keeps it (without personal data; see the README).
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
