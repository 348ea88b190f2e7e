"""The registry `make bench` runs: `@benchmark(name, repeat)` on a setup function that
returns the callable to time. Modules of this package register their benchmarks on import."""

from django.test import Client

BENCHMARKS = []


def benchmark(name, repeat=200):
    def register(setup):
        BENCHMARKS.append((name, repeat, setup))
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
