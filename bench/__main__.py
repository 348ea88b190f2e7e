"""`make bench`: speed figures for the portal, printed as medians and ratios.

Tests never time things; this does. Each benchmark is a function registered with
``@benchmark`` that returns a callable to time; later issues add their own (load through
the production stack, PDF rendering, search). The database is a throwaway SQLite file
with the migrations and demo content applied.
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
from django.test import Client  # noqa: E402

BENCHMARKS = []


def benchmark(name, repeat=200):
    def register(setup):
        BENCHMARKS.append((name, repeat, setup))
        return setup

    return register


def page(path):
    def setup():
        client = Client()
        assert client.get(path).status_code == 200, path

        def run():
            client.get(path)

        return run

    return setup


benchmark("home page (uncached, test client)")(page("/"))
benchmark("notice page /notice/")(page("/notice/"))
benchmark("standard page /how-to-apply/")(page("/how-to-apply/"))


@benchmark("parse + normalise 1,000 case numbers", repeat=50)
def case_numbers():
    from portal.identifiers import normalise_case_number

    typed = [f"(2025)黑0902民初{n}号" for n in range(1, 1001)]

    def run():
        for text in typed:
            normalise_case_number(text)

    return run


def main():
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=io.StringIO())
    print(f"{'benchmark':<42} {'runs':>5} {'median ms':>10} {'p95 ms':>8} {'per s':>8}")
    for name, repeat, setup in BENCHMARKS:
        run = setup()
        for _ in range(5):  # warm caches and imports
            run()
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            run()
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        median = statistics.median(timings)
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{name:<42} {repeat:>5} {median:>10.2f} {p95:>8.2f} {1000 / median:>8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
