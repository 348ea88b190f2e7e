"""Wagtail's database search backend, made to find Chinese words inside Chinese text.

The admin's searches (page search and chooser, snippet, image and document listings) use
WAGTAILSEARCH_BACKENDS "default". Wagtail's database backend indexes with SQLite FTS5's
unicode61 tokenizer or PostgreSQL's parser, both of which take a whole run of Chinese
characters as one word, so 借贷 is not found in 民间借贷纠纷. This backend segments both
sides with the project's jieba tokenizer (search.segment):

- index: the text written to the index (title, body, autocomplete) is
  `segment.segment(text)`, search-mode tokens separated by spaces, which both databases
  then split at the spaces, one token per word;
- query: PlainText and Phrase become `segment.query_terms(text)`, each query word matching
  as itself or as all of its search-mode subwords.

Everything else (index tables, ranking, filters, And/Or/Not, rebuilding) is Wagtail's.
The admin's page search and choosers use `autocomplete()`, which in Wagtail looks only at
AutocompleteFields (the title); here it also looks at the title and body SearchFields, so
that staff find a page by words in its body.

Text indexed before this backend was configured stays unsegmented until
`manage.py update_index` has run once.
"""

import functools
import types
import unicodedata

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Expression, F, Field
from modelsearch.backends.database import fallback
from modelsearch.index import RelatedFields
from modelsearch.query import Phrase, PlainText

from search import segment

# Words of one query that are matched; the rest of a pasted paragraph is ignored.
MAX_QUERY_WORDS = 32


# --- query terms --------------------------------------------------------------------------


def _is_prefix_word(word):
    """A single Chinese character: jieba may have joined it to the next one in a document
    (河 in the query, 河区 in 茄子河区法院), so it matches as a prefix of a token."""
    return len(word) == 1 and unicodedata.category(word) == "Lo"


def _terms(text):
    return segment.query_terms(text)[:MAX_QUERY_WORDS]


def _match(terms, *, quote, prefix, and_, or_, last_is_prefix=False, operator="and"):
    """A boolean expression over the terms, in the syntax the quote/prefix/and_/or_
    callables give: each word matches as itself or as all of its subwords; the words are
    joined by the operator. `last_is_prefix` (autocomplete) makes the last word a prefix."""
    joiner = and_ if operator.lower() == "and" else or_
    clauses = []
    for position, (word, parts) in enumerate(terms):
        last = last_is_prefix and position == len(terms) - 1
        clause = prefix(word) if last or _is_prefix_word(word) else quote(word)
        if parts:
            subwords = [quote(part) for part in parts[:-1]]
            subwords.append(prefix(parts[-1]) if last else quote(parts[-1]))
            clause = or_([clause, and_(subwords)])
        clauses.append(clause)
    return joiner(clauses)


def _query_syntax(*, empty, quote, prefix_mark, and_, or_):
    """A function (terms, **_match's options) -> query text in one database's syntax: `empty`
    for no terms; each word quoted by `quote`, a prefix followed by `prefix_mark`, clauses
    joined by the `and_` or `or_` operator inside parentheses."""

    def query(terms, **options):
        if not terms:
            return empty
        return _match(
            terms,
            quote=quote,
            prefix=lambda word: quote(word) + prefix_mark,
            and_=lambda clauses: "(" + f" {and_} ".join(clauses) + ")",
            or_=lambda clauses: "(" + f" {or_} ".join(clauses) + ")",
            **options,
        )

    return query


# SQLite FTS5: tokens never contain punctuation (segment turns it into spaces), the quote
# is doubled all the same. An empty string "" is a phrase of no tokens, which matches nothing.
def _fts5_quote(word):
    return '"' + word.replace('"', '""') + '"'


_fts5 = _query_syntax(empty='""', quote=_fts5_quote, prefix_mark="*", and_="AND", or_="OR")


# PostgreSQL to_tsquery: each token a quoted lexeme. An empty operand '' is a syntax error
# and an empty query would be dropped from a conjunction: no tokens is 'x' & !'x'.
def _tsquery_quote(word):
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


_tsquery = _query_syntax(empty="('x' & !'x')", quote=_tsquery_quote, prefix_mark=":*", and_="&", or_="|")


# --- index side ---------------------------------------------------------------------------


def _uses_name(code, name):
    """Whether the code, or code nested in it (a comprehension), reads the global name."""
    return name in code.co_names or any(
        _uses_name(const, name) for const in code.co_consts if isinstance(const, types.CodeType)
    )


def _with_indexer(add_items, indexer_class):
    """Wagtail's `add_items`, unchanged, except that the `ObjectIndexer` it creates for each
    object is `indexer_class`: the index class has no hook for its indexer, and copying the
    method (PostgreSQL's writes raw SQL) would fork it from Wagtail's schema."""
    if not _uses_name(add_items.__code__, "ObjectIndexer"):
        raise ImproperlyConfigured(
            f"{add_items.__module__}.{add_items.__qualname__} no longer creates an ObjectIndexer; "
            "search/wagtail_backend.py must be updated for this version of Wagtail."
        )
    namespace = dict(add_items.__globals__, ObjectIndexer=indexer_class)
    function = types.FunctionType(
        add_items.__code__, namespace, add_items.__name__, add_items.__defaults__, add_items.__closure__
    )
    function.__qualname__ = add_items.__qualname__
    function.__doc__ = add_items.__doc__
    return function


class _QueryField(Field):
    def db_type(self, connection):
        return None


class _RawQuery(Expression):
    """A finished FTS5 MATCH expression, passed to SQLite as one parameter."""

    def __init__(self, text):
        super().__init__(output_field=_QueryField())
        self.text = text

    def as_sql(self, compiler, connection):
        return "%s", [self.text]


# --- SQLite -------------------------------------------------------------------------------
# Wagtail's SQLite module can only be imported where the default database is SQLite (its
# FTS model exists only there), so these classes are made on first use.


@functools.cache
def sqlite_backend_class():
    from modelsearch.backends.database.sqlite import sqlite
    from modelsearch.backends.database.sqlite.query import SearchQueryExpression

    class SQLiteObjectIndexer(sqlite.ObjectIndexer):
        def prepare_field(self, obj, field):
            if isinstance(field, RelatedFields):
                # Wagtail recurses into self.prepare_field for each related field.
                yield from super().prepare_field(obj, field)
                return
            for current_field, value in super().prepare_field(obj, field):
                yield current_field, segment.segment(value)

    class SQLiteIndex(sqlite.SQLiteIndex):
        add_items = _with_indexer(sqlite.SQLiteIndex.add_items, SQLiteObjectIndexer)

    class SQLiteSearchQueryCompiler(sqlite.SQLiteSearchQueryCompiler):
        def build_search_query_content(self, query, config=None):
            if isinstance(query, PlainText):
                terms = _terms(query.query_string)
                text = _fts5(terms, operator=query.operator, last_is_prefix=self.LAST_TERM_IS_PREFIX)
            elif isinstance(query, Phrase):
                # Word adjacency is not checked: jieba's search mode interleaves subwords
                # and words, so positions in the index do not follow the query's words.
                text = _fts5(_terms(query.query_string))
            else:
                return super().build_search_query_content(query, config=config)
            return SearchQueryExpression(_RawQuery(text), config=config)

    class SQLiteAutocompleteQueryCompiler(SQLiteSearchQueryCompiler, sqlite.SQLiteAutocompleteQueryCompiler):
        # Title and body as well as the autocomplete column: staff find pages by their text.
        FTS_TABLE_FIELDS = ["autocomplete", "title", "body"]

    class SQLiteSearchBackend(sqlite.SQLiteSearchBackend):
        query_compiler_class = SQLiteSearchQueryCompiler
        autocomplete_query_compiler_class = SQLiteAutocompleteQueryCompiler
        index_class = SQLiteIndex

    return SQLiteSearchBackend


@functools.cache
def _sqlite_fts():
    """Whether SQLite has FTS5 and Wagtail's FTS table exists (as Wagtail checks, once)."""
    from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

    return fts5_available() and fts_table_exists()


# --- PostgreSQL ---------------------------------------------------------------------------


@functools.cache
def postgres_backend_class():
    from django.contrib.postgres.search import SearchQuery
    from modelsearch.backends.database.postgres import postgres

    class PostgresObjectIndexer(postgres.ObjectIndexer):
        # Only the tsvectors are segmented; title_text and body_text (fuzzy search) are not.
        def as_vector(self, texts, for_autocomplete=False):
            texts = [(segment.segment(text), weight) for text, weight in texts]
            return super().as_vector(texts, for_autocomplete=for_autocomplete)

    class PostgresIndex(postgres.PostgresIndex):
        add_items = _with_indexer(postgres.PostgresIndex.add_items, PostgresObjectIndexer)

    class PostgresSearchQueryCompiler(postgres.PostgresSearchQueryCompiler):
        def build_tsquery_content(self, query, config=None, invert=False):
            if isinstance(query, PlainText):
                terms = _terms(query.query_string)
                text = _tsquery(terms, operator=query.operator, last_is_prefix=self.LAST_TERM_IS_PREFIX)
            elif isinstance(query, Phrase):
                text = _tsquery(_terms(query.query_string))  # no adjacency, as on SQLite
            else:
                return super().build_tsquery_content(query, config=config, invert=invert)
            return SearchQuery(text, search_type="raw", config=config, invert=invert)

    class PostgresAutocompleteQueryCompiler(
        PostgresSearchQueryCompiler, postgres.PostgresAutocompleteQueryCompiler
    ):
        def get_index_vectors(self, search_query):
            # Title and body as well as the autocomplete vector: staff find pages by their text.
            return [
                (F("index_entries__autocomplete"), 1.0),
                (F("index_entries__title"), F("index_entries__title_norm")),
                (F("index_entries__body"), 1.0),
            ]

    class PostgresSearchBackend(postgres.PostgresSearchBackend):
        query_compiler_class = PostgresSearchQueryCompiler
        autocomplete_query_compiler_class = PostgresAutocompleteQueryCompiler
        index_class = PostgresIndex

        def __init__(self, params):
            super().__init__(params)
            # No stemming: autocomplete ('simple') now reads the title and body vectors too.
            self.config = params.get("SEARCH_CONFIG") or "simple"

    return PostgresSearchBackend


# --- the backend for the default database -------------------------------------------------


def SearchBackend(params):
    """The backend for the default database, chosen as Wagtail's database backend does.

    Where neither SQLite's FTS5 nor PostgreSQL is available (MySQL included, whose
    full-text parser has the same problem), Wagtail's fallback backend matches each
    query word as a substring of the fields, which finds Chinese words as it is.
    """
    if connection.vendor == "postgresql":
        return postgres_backend_class()(params)
    if connection.vendor == "sqlite" and _sqlite_fts():
        return sqlite_backend_class()(params)
    return fallback.DatabaseSearchBackend(params)
