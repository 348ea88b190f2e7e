"""The embedded search backend: full text in the project's own database.

SQLite: FTS5 (migrations 0002, 0004) over jieba-segmented text, whose rowid also carries
each entry's date and facts, so that counts and the newest-first order need no join;
PostgreSQL: a ``tsvector`` column ('simple' config) over the same text. Facet counts come
from one pass over the matches, counted per combination of facts and combined in Python so
that each facet applies every *other* active filter. Relevance (bm25 / ts_rank) orders match
sets up to RANK_LIMIT; larger ones come newest first. Snippets are cut and highlighted in
Python on the original text, never on segmented text.
"""

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from itertools import repeat

from django.db import connection
from django.utils.safestring import mark_safe

from portal import caching
from search import segment
from search.models import SearchEntry

MAX_QUERY_LENGTH = 100
SNIPPET_LENGTH = 110
FACETS = ("type", "cause", "method", "court", "year")
COLUMNS = {"type": "kind", "cause": "cause_id", "method": "method_id", "court": "court_id", "year": "year"}
TITLE_WEIGHT, KEYWORDS_WEIGHT, BODY_WEIGHT = 10.0, 4.0, 1.0
# Matches ranked by relevance up to this many; more come newest first (see search()).
RANK_LIMIT = 5000


def parse_filters(params):
    """The active filters from a mapping (a QueryDict or a dict); malformed values are ignored."""
    active = {}
    for name in FACETS:
        value = params.get(name)
        value = str(value).strip() if value is not None else ""
        if name == "type":
            if value in (SearchEntry.CASE, SearchEntry.NEWS):
                active[name] = value
        elif value.isascii() and value.isdigit() and len(value) <= 9:
            active[name] = int(value)
    return active


def clean_query(query):
    """(query text, truncated?): stripped and cut to MAX_QUERY_LENGTH characters."""
    query = re.sub(r"\s+", " ", str(query or "")).strip()
    if len(query) > MAX_QUERY_LENGTH:
        return query[:MAX_QUERY_LENGTH].strip(), True
    return query, False


@dataclass
class Hit:
    page_id: int
    kind: str
    title: str
    title_html: str
    snippet_html: str
    date: object
    facts: dict
    url: str = ""
    page: object = None


@dataclass
class Results:
    query: str
    truncated: bool
    filters: dict
    hits: list
    total: int
    page: int
    per_page: int
    num_pages: int
    facets: dict = field(default_factory=dict)  # name -> {value: count}
    labels: dict = field(default_factory=dict)  # name -> {value: Chinese name}, read once

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages


# --- matching ---------------------------------------------------------------------------


def _fts5_quote(word):
    return '"' + word.replace('"', '""') + '"'


def _is_prefix_word(word):
    """A single Chinese character: jieba may have joined it to the next one in a document
    (茄子河 in the query, 茄子 河区 in 茄子河区法院), so it matches as a prefix."""
    return len(word) == 1 and unicodedata.category(word) == "Lo"


def _fts5_match(terms):
    """An FTS5 MATCH expression in which every user token is a quoted string."""
    clauses = []
    for word, parts in terms:
        clause = _fts5_quote(word) + ("*" if _is_prefix_word(word) else "")
        if parts:
            clause = f"({clause} OR ({' AND '.join(_fts5_quote(part) for part in parts)}))"
        clauses.append(clause)
    return " AND ".join(clauses)


def _pg_tsquery(terms):
    """SQL and parameters for a tsquery; each token goes through plainto_tsquery as a parameter."""
    clauses, params = [], []
    for word, parts in terms:
        if _is_prefix_word(word):  # a letter, never an operator or a quote
            clause = "to_tsquery('simple'::regconfig, %s)"
            params.append(f"'{word}':*")
        else:
            clause = "plainto_tsquery('simple'::regconfig, %s)"
            params.append(word)
        if parts:
            subs = " && ".join("plainto_tsquery('simple'::regconfig, %s)" for _ in parts)
            clause = f"({clause} || ({subs}))"
            params.extend(parts)
        clauses.append(clause)
    return "(" + " && ".join(clauses) + ")", params


def _source(terms):
    """PostgreSQL: (FROM … WHERE sql, params, rank expression) for the matching entries."""
    table = SearchEntry._meta.db_table
    if not terms:
        return f"FROM {table} e WHERE 1=1", [], None
    if connection.vendor == "postgresql":
        tsquery, params = _pg_tsquery(terms)
        return (
            f"FROM {table} e, (SELECT {tsquery} AS q) AS query WHERE e.vector @@ query.q",
            params,
            "-ts_rank(e.vector, query.q)",
        )
    raise NotImplementedError(f"embedded search does not support {connection.vendor}")


def _where(filters):
    sql, params = "", []
    for name, value in filters.items():
        sql += f" AND e.{COLUMNS[name]} = %s"
        params.append(value)
    return sql, params


# --- highlighting ------------------------------------------------------------------------


def highlight_terms(query):
    """The normalised words to mark in results: every query word and the words inside it."""
    words = set()
    for word, parts in segment.query_terms(query):
        words.add(word)
        words.update(parts)
    words.update(token for token in segment.tokens(query) if len(token) > 1)
    return sorted(words, key=len, reverse=True)


def _pattern(words):
    return re.compile("|".join(re.escape(word) for word in words)) if words else None


def _marked(text, pattern, start=0, end=None, normalized=None):
    """HTML of text[start:end], escaped, with the matches (found on the normalised text) in <mark>."""
    end = len(text) if end is None else end
    if pattern is None:
        return escape(text[start:end])
    normalized = segment.normalize(text) if normalized is None else normalized
    out, position = [], start
    for match in pattern.finditer(normalized, start, end):
        if match.end() > end:
            break
        out.append(escape(text[position : match.start()]))
        out.append("<mark>" + escape(text[match.start() : match.end()]) + "</mark>")
        position = match.end()
    out.append(escape(text[position:end]))
    return "".join(out)


def snippet(text, pattern, length=SNIPPET_LENGTH):
    """A window of the text around the densest cluster of matches, as safe HTML."""
    text = re.sub(r"\s+", " ", text).strip()
    start, normalized = 0, None
    if pattern is not None:
        normalized = segment.normalize(text)
        matches = [(m.start(), m.group()) for m in pattern.finditer(normalized)][:300]
        best = -1
        for index, (position, _) in enumerate(matches):
            window = {word for pos, word in matches[index:] if pos < position + length - 10}
            if len(window) > best:
                best, start = len(window), max(0, position - 15)
    end = min(len(text), start + length)
    if end == len(text):
        start = max(0, end - length)
    html = _marked(text, pattern, start, end, normalized)
    return mark_safe(("…" if start > 0 else "") + html + ("…" if end < len(text) else ""))


# --- search ------------------------------------------------------------------------------


def _labels():
    """{facet: {value: Chinese name}} for the results page (kept in the data cache)."""
    return caching.remembered("search-labels", _read_labels)


def _read_labels():
    """The labels, read in one statement."""
    from portal.models import CauseOfAction, Court
    from publicity.models import PerformanceMethod

    labels = {"type": dict(SearchEntry.KINDS), "cause": {}, "method": {}, "court": {}}
    tables = (("cause", CauseOfAction), ("method", PerformanceMethod), ("court", Court))
    sql = " UNION ALL ".join(
        f"SELECT '{name}', {model._meta.pk.column}, {model._meta.get_field('name').column} "
        f"FROM {model._meta.db_table}"
        for name, model in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for name, pk, text in cursor.fetchall():
            labels[name][pk] = text
    return labels


def _page_number(page):
    text = str(page).strip() if page is not None else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 1


def search(query="", filters=None, page=1, per_page=10, request=None):
    """One page of results for the query (plain user text) and filters (see parse_filters)."""
    query, truncated = clean_query(query)
    filters = parse_filters(filters or {})
    terms = segment.query_terms(query)
    labels = _labels()
    if query and not terms:  # only punctuation or symbols: nothing can match
        return Results(
            query, truncated, filters, [], 0, 1, per_page, 1, {name: {} for name in FACETS}, labels
        )

    if connection.vendor == "sqlite":
        match = _fts5_match(terms) if terms else None
        total, facets, allowed, matched = _fts5_counts(match, filters)
    else:
        source, params, rank = _source(terms)
        total, facets = _counts(source, params, filters)
        matched = total
    num_pages = max(1, math.ceil(total / per_page))
    number = min(max(1, _page_number(page)), num_pages)
    hits = []
    if total:
        # Relevance ranking reads every match's positions (filtered or not): over a huge
        # match set (a word in most documents) it costs more than the whole rest of the
        # search, and tells little apart. Such sets come newest first, as without a query.
        ranked = bool(terms) and matched <= RANK_LIMIT
        offset = (number - 1) * per_page
        if connection.vendor == "sqlite":
            ids = _fts5_ids(match, allowed, ranked, per_page, offset)
        else:
            ids = _ranked_ids(terms, filters, source, params, rank if ranked else None, per_page, offset)
        hits = _hits(ids, highlight_terms(query) if query else [], labels, request)
    return Results(query, truncated, filters, hits, total, number, per_page, num_pages, facets, labels)


# --- SQLite: facts in the FTS5 rowid (migration 0004) -------------------------------------

_FACTS_ID = "((rowid >> 32) & 65535)"
_PAGE_ID = "(rowid & 4294967295)"


def _fts5_where(match):
    return (
        ("FROM search_fts WHERE search_fts MATCH %s", [match]) if match else ("FROM search_fts WHERE 1=1", [])
    )


def _fts5_counts(match, filters):
    """(total, {facet: {value: count}}, facts ids that pass the filters or None, matches
    before the filters): one pass over the matches' rowids, counted per combination of
    facts; each facet sums the combinations that satisfy every *other* active filter."""
    source, params = _fts5_where(match)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT group_concat({_FACTS_ID}) {source}", params)
        found = cursor.fetchone()[0]
        if not found:
            return 0, {name: {} for name in FACETS}, (set() if filters else None), 0
        counted = {int(facts_id): count for facts_id, count in Counter(found.split(",")).items()}
        facts, groups = _facts(cursor, counted)
    if not filters:
        matched = sum(counted.values())
        return matched, _tally(counted, groups), None, matched
    # The combinations that pass each active filter, then each facet over those that pass
    # all the *other* filters.
    passing = {
        name: {facts_id for facts_id in counted if facts[facts_id][FACETS.index(name)] == value}
        for name, value in filters.items()
    }
    allowed = set(counted).intersection(*passing.values())
    facets = {}
    for name in FACETS:
        others = [ids for other, ids in passing.items() if other != name]
        subset = counted
        if others:
            subset = {facts_id: counted[facts_id] for facts_id in set(counted).intersection(*others)}
        facets[name] = _tally(subset, {name: groups[name]})[name]
    return sum(counted[facts_id] for facts_id in allowed), facets, allowed, sum(counted.values())


# (facts, groups) as last read outside a transaction; replaced whole, so threads share it.
_cache = None


def _facts(cursor, needed):
    """({facts id: (kind, cause, method, court, year)}, _groups() of it) for at least the
    needed ids.

    Rows of search_facts are never deleted or changed, so an id read from committed data
    keeps its meaning: outside a transaction the table is read once per process and again
    only when an id is new. Inside one (where a rollback could give an id another meaning,
    as between tests) it is read every time."""
    global _cache
    cached = not connection.in_atomic_block
    current = _cache
    if cached and current is not None and all(facts_id in current[0] for facts_id in needed):
        return current
    cursor.execute(
        "SELECT id, kind, nullif(cause_id, 0), nullif(method_id, 0), nullif(court_id, 0), year FROM search_facts"
    )
    facts = {row[0]: row[1:] for row in cursor.fetchall()}
    current = (facts, _groups(facts))
    if cached:
        _cache = current
    return current


def _groups(facts):
    """{facet: {value: [facts ids]}} (values that are None, a news item's cause, left out)."""
    groups = {name: {} for name in FACETS}
    for facts_id, values in facts.items():
        for name, value in zip(FACETS, values, strict=True):
            if value is not None:
                groups[name].setdefault(value, []).append(facts_id)
    return groups


def _tally(counted, groups):
    """{facet: {value: matches}} from the matches per facts id; the sums run in C."""
    facets = {}
    for name, values in groups.items():
        get = counted.get
        counts = {}
        for value, ids in values.items():
            count = sum(map(get, ids, repeat(0, len(ids))))
            if count:
                counts[value] = count
        facets[name] = counts
    return facets


def _fts5_ids(match, allowed, ranked, limit, offset):
    """The page ids of one page of results: by relevance (bm25, newest first among equals)
    or newest first, which FTS5 serves in rowid order without sorting."""
    source, params = _fts5_where(match)
    if allowed is not None:
        source += f" AND {_FACTS_ID} IN ({', '.join(str(int(facts_id)) for facts_id in sorted(allowed))})"
    rank = f"bm25(search_fts, {TITLE_WEIGHT}, {KEYWORDS_WEIGHT}, {BODY_WEIGHT}), " if ranked else ""
    sql = f"SELECT {_PAGE_ID} {source} ORDER BY {rank}rowid DESC LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [row[0] for row in cursor.fetchall()]


# --- PostgreSQL ---------------------------------------------------------------------------


def _counts(source, params, filters):
    """(total, {facet: {value: count}}) from one pass over the matching entries: they are
    counted per distinct combination of facts, and each facet sums the combinations that
    satisfy every *other* active filter."""
    columns = ", ".join(f"e.{COLUMNS[name]}" for name in FACETS)
    sql = f"SELECT {columns}, COUNT(*) {source} GROUP BY {columns}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    facets = {name: {} for name in FACETS}
    total = 0
    active = [(index, name, filters[name]) for index, name in enumerate(FACETS) if name in filters]
    for row in rows:
        count = row[-1]
        missed = [name for index, name, value in active if row[index] != value]
        if not missed:
            total += count
        elif len(missed) > 1:
            continue
        for index, name in enumerate(FACETS):
            value = row[index]
            if value is not None and (not missed or missed[0] == name):
                counts = facets[name]
                counts[value] = counts.get(value, 0) + count
    return total, facets


def _ranked_ids(terms, filters, source, params, rank, limit, offset):
    """PostgreSQL: the page ids of one page of results, best first (newest without a rank)."""
    where, where_params = _where(filters)
    order = f"{rank}, e.date DESC, e.page_id DESC" if rank else "e.date DESC, e.page_id DESC"
    sql = f"SELECT e.page_id {source}{where} ORDER BY {order} LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *where_params, limit, offset])
        return [row[0] for row in cursor.fetchall()]


def _hits(ids, words, labels, request):
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT page_id, kind, title, body, date, cause_id, method_id, court_id "
            f"FROM {SearchEntry._meta.db_table} WHERE page_id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        by_id = {row[0]: row for row in cursor.fetchall()}
    return hits_from_rows([by_id[page_id] for page_id in ids if page_id in by_id], words, labels, request)


def hits_from_rows(rows, words, labels, request):
    """Hits, in the rows' order, from (page_id, kind, title, body, date, cause_id, method_id,
    court_id) rows, highlighted on the original text. Both backends build their hits here,
    so a visitor cannot tell which one answered."""
    from wagtail.models import Page

    pattern = _pattern(words)
    # The index follows publication after each commit; a page unpublished since is never shown.
    live = caching.public_pages(Page.objects.live())
    # Only what the link needs (Page.get_url: the path under the site root).
    found = live.filter(pk__in=[row[0] for row in rows]).only("url_path", "path", "depth", "locale_id")
    pages = {page.pk: page for page in found}
    hits = []
    for page_id, kind, title, body, date, cause_id, method_id, court_id in rows:
        page = pages.get(page_id)
        if page is None:
            continue
        facts = {
            "type": labels["type"].get(kind),
            "court": labels["court"].get(court_id),
            "cause": labels["cause"].get(cause_id),
            "method": labels["method"].get(method_id),
        }
        hits.append(
            Hit(
                page_id=page_id,
                kind=kind,
                title=title,
                title_html=mark_safe(_marked(title, pattern)),
                snippet_html=snippet(body, pattern),
                date=date,
                facts={name: value for name, value in facts.items() if value},
                url=page.get_url(request) or "",
                page=page,
            )
        )
    return hits
