"""The engine backend against a real engine process (osmem-server): the plain-JSON setting,
the alias swap, an interrupted reindex, the outbox, and an outage — the engine killed
mid-suite and restarted — with the public page answering throughout."""

import io
import logging
import os
import signal

import pytest
from django.core.management import CommandError, call_command

from publicity.models import TypicalCasePage
from search import backends, engine, sync
from search.models import SearchOutbox

pytestmark = pytest.mark.django_db

DIVORCE = "赵某诉孙某离婚纠纷案"
SUPPORT = "周某某诉吴某赡养纠纷案"


@pytest.fixture
def engine_demo(indexed_demo, use_engine):
    call_command("search_reindex", stdout=io.StringIO())
    return use_engine


@pytest.fixture
def own_engine():
    """An engine process of this test's own, to pause, kill and restart."""
    from osmem_server import OsmemServer

    servers = [OsmemServer.start(japanese=False)]

    def restart():
        address = servers[0].url.removeprefix("http://")
        servers.append(OsmemServer.start(japanese=False, addr=address))
        return servers[-1]

    yield servers[0], restart
    for server in servers:
        if server.process.poll() is None:
            os.kill(server.process.pid, signal.SIGCONT)
        server.close(grace=1)


def titles(results):
    return [hit.title for hit in results.hits]


def page_html(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_plain_json_is_what_opensearch_compatible_servers_need(indexed_demo, use_engine, settings):
    settings.SEARCH_ENGINE = {**settings.SEARCH_ENGINE, "PLAIN_JSON": False}
    with pytest.raises(CommandError, match="重建中断"):
        call_command("search_reindex", stdout=io.StringIO())
    results = backends.search("借贷")
    assert results.fallback and results.backend == "embedded" and results.total >= 3

    settings.SEARCH_ENGINE = {**settings.SEARCH_ENGINE, "PLAIN_JSON": True}
    engine._state["down_until"] = 0.0
    call_command("search_reindex", stdout=io.StringIO())
    results = backends.search("借贷")
    assert results.backend == "engine" and not results.fallback and results.total >= 3


def test_reindex_swaps_the_alias_with_no_empty_window(engine_demo):
    es, alias = engine.client(), engine.alias_name()
    first = set(es.indices.get_alias(name=alias).body)
    findable = engine.findable_ids()
    seen_while_building = []

    def check(count):
        # While the new index fills, searches still read the old, complete one.
        seen_while_building.append(backends.search("").total)

    engine.reindex(batch_size=5, on_progress=check)
    second = set(es.indices.get_alias(name=alias).body)
    assert seen_while_building and set(seen_while_building) == {len(findable)}
    assert len(second) == 1 and second != first
    assert set(es.indices.get(index=f"{alias}_*").body) == second  # the old index is gone
    assert engine.indexed_ids() == findable


def test_interrupted_reindex_leaves_the_old_complete_index(engine_demo, own_engine, settings):
    server, _ = own_engine
    engine_demo(server.url)
    settings.SEARCH_ENGINE = {**settings.SEARCH_ENGINE, "BULK_TIMEOUT": 1.0}
    call_command("search_reindex", stdout=io.StringIO())
    es, alias = engine.client(), engine.alias_name()
    complete = set(es.indices.get_alias(name=alias).body)

    def pause_engine(count):
        os.kill(server.process.pid, signal.SIGSTOP)

    with pytest.raises(engine.ENGINE_ERRORS):
        engine.reindex(batch_size=5, on_progress=pause_engine)
    os.kill(server.process.pid, signal.SIGCONT)

    assert set(es.indices.get_alias(name=alias).body) == complete
    assert engine.indexed_ids() == engine.findable_ids()
    assert DIVORCE in titles(backends.search("离婚"))
    # The half-built index is cleared by the next reindex.
    assert len(es.indices.get(index=f"{alias}_*").body) == 2
    call_command("search_reindex", stdout=io.StringIO())
    assert len(es.indices.get(index=f"{alias}_*").body) == 1


def test_pending_updates_are_never_served_stale(
    engine_demo, engine_server, django_capture_on_commit_callbacks
):
    divorce = TypicalCasePage.objects.get(title=DIVORCE)
    engine_demo("http://127.0.0.1:9")  # unreachable from this server for a moment
    with django_capture_on_commit_callbacks(execute=True):
        divorce.unpublish()
    engine_demo(engine_server.url)
    assert set(SearchOutbox.objects.values_list("page_id", flat=True)) == {divorce.pk}
    assert divorce.pk in engine.indexed_ids()  # the engine still holds the old state ...

    engine._state["down_until"] = 0.0
    found = backends.search("离婚")
    assert found.backend == "engine"
    assert DIVORCE not in titles(found)  # ... but pages with a pending update are left out
    assert found.total == backends.search("离婚", per_page=50).total

    # The next update delivers the backlog too.
    support = TypicalCasePage.objects.get(title=SUPPORT)
    with django_capture_on_commit_callbacks(execute=True):
        support.save_revision().publish()
    assert not SearchOutbox.objects.exists()
    assert divorce.pk not in engine.indexed_ids()


def test_engine_killed_and_restarted(
    engine_demo, own_engine, client, caplog, settings, django_capture_on_commit_callbacks
):
    server, restart = own_engine
    engine_demo(server.url)
    call_command("search_reindex", stdout=io.StringIO())
    assert "备用检索" not in page_html(client, "离婚")

    server.process.kill()
    server.process.wait()
    with caplog.at_level(logging.WARNING, logger="search"):
        html = page_html(client, "离婚")
        assert "备用检索" in html and "<mark>离婚</mark>" in html
        engine._state["down_until"] = 0.0  # past the rest period: the engine is tried again
        assert "备用检索" in page_html(client, "借贷")

        divorce = TypicalCasePage.objects.get(title=DIVORCE)
        support = TypicalCasePage.objects.get(title=SUPPORT)
        support.title = "周某某诉吴某赡养纠纷案（鹦鹉螺）"
        with django_capture_on_commit_callbacks(execute=True):
            divorce.unpublish()
            support.save_revision().publish()
    outage_lines = [r for r in caplog.records if "搜索引擎不可用" in r.getMessage()]
    assert len(outage_lines) == 1  # once per outage, not per request or update
    assert set(SearchOutbox.objects.values_list("page_id", flat=True)) == {divorce.pk, support.pk}
    fallback = page_html(client, "离婚 鹦鹉螺")
    assert DIVORCE not in fallback

    restart()  # same address, empty: the in-memory engine lost its index
    out = io.StringIO()
    with caplog.at_level(logging.WARNING, logger="search"):
        call_command("search_sync", stdout=out)
    assert "重建" in out.getvalue()
    assert not SearchOutbox.objects.exists()
    assert engine.indexed_ids() == engine.findable_ids()
    assert any("已恢复" in r.getMessage() for r in caplog.records)

    found = backends.search("鹦鹉螺")
    assert found.backend == "engine" and titles(found) == ["周某某诉吴某赡养纠纷案（鹦鹉螺）"]
    assert DIVORCE not in titles(backends.search("离婚"))
    assert "备用检索" not in page_html(client, "鹦鹉螺")


def test_search_sync_reports_a_down_engine(engine_demo, own_engine, django_capture_on_commit_callbacks):
    server, _ = own_engine
    engine_demo(server.url)
    server.process.kill()
    server.process.wait()
    divorce = TypicalCasePage.objects.get(title=DIVORCE)
    with django_capture_on_commit_callbacks(execute=True):
        divorce.unpublish()
    with pytest.raises(CommandError, match="待同步 1 个页面"):
        call_command("search_sync", stdout=io.StringIO())
    assert SearchOutbox.objects.filter(page_id=divorce.pk, attempts__gte=1).exists()


def test_a_hung_engine_times_out_into_the_fallback(engine_demo, own_engine, settings):
    server, _ = own_engine
    engine_demo(server.url)
    call_command("search_reindex", stdout=io.StringIO())
    settings.SEARCH_ENGINE = {**settings.SEARCH_ENGINE, "TIMEOUT": 0.5}
    os.kill(server.process.pid, signal.SIGSTOP)
    try:
        first = backends.search("借贷")
        assert first.fallback and first.total >= 3
        assert engine.is_resting()  # the next visitors do not wait for the timeout again
        assert backends.search("履行").fallback
    finally:
        os.kill(server.process.pid, signal.SIGCONT)


def test_commands_without_an_engine(indexed_demo, settings):
    settings.SEARCH_ENGINE = {**settings.SEARCH_ENGINE, "URL": ""}
    with pytest.raises(CommandError, match="未配置搜索引擎"):
        call_command("search_reindex", stdout=io.StringIO())
    out = io.StringIO()
    call_command("search_sync", stdout=out)
    assert "无需同步" in out.getvalue()
    results = backends.search("借贷")
    assert results.backend == "embedded" and not results.fallback


def test_unknown_analyzer_is_refused(use_engine, settings):
    settings.SEARCH_ENGINE = {**settings.SEARCH_ENGINE, "ANALYZER": "standard"}
    with pytest.raises(ValueError, match="ANALYZER"):
        engine.analyzer()
    assert sync.pending_ids() == set()


def test_a_large_backlog_is_answered_from_the_database(use_engine):
    """After a long outage the engine's index is too stale to trust until search_sync ran."""
    from django.utils import timezone

    SearchOutbox.objects.bulk_create(
        SearchOutbox(page_id=900_000 + n, queued_at=timezone.now()) for n in range(backends.MAX_PENDING + 1)
    )
    results = backends.search("借贷")
    assert results.backend == "embedded" and results.fallback
