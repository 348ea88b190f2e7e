"""The engine backend: the same case search on Elasticsearch 8 or an OpenSearch-compatible
server, used when ``SEARCH_ENGINE["URL"]`` (environment ELASTICSEARCH_URL) is set.

Documents and queries are written with ``elasticsearch.dsl``. The analysed fields hold the
text after ``segment.normalize`` (width, case, traditional characters folded the same way
as the embedded backend folds them); the original title and body travel in ``_source`` only,
and hits are highlighted in Python by the embedded backend's own functions, so a visitor
cannot tell which backend answered except by speed.

Indices are named ``<prefix>cases_<timestamp>`` behind the alias ``<prefix>cases``;
``reindex()`` fills a new index and swaps the alias in one request, so searches never see
an empty or half-built index.
"""

import concurrent.futures
import logging
import math
import re
import time

from django.conf import settings
from django.utils import timezone
from elastic_transport import TransportError, Urllib3HttpNode
from elasticsearch import ApiError, Elasticsearch, helpers
from elasticsearch.dsl import A, Date, Document, Integer, Keyword, Long, Q, Search, Text

from search import embedded, segment

logger = logging.getLogger(__name__)

ANALYZERS = ("cjk", "smartcn", "ik_max_word")
FIELDS = {"type": "kind", "cause": "cause", "method": "method", "court": "court", "year": "year"}
BOOSTS = (f"title_n^{embedded.TITLE_WEIGHT:g}", f"keywords_n^{embedded.KEYWORDS_WEIGHT:g}", "body_n")
# Elasticsearch's default index.max_result_window: deeper pages are not served.
MAX_WINDOW = 10_000


class EngineUnavailable(Exception):
    """The engine could not answer (down, timed out, index missing, refused the request)."""


ENGINE_ERRORS = (TransportError, ApiError, EngineUnavailable)


# --- client ------------------------------------------------------------------------------

_COMPAT_MIMETYPE = re.compile(r"application/vnd\.elasticsearch\+([\w.-]+);\s*compatible-with=\d+")


class PlainJSONNode(Urllib3HttpNode):
    """A transport node that speaks plain ``application/json``.

    The elasticsearch 8 client always sends Elasticsearch's compatibility media type
    (``application/vnd.elasticsearch+json; compatible-with=8``), which OpenSearch 2/3 and
    other OpenSearch-compatible servers refuse with 406, and it refuses any answer without
    Elasticsearch's product header. Elasticsearch 8 itself accepts plain JSON, so this node
    works against both; it is chosen by ``SEARCH_ENGINE["PLAIN_JSON"]`` (the default).
    """

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = _COMPAT_MIMETYPE.sub(r"application/\1", headers[name])
        response = super().perform_request(method, target, body=body, headers=headers, **kwargs)
        if "x-elastic-product" not in response.meta.headers:
            response.meta.headers["x-elastic-product"] = "Elasticsearch"
        return response


def config():
    return {"INDEX_PREFIX": "qthcourt_", "ANALYZER": "cjk", "PLAIN_JSON": True, "TIMEOUT": 2.0} | dict(
        getattr(settings, "SEARCH_ENGINE", {}) or {}
    )


def enabled():
    return bool(config().get("URL"))


_clients = {}


def client():
    """One client per engine configuration (the connection pool is thread-safe)."""
    conf = config()
    if not conf.get("URL"):
        raise EngineUnavailable("no engine configured")
    key = (conf["URL"], bool(conf["PLAIN_JSON"]), float(conf["TIMEOUT"]))
    if key not in _clients:
        options = {"request_timeout": float(conf["TIMEOUT"]), "max_retries": 0, "retry_on_timeout": False}
        if conf["PLAIN_JSON"]:
            options["node_class"] = PlainJSONNode
        _clients[key] = Elasticsearch(conf["URL"], **options)
    return _clients[key]


def alias_name():
    return f"{config()['INDEX_PREFIX']}cases"


def analyzer():
    name = config()["ANALYZER"]
    if name not in ANALYZERS:
        raise ValueError(f"SEARCH_ENGINE ANALYZER must be one of {', '.join(ANALYZERS)}, not {name!r}")
    return name


# --- documents ---------------------------------------------------------------------------


class CaseDocument(Document):
    """One published case or news article. ``*_n`` fields are analysed; ``title`` and
    ``body`` keep the original text for highlighting and are not indexed."""

    page_id = Long()
    kind = Keyword()
    title = Text(index=False)
    body = Text(index=False)
    title_n = Text()
    keywords_n = Text()
    body_n = Text()
    date = Date()
    year = Integer()
    cause = Long()
    method = Long()
    court = Long()

    @classmethod
    def from_values(cls, values):
        """A document from indexing.entry_values(page)."""
        return cls(
            meta={"id": values["page_id"]},
            page_id=values["page_id"],
            kind=values["kind"],
            title=values["title"],
            body=values["body"],
            title_n=segment.normalize(values["title"]),
            keywords_n=segment.normalize(values["keywords"]),
            body_n=segment.normalize(values["body"]),
            date=values["date"],
            year=values["year"],
            cause=values["cause_id"],
            method=values["method_id"],
            court=values["court_id"],
        )


def _index_body():
    mapping = CaseDocument._doc_type.mapping.to_dict()
    name = analyzer()
    for field in ("title_n", "keywords_n", "body_n"):
        mapping["properties"][field]["analyzer"] = name
    # The body is matched by its words, never as a phrase: no positions to write (the
    # largest field; ~15% faster indexing).
    mapping["properties"]["body_n"]["index_options"] = "freqs"
    return {
        "settings": {
            "number_of_shards": int(config().get("SHARDS", 1)),
            "number_of_replicas": int(config().get("REPLICAS", 0)),
            "max_result_window": MAX_WINDOW,
        },
        "mappings": mapping,
    }


def _action(values):
    document = CaseDocument.from_values(values)
    return document.to_dict(include_meta=True)


# --- updates -----------------------------------------------------------------------------


def _findable_values(page_ids):
    """{page_id: entry values} of the pages among page_ids that are live and public now."""
    from wagtail.models import Page

    from search import indexing

    values = {}
    for page in Page.objects.filter(pk__in=page_ids).specific():
        if indexing.is_findable(page):
            values[page.pk] = indexing.entry_values(page)
    return values


def apply(page_ids, index=None):
    """Bring the engine in line with the pages' state now: index what is findable, delete
    the rest. Raises one of ENGINE_ERRORS if the engine cannot take it."""
    page_ids = list(page_ids)
    if not page_ids:
        return
    index = index or alias_name()
    findable = _findable_values(page_ids)
    actions = []
    for page_id in page_ids:
        if page_id in findable:
            actions.append({**_action(findable[page_id]), "_index": index})
        else:
            actions.append({"_op_type": "delete", "_index": index, "_id": str(page_id)})
    _bulk(client(), actions, refresh="wait_for")


def _bulk(es, actions, raise_on_missing=False, **kwargs):
    """One bulk request; returns how many actions succeeded. A missing document on delete is
    fine (unless raise_on_missing), every other failure raises EngineUnavailable."""
    success, errors = helpers.bulk(
        es.options(request_timeout=_bulk_timeout()),
        actions,
        raise_on_error=False,
        raise_on_exception=True,
        max_retries=0,
        **kwargs,
    )
    failures = [item for item in errors if raise_on_missing or next(iter(item.values())).get("status") != 404]
    if failures:
        raise EngineUnavailable(f"{len(failures)} bulk item(s) failed")
    return success


def _bulk_timeout():
    return float(config().get("BULK_TIMEOUT", 60))


def ping():
    """True if the alias exists and answers."""
    try:
        return bool(client().indices.exists_alias(name=alias_name()))
    except ENGINE_ERRORS:
        return False


def indexed_ids(index=None):
    """Every page id in the index (search_after over page_id, ids only)."""
    es, index = client(), index or alias_name()
    ids, after = set(), None
    while True:
        search = Search(using=es, index=index).source(False).sort("page_id").extra(size=5000)
        if after is not None:
            search = search.extra(search_after=[after])
        hits = search.execute().hits
        if not hits:
            return ids
        ids.update(int(hit.meta.id) for hit in hits)
        after = hits[-1].meta.sort[0]


def reindex(batch_size=1000, on_progress=None):
    """Build a new index from the published pages and point the alias at it atomically.

    Leftovers of an interrupted reindex (indices without the alias) are deleted first;
    pages changed while the new index was filling are applied after the swap. Returns the
    number of pages indexed.
    """
    from search import indexing

    es, alias = client(), alias_name()
    started = timezone.now()
    current = set(es.indices.get_alias(name=alias).body) if es.indices.exists_alias(name=alias) else set()
    for name in es.indices.get(index=f"{alias}_*", allow_no_indices=True, ignore_unavailable=True).body:
        if name not in current:
            es.indices.delete(index=name)
    if not current and es.indices.exists(index=alias):  # a concrete index squatting the alias's name
        es.indices.delete(index=alias)

    new = f"{alias}_{started:%Y%m%d%H%M%S%f}"
    body = _index_body()
    body["settings"]["refresh_interval"] = "-1"
    es.indices.create(index=new, **body)

    def actions():
        for count, values in enumerate(indexing.published_values(batch_size), start=1):
            yield {**_action(values), "_index": new}
            if on_progress and count % batch_size == 0:
                on_progress(count)

    # Pages are read in this thread (the database connection is this thread's); several
    # bulk requests are in flight at once, so the engine analyses them on all its cores.
    threads = int(config().get("BULK_THREADS", 4))
    bulk_client = es.options(request_timeout=_bulk_timeout())
    total = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        in_flight = set()
        chunk = []
        for action in actions():
            chunk.append(action)
            if len(chunk) >= min(batch_size, 500):
                in_flight.add(pool.submit(_bulk, bulk_client, chunk, raise_on_missing=True))
                chunk = []
                if len(in_flight) >= threads * 2:
                    done, in_flight = concurrent.futures.wait(
                        in_flight, return_when=concurrent.futures.FIRST_COMPLETED
                    )
                    total += sum(future.result() for future in done)
        if chunk:
            in_flight.add(pool.submit(_bulk, bulk_client, chunk, raise_on_missing=True))
        total += sum(future.result() for future in concurrent.futures.as_completed(in_flight))
    es.indices.put_settings(index=new, settings={"refresh_interval": "1s"})
    es.indices.refresh(index=new)

    swap = [{"remove": {"index": name, "alias": alias}} for name in sorted(current)]
    swap.append({"add": {"index": new, "alias": alias}})
    es.indices.update_aliases(actions=swap)
    for name in current:
        es.indices.delete(index=name, ignore_unavailable=True)

    # Pages published, unpublished or deleted while the index was filling.
    from search import sync

    changed = sync.pending_ids() | _changed_since(started)
    indexed = indexed_ids(new)
    findable = findable_ids()
    changed |= (indexed - findable) | (findable - indexed)
    apply(changed)
    sync.forget(started)
    return total


def findable_ids():
    """Ids of every page that should be in the index now."""
    from search import indexing

    ids = set()
    for model in indexing.indexed_models():
        ids.update(model.objects.live().public().values_list("pk", flat=True))
    return ids


def _changed_since(moment):
    from django.db.models import Q as DjangoQ
    from wagtail.models import Page

    return set(
        Page.objects.filter(
            DjangoQ(last_published_at__gte=moment) | DjangoQ(latest_revision_created_at__gte=moment)
        ).values_list("pk", flat=True)
    )


# --- searching ---------------------------------------------------------------------------


def query_words(query):
    """The query's words for the engine: jieba's precise cut of each normalised chunk, with
    runs of single characters joined again (黑09民终312号 cuts into 民 / 终, which the
    engine's bigrams know only as 民终)."""
    words = []
    for chunk in segment.normalize(query).split():
        run = ""
        for word in segment.tokenizer().cut(chunk, HMM=False):
            if embedded._is_prefix_word(word):
                run += word
                continue
            if run:
                words.append(run)
                run = ""
            if word.strip():
                words.append(word.strip())
        if run:
            words.append(run)
    return list(dict.fromkeys(words))


def _match(words):
    """One clause per query word; each word must match (in some field). User text is only
    ever a match query's text, never query syntax."""
    clauses = []
    for word in words:
        if embedded._is_prefix_word(word):
            clauses.append(
                Q(
                    "bool",
                    should=[Q("prefix", **{field: word}) for field in ("title_n", "keywords_n", "body_n")],
                )
            )
        else:
            clauses.append(
                Q("multi_match", query=word, fields=list(BOOSTS), operator="and")
                | Q("multi_match", query=word, fields=list(BOOSTS[:2]), type="phrase", boost=2)
            )
    return clauses


def _filter(filters, skip=None):
    return [Q("term", **{FIELDS[name]: value}) for name, value in filters.items() if name != skip]


def _search(es, terms, filters, exclude_ids):
    search = Search(using=es, index=alias_name())
    query = Q("bool", must=_match(terms) or [Q("match_all")])
    if exclude_ids:
        query = query & ~Q("ids", values=[str(page_id) for page_id in exclude_ids])
    search = search.query(query)
    if filters:
        search = search.post_filter(Q("bool", filter=_filter(filters)))
    for name in embedded.FACETS:
        others = _filter(filters, skip=name)
        terms_agg = A("terms", field=FIELDS[name], size=500)
        search.aggs.bucket(name, "filter", Q("bool", filter=others) if others else Q("match_all")).bucket(
            "values", terms_agg
        )
    order = ["_score"] if terms else []
    return search.sort(*order, {"date": "desc"}, {"page_id": "desc"}).extra(track_total_hits=True)


def search(query="", filters=None, page=1, per_page=10, request=None, exclude_ids=()):
    """Results like embedded.search(); raises one of ENGINE_ERRORS if the engine cannot answer."""
    query, truncated = embedded.clean_query(query)
    filters = embedded.parse_filters(filters or {})
    terms = query_words(query)
    labels = embedded._labels()
    if query and not terms:
        return embedded.Results(
            query, truncated, filters, [], 0, 1, per_page, 1, {name: {} for name in embedded.FACETS}, labels
        )
    base = _search(client(), terms, filters, exclude_ids)
    wanted = max(1, embedded._page_number(page))
    max_page = max(1, MAX_WINDOW // per_page)
    number = min(wanted, max_page)
    response = base[(number - 1) * per_page : number * per_page].execute()
    total = response.hits.total.value
    num_pages = max(1, math.ceil(total / per_page))
    if number > num_pages:  # past the end: show the last page, as the embedded backend does
        number = min(num_pages, max_page)
        response = base[(number - 1) * per_page : number * per_page].execute()
    facets = {}
    for name in embedded.FACETS:
        buckets = getattr(response.aggregations, name).values.buckets
        facets[name] = {
            (bucket.key if name == "type" else int(bucket.key)): bucket.doc_count for bucket in buckets
        }
    sources = [hit.to_dict() for hit in response.hits]
    words = embedded.highlight_terms(query) if query else []
    hits = _hits(sources, words, labels, request)
    return embedded.Results(
        query, truncated, filters, hits, total, number, per_page, num_pages, facets, labels
    )


def _hits(sources, words, labels, request):
    rows = [
        (
            source["page_id"],
            source["kind"],
            source["title"],
            source["body"],
            _date(source["date"]),
            source.get("cause"),
            source.get("method"),
            source.get("court"),
        )
        for source in sources
    ]
    return embedded.hits_from_rows(rows, words, labels, request)


def _date(value):
    import datetime

    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


# --- outage bookkeeping --------------------------------------------------------------------

_OUTAGE_KEY = "search:engine-outage"
_RETRY_AFTER = 15.0
_state = {"down_until": 0.0}


def is_resting():
    """After a failure the engine is left alone for a few seconds (no 2 s wait per request)."""
    return time.monotonic() < _state["down_until"]


def record_failure(error, where):
    """Note an engine failure; logged once per outage (shared through the cache)."""
    from django.core.cache import cache

    _state["down_until"] = time.monotonic() + _RETRY_AFTER
    if cache.add(_OUTAGE_KEY, timezone.now().isoformat(), timeout=None):
        logger.warning(
            "搜索引擎不可用（%s：%s），改由站内数据库检索应答，更新进入待同步队列。",
            where,
            _describe(error),
        )


def record_success():
    from django.core.cache import cache

    _state["down_until"] = 0.0
    if cache.get(_OUTAGE_KEY) is not None:
        cache.delete(_OUTAGE_KEY)
        logger.warning("搜索引擎已恢复。")


def _describe(error):
    status = getattr(getattr(error, "meta", None), "status", None)
    return f"{type(error).__name__}{f' {status}' if status else ''}"
