import contextlib
import io
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction


@pytest.fixture
def indexed_demo(demo_content):
    """The demo portal with the embedded index rebuilt from its published pages.

    In these (transactional-rollback) tests the publish signals' on_commit callbacks never
    run, so the index is built once explicitly, as `manage.py search_rebuild_embedded` does.
    """
    call_command("search_rebuild_embedded", stdout=io.StringIO())
    return demo_content


@pytest.fixture(scope="session")
def engine_server():
    """A real OpenSearch-compatible engine process (osmem-server) for the whole run."""
    from osmem_server import OsmemServer

    server = OsmemServer.start(japanese=False)
    yield server
    server.close()


@contextlib.contextmanager
def _fresh_engine_state():
    """A new index prefix with no outage on record; the prefix's indices are deleted and the
    outage state cleared afterwards. Yields the prefix."""
    from django.core.cache import cache

    from search import engine

    def clear():
        engine._state["down_until"] = 0.0
        cache.delete(engine._OUTAGE_KEY)

    prefix = f"t{uuid.uuid4().hex[:10]}_"
    clear()
    try:
        yield prefix
    finally:
        clear()
        with contextlib.suppress(*engine.ENGINE_ERRORS):
            engine.client().indices.delete(index=f"{prefix}*", allow_no_indices=True, ignore_unavailable=True)


def _engine_conf(url, prefix):
    return {**settings.SEARCH_ENGINE, "URL": url, "INDEX_PREFIX": prefix, "TIMEOUT": 2.0}


@pytest.fixture
def use_engine(settings, engine_server):
    """Point the search at the engine under a prefix of this test's own; returns a function
    that repoints it (to an engine restarted elsewhere, or an unreachable address)."""
    with _fresh_engine_state() as prefix:

        def point(url):
            settings.SEARCH_ENGINE = _engine_conf(url, prefix)

        point(engine_server.url)
        yield point


@contextlib.contextmanager
def _engine_settings(url):
    """Settings that point the search at the engine under a fresh index prefix."""
    from django.test import override_settings

    with _fresh_engine_state() as prefix, override_settings(SEARCH_ENGINE=_engine_conf(url, prefix)):
        yield


@pytest.fixture(scope="module", params=["embedded", "engine"])
def backend(request, django_db_setup, django_db_blocker, engine_server):
    """The demo corpus loaded and indexed once per module and backend, for tests that only
    read (each test still runs in its own savepoint). Returns the backend's name."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with contextlib.ExitStack() as stack:
            with django_db_blocker.unblock():
                call_command("load_demo", stdout=io.StringIO())
                call_command("search_rebuild_embedded", stdout=io.StringIO())
                if request.param == "engine":
                    stack.enter_context(_engine_settings(engine_server.url))
                    call_command("search_reindex", stdout=io.StringIO())
            yield request.param
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(params=["embedded", "engine"])
def fresh_backend(request, indexed_demo):
    """The demo corpus searchable through one backend; the contract holds for both."""
    if request.param == "engine":
        request.getfixturevalue("use_engine")
        call_command("search_reindex", stdout=io.StringIO())
    return request.param
