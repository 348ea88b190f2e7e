"""The full-text structure over search_searchentry, per database.

SQLite: an FTS5 table with *external content* (content=search_searchentry). The segmented
text already lives in the entry table (PostgreSQL's index reads the same columns), so an
external-content table stores only the inverted index, not a second copy of the text as a
regular FTS5 table would; unlike a contentless table, deleting a row needs no
``contentless_delete`` (SQLite 3.43+; Debian 12 ships 3.40) because the old values can be
read back. Triggers keep it in step with every insert, update and delete of an entry.

PostgreSQL: a generated ``tsvector`` column (config 'simple': the text is already
segmented, no stemming wanted) with the title weighted A, keywords B, body D, and a GIN index.
"""

from django.db import migrations

SQLITE = [
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
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL = [
    """ALTER TABLE search_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_seg), 'A')
        || setweight(to_tsvector('simple'::regconfig, keywords_seg), 'B')
        || setweight(to_tsvector('simple'::regconfig, body_seg), 'D')
    ) STORED""",
    "CREATE INDEX search_entry_vector_idx ON search_searchentry USING gin (vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_vector_idx",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector",
]


def run(statements):
    def operation(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
