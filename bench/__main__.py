"""`make bench`: speed figures for the portal, printed as medians and ratios.

Tests never time things; this does. Benchmarks live in this package's modules (see
harness.py); the database is a throwaway SQLite file with migrations and demo content.
"""

import atexit
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
_db_dir = tempfile.mkdtemp(prefix="portal-bench-")
atexit.register(shutil.rmtree, _db_dir, ignore_errors=True)
os.environ["DATABASE_URL"] = f"sqlite:///{Path(_db_dir) / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

# Importing the modules registers their benchmarks.
from bench import (  # noqa: E402, F401
    cases,
    certificates,
    fees,
    honorroll_feed,
    honorroll_import,
    honorroll_pages,
    honorroll_versions,
    portal_pages,
    search_embedded,
    search_engine,
)
from bench.harness import BENCHMARKS  # noqa: E402


def main():
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=io.StringIO())
    print(f"{'benchmark':<52} {'runs':>5} {'median ms':>10} {'p95 ms':>9} {'per s':>10}")
    # `python -m bench engine` runs only the benchmarks whose names contain "engine".
    wanted = [word.casefold() for word in sys.argv[1:]]
    for name, repeat, per_run, setup in BENCHMARKS:
        if wanted and not any(word in name.casefold() for word in wanted):
            continue
        run = setup()
        for _ in range(min(5, repeat - 1)):  # warm caches and imports (not for one-shot runs)
            run()
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            run()
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        median = statistics.median(timings)
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"{name:<52} {repeat:>5} {median:>10.1f} {p95:>9.1f} {per_run * 1000 / median:>10.1f}", flush=True
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
