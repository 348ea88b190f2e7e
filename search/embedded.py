"""The embedded search backend: full text in the project's own database.

SQLite: FTS5 (migration 0002) over jieba-segmented text; PostgreSQL: a ``tsvector``
column ('simple' config) over the same text. Facet counts come from one GROUP BY over the
matching rows, combined in Python so that each facet applies every *other* active filter.
Snippets are cut and highlighted in Python on the original text, never on segmented text.
"""

import math
import re
import unicodedata
from dataclasses import dataclass, field
from html import escape

from django.db import connection
from django.utils.safestring import mark_safe

from search import segment
from search.models import SearchEntry

MAX_QUERY_LENGTH = 100
SNIPPET_LENGTH = 110
FACETS = ("type", "cause", "method", "court", "year")
COLUMNS = {"type": "kind", "cause": "cause_id", "method": "method_id", "court": "court_id", "year": "year"}
TITLE_WEIGHT, KEYWORDS_WEIGHT, BODY_WEIGHT = 10.0, 4.0, 1.0


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
    """(FROM … WHERE sql, params, rank expression) for the matching entries."""
    table = SearchEntry._meta.db_table
    if not terms:
        return f"FROM {table} e WHERE 1=1", [], None
    if connection.vendor == "sqlite":
        return (
            f"FROM search_fts JOIN {table} e ON e.page_id = search_fts.rowid WHERE search_fts MATCH %s",
            [_fts5_match(terms)],
            f"bm25(search_fts, {TITLE_WEIGHT}, {KEYWORDS_WEIGHT}, {BODY_WEIGHT})",
        )
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
    from portal.models import CauseOfAction, Court
    from publicity.models import PerformanceMethod

    return {
        "type": dict(SearchEntry.KINDS),
        "cause": dict(CauseOfAction.objects.values_list("pk", "name")),
        "method": dict(PerformanceMethod.objects.values_list("pk", "name")),
        "court": dict(Court.objects.values_list("pk", "name")),
    }


def _page_number(page):
    text = str(page).strip() if page is not None else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 1


def search(query="", filters=None, page=1, per_page=10, request=None):
    """One page of results for the query (plain user text) and filters (see parse_filters)."""
    query, truncated = clean_query(query)
    filters = parse_filters(filters or {})
    terms = segment.query_terms(query)
    if query and not terms:  # only punctuation or symbols: nothing can match
        return Results(
            query, truncated, filters, [], 0, 1, per_page, 1, {name: {} for name in FACETS}, _labels()
        )
    source, params, rank = _source(terms)

    total, facets = _counts(source, params, filters)
    num_pages = max(1, math.ceil(total / per_page))
    number = min(max(1, _page_number(page)), num_pages)
    labels = _labels()
    hits = []
    if total:
        ids = _ranked_ids(terms, filters, source, params, rank, per_page, (number - 1) * per_page)
        hits = _hits(ids, highlight_terms(query) if query else [], labels, request)
    return Results(query, truncated, filters, hits, total, number, per_page, num_pages, facets, labels)


def _counts(source, params, filters):
    """(total, {facet: {value: count}}) in one statement: the matching facts are materialised
    once, then grouped per facet under every *other* active filter."""
    selects, all_params = [], list(params)
    columns = ", ".join(f"e.{COLUMNS[name]}" for name in FACETS)
    for name in (*FACETS, None):
        conditions = [f"{COLUMNS[other]} = %s" for other in filters if other != name]
        all_params.extend(value for other, value in filters.items() if other != name)
        where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
        if name is None:
            selects.append(f"SELECT 'total', NULL, COUNT(*) FROM m{where}")
        else:
            column = COLUMNS[name]
            # As text: one column of the UNION holds every facet's values (PostgreSQL is strict).
            selects.append(
                f"SELECT '{name}', CAST({column} AS TEXT), COUNT(*) FROM m{where} GROUP BY {column}"
            )
    sql = f"WITH m AS MATERIALIZED (SELECT {columns} {source}) " + " UNION ALL ".join(selects)
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        rows = cursor.fetchall()
    facets = {name: {} for name in FACETS}
    total = 0
    for name, value, count in rows:
        if name == "total":
            total = count
        elif value is not None:
            facets[name][value if name == "type" else int(value)] = count
    return total, facets


def _ranked_ids(terms, filters, source, params, rank, limit, offset):
    """The page ids of one page of results, best first."""
    if terms and not filters and connection.vendor == "sqlite":
        # Rank inside FTS5 alone: no join for the rows that do not make the page.
        sql = f"SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY {rank} LIMIT %s OFFSET %s"
        sql_params = [*params, limit, offset]
    else:
        where, where_params = _where(filters)
        order = f"{rank}, e.date DESC, e.page_id DESC" if rank else "e.date DESC, e.page_id DESC"
        sql = f"SELECT e.page_id {source}{where} ORDER BY {order} LIMIT %s OFFSET %s"
        sql_params = [*params, *where_params, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        return [row[0] for row in cursor.fetchall()]


def _hits(ids, words, labels, request):
    from wagtail.models import Page

    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT page_id, kind, title, body, date, cause_id, method_id, court_id "
            f"FROM {SearchEntry._meta.db_table} WHERE page_id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        by_id = {row[0]: row for row in cursor.fetchall()}
    rows = [by_id[page_id] for page_id in ids if page_id in by_id]
    pattern = _pattern(words)
    # The index follows publication after each commit; a page unpublished since is never shown.
    pages = {page.pk: page for page in Page.objects.live().public().filter(pk__in=ids)}
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
