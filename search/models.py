"""The embedded backend's index: one row per published case or news article.

The row keeps the original text (for snippets, highlighted in Python) and the segmented
text, plus the facts the filters use. Full-text matching runs on a database-specific
structure created by migration 0001: an FTS5 table on SQLite, a generated ``tsvector``
column with a GIN index on PostgreSQL (neither is part of the model).
"""

from django.db import models


class SearchEntry(models.Model):
    CASE = "case"
    NEWS = "news"
    KINDS = [(CASE, "典型案例"), (NEWS, "新闻")]

    # The Wagtail page's id; not a foreign key, so that index rows follow the page's
    # signals after the commit rather than the page's cascades.
    page_id = models.BigIntegerField(primary_key=True)
    kind = models.CharField(max_length=4, choices=KINDS)
    title = models.TextField()
    body = models.TextField()
    date = models.DateField()
    year = models.PositiveSmallIntegerField()
    cause_id = models.BigIntegerField(null=True)
    method_id = models.BigIntegerField(null=True)
    court_id = models.BigIntegerField(null=True)
    # Space-separated jieba tokens: what the full-text index reads.
    title_seg = models.TextField()
    keywords_seg = models.TextField()
    body_seg = models.TextField()

    class Meta:
        verbose_name = "搜索索引条目"
        indexes = [
            # Covering the join from full-text matches to the facts: facet counts read this
            # narrow index, never the wide rows with the text.
            models.Index(
                fields=["page_id", "kind", "cause_id", "method_id", "court_id", "year", "date"],
                name="search_entry_facts_idx",
            ),
            models.Index(fields=["-date", "-page_id"], name="search_entry_newest_idx"),
            models.Index(fields=["cause_id"], name="search_entry_cause_idx"),
            models.Index(fields=["method_id"], name="search_entry_method_idx"),
            models.Index(fields=["court_id"], name="search_entry_court_idx"),
            models.Index(fields=["year"], name="search_entry_year_idx"),
        ]

    def __str__(self):
        return self.title


class SearchOutbox(models.Model):
    """Pages whose state the search engine has not yet taken (engine backend only).

    A row is written in the same transaction as the publish, unpublish, move or delete, so
    it survives a crash or an engine outage; after the commit the update is pushed and the
    row removed. ``manage.py search_sync`` (and every later update) retries what is left.
    """

    page_id = models.BigIntegerField(primary_key=True)
    queued_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "搜索引擎待同步条目"

    def __str__(self):
        return f"page {self.page_id}"
