"""SQLite: facet counts and newest-first order without a join (PostgreSQL: unchanged).

Joining every full-text match to its entry's facts cost more than the rest of a search
when a word is in most documents. Now the FTS5 rowid carries what the search needs beside
the match itself:

    rowid = (days since 1900-01-01 - 32768) << 48 | facts << 32 | page_id

- ``facts`` is the id of the entry's combination of (kind, cause, method, court, year) in
  ``search_facts`` (16 bits; ids are never reused, combinations are few);
- so facet counts read only the rowids of the matches, and filters test them;
- and ``ORDER BY rowid DESC`` is newest first (by date, as without a query), which FTS5
  serves without sorting.

The FTS5 table becomes *contentless* (its rowid is no longer a column of the entries); the
triggers pass the old values on delete, as before. Page ids must fit 32 bits, dates are
clamped to 1900…2079 for the order only.
"""

from django.db import migrations

DAYS = "max(0, min(65535, CAST(julianday({row}.date) - 2415020.5 AS INTEGER)))"
FACTS = (
    "(SELECT id FROM search_facts WHERE kind = {row}.kind AND cause_id = coalesce({row}.cause_id, 0)"
    " AND method_id = coalesce({row}.method_id, 0) AND court_id = coalesce({row}.court_id, 0)"
    " AND year = {row}.year)"
)
ROWID = f"((({DAYS} - 32768) << 48) | ({FACTS} << 32) | {{row}}.page_id)"


def rowid(row):
    return ROWID.format(row=row)


ADD_FACTS = """INSERT OR IGNORE INTO search_facts (kind, cause_id, method_id, court_id, year)
    VALUES (new.kind, coalesce(new.cause_id, 0), coalesce(new.method_id, 0),
            coalesce(new.court_id, 0), new.year);
    SELECT RAISE(ABORT, 'search index: page id or facts id out of range')
    WHERE new.page_id NOT BETWEEN 0 AND 4294967295 OR (SELECT max(id) FROM search_facts) > 65535;"""
INSERT = f"""INSERT INTO search_fts(rowid, title_seg, keywords_seg, body_seg)
    VALUES ({rowid("new")}, new.title_seg, new.keywords_seg, new.body_seg);"""
DELETE = f"""INSERT INTO search_fts(search_fts, rowid, title_seg, keywords_seg, body_seg)
    VALUES ('delete', {rowid("old")}, old.title_seg, old.keywords_seg, old.body_seg);"""

SQLITE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
    """CREATE TABLE search_facts (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL, cause_id INTEGER NOT NULL, method_id INTEGER NOT NULL,
        court_id INTEGER NOT NULL, year INTEGER NOT NULL,
        UNIQUE (kind, cause_id, method_id, court_id, year)
    )""",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_seg, keywords_seg, body_seg, content='',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    f"CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN {ADD_FACTS} {INSERT} END",
    f"CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN {DELETE} END",
    f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        {DELETE} {ADD_FACTS} {INSERT} END""",
    # The entries already indexed.
    """INSERT OR IGNORE INTO search_facts (kind, cause_id, method_id, court_id, year)
        SELECT kind, coalesce(cause_id, 0), coalesce(method_id, 0), coalesce(court_id, 0), year
        FROM search_searchentry ORDER BY 1, 2, 3, 4, 5""",
    f"""INSERT INTO search_fts(rowid, title_seg, keywords_seg, body_seg)
        SELECT {rowid("e")}, e.title_seg, e.keywords_seg, e.body_seg FROM search_searchentry e""",
]
# Back to migration 0002's structure, filled from the entries.
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_facts",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_seg, keywords_seg, body_seg,
        content='search_searchentry', content_rowid='page_id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title_seg, keywords_seg, body_seg)
        VALUES (new.page_id, new.title_seg, new.keywords_seg, new.body_seg);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_seg, keywords_seg, body_seg)
        VALUES ('delete', old.page_id, old.title_seg, old.keywords_seg, old.body_seg);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_seg, keywords_seg, body_seg)
        VALUES ('delete', old.page_id, old.title_seg, old.keywords_seg, old.body_seg);
        INSERT INTO search_fts(rowid, title_seg, keywords_seg, body_seg)
        VALUES (new.page_id, new.title_seg, new.keywords_seg, new.body_seg);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]


def run(statements):
    def operation(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0003_searchoutbox")]

    operations = [
        migrations.RunPython(run({"sqlite": SQLITE}), run({"sqlite": SQLITE_REVERSE})),
    ]
