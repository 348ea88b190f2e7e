"""The engine backend against a real engine process (osmem-server, OpenSearch-compatible, on
loopback): `manage.py search_reindex` over 100,000 published cases through bulk requests
(goal < 5 minutes), and the same queries the embedded benchmark runs.

The cases are the embedded benchmark's synthetic page rows, completed here with their
TypicalCasePage rows (case facts and a body) so that the reindex reads them the way it reads
real pages: through the page models, entry by entry.
"""

import itertools
import json
import uuid

from bench.harness import benchmark
from bench.search_embedded import CASES, COMMON_WORD, QUERIES, synthetic_cases

_state = {}


def _engine():
    """Start the engine once and point the search at it (for the rest of the run)."""
    if "server" in _state:
        return _state["server"]
    import atexit

    from django.conf import settings
    from django.test import override_settings
    from osmem_server import OsmemServer

    server = OsmemServer.start(japanese=False)
    atexit.register(server.close)
    override_settings(
        SEARCH_ENGINE={
            **settings.SEARCH_ENGINE,
            "URL": server.url,
            "INDEX_PREFIX": "bench_",
            "TIMEOUT": 10.0,
            "SHARDS": 2,
        }
    ).enable()
    _state["server"] = server
    return server


def _case_rows():
    """TypicalCasePage rows for the synthetic pages (bulk SQL: Django cannot bulk-create
    multi-table children of existing parents)."""
    if _state.get("rows"):
        return
    from django.db import connection, transaction

    from publicity.models import TypicalCasePage

    values = synthetic_cases()
    table = TypicalCasePage._meta.db_table
    columns = (
        "page_ptr_id, case_number, show_case_number, court_id, cause_id, method_id, "
        "judgment_date, performance_date, amount, keywords, body"
    )
    rows = []
    for n, value in enumerate(values):
        body = [
            {
                "type": "section",
                "value": {"heading": "基本案情", "text": f"<p>{value['body']}</p>"},
                "id": str(uuid.uuid4()),
            }
        ]
        rows.append(
            (
                value["page_id"],
                f"（{value['year']}）黑0902民初{n}号",
                False,
                value["court_id"],
                value["cause_id"],
                value["method_id"],
                value["date"],
                value["date"],
                None,
                value["keywords"],
                json.dumps(body, ensure_ascii=False),
            )
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 11)})", rows)
    _state["rows"] = True


@benchmark(f"engine (osmem): search_reindex {CASES:,} cases, bulk + alias swap", repeat=1, per_run=CASES)
def engine_reindex():
    from search import engine

    _engine()
    _case_rows()

    def run():
        count = engine.reindex()
        assert count >= CASES, count
        _state["indexed"] = True

    return run


def _timed_search(queries, **options):
    from search import backends, engine

    _engine()
    _case_rows()
    if not _state.get("indexed"):
        engine.reindex()
        _state["indexed"] = True
    cycle = itertools.cycle(queries)
    first = backends.search(queries[0], **options)
    assert first.backend == "engine" and first.hits and "<mark>" in first.hits[0].snippet_html, queries[0]

    def run():
        results = backends.search(next(cycle), **options)
        assert results.backend == "engine"

    return run


@benchmark("engine (osmem): 1-3 words, top 10 + highlight + facets", repeat=50)
def engine_words_query():
    return _timed_search(QUERIES)


@benchmark(f"engine (osmem): '{COMMON_WORD}' (in > half the cases)", repeat=20)
def engine_common_word():
    return _timed_search([COMMON_WORD])
