"""The registry `make bench` runs: `@benchmark(name, repeat)` on a setup function that
returns the callable to time. Modules of this package register their benchmarks on import.

`per_run` is how many operations one call of that callable performs, so that "per s"
counts operations rather than calls when a single call would be too quick to time."""

from django.test import Client

BENCHMARKS = []


def benchmark(name, repeat=200, per_run=1):
    def register(setup):
        BENCHMARKS.append((name, repeat, per_run, setup))
        return setup

    return register


def page(path):
    """A setup that times GET `path` through Django's test client (no cache)."""

    def setup():
        client = Client()
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

        def run():
            client.get(path)

        return run

    return setup
