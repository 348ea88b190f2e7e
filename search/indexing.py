"""Keeping the embedded index in step with publication.

Wagtail's publish / unpublish / move signals, the page models' post_delete and any change
of a page's view restrictions (private / public again, for the page and everything below
it) schedule an update for after the transaction commits; saving a draft changes nothing. A page that is
not live, or not public, has no entry, so it is never found.
"""

import multiprocessing
import os

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from search import segment, sync
from search.models import SearchEntry


def indexed_models():
    from publicity.models import ArticlePage, TypicalCasePage

    return (TypicalCasePage, ArticlePage)


def _stream_text(page, name):
    body_field = page._meta.get_field(name)
    return "\n".join(str(part) for part in body_field.get_searchable_content(getattr(page, name)) if part)


def entry_values(page):
    """The entry's fields for a TypicalCasePage or ArticlePage, without the segmented text."""
    from publicity.models import TypicalCasePage

    if isinstance(page, TypicalCasePage):
        keywords = [
            page.keywords,
            page.cause.name,
            page.method.name,
            page.court.name,
            # A case number is findable only where the page shows it.
            page.case_number if page.show_case_number else "",
        ]
        return {
            "page_id": page.pk,
            "kind": SearchEntry.CASE,
            "title": page.title,
            "keywords": " ".join(part for part in keywords if part),
            "body": _stream_text(page, "body"),
            "date": page.performance_date,
            "year": page.judgment_date.year,
            "cause_id": page.cause_id,
            "method_id": page.method_id,
            "court_id": page.court_id,
        }
    return {
        "page_id": page.pk,
        "kind": SearchEntry.NEWS,
        "title": page.title,
        "keywords": page.source,
        "body": "\n".join(part for part in (page.lead, _stream_text(page, "body")) if part),
        "date": page.date,
        "year": page.date.year,
        "cause_id": None,
        "method_id": None,
        "court_id": None,
    }


def _segmented(values):
    return (
        segment.segment(values["title"]),
        segment.segment(values["keywords"]),
        segment.segment(values["body"]),
    )


def _segment_texts(texts):
    """[(title_seg, keywords_seg, body_seg)] for [(title, keywords, body)] (a worker's task)."""
    cut = segment.segment
    return [(cut(title), cut(keywords), cut(body)) for title, keywords, body in texts]


def build_entry(values, segmented=None):
    """A SearchEntry from entry_values(); the segmentation is the expensive part."""
    title_seg, keywords_seg, body_seg = segmented or _segmented(values)
    values = dict(values)
    values.pop("keywords")
    return SearchEntry(**values, title_seg=title_seg, keywords_seg=keywords_seg, body_seg=body_seg)


# Pages per worker task: large enough that pickling and scheduling are noise.
TASK_SIZE = 250
# Pages read (and inserted) at a time; the workers segment one batch while the next is read.
BATCH_SIZE = 2000
PARALLEL_FROM = 200
FTS5_DEFAULT_AUTOMERGE = 4


class _Segmenter:
    """Segmentation of batches of entry values, in worker processes when there are many
    (forked after the dictionary is loaded, so that they start at once and share it)."""

    def __init__(self, processes=None):
        self.processes = processes or os.cpu_count() or 1
        self.pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()

    def submit(self, values_list):
        """A callable that returns the batch's segmented texts, in order."""
        texts = [(values["title"], values["keywords"], values["body"]) for values in values_list]
        if self.processes < 2 or len(texts) < PARALLEL_FROM:
            return lambda: _segment_texts(texts)
        if self.pool is None:
            segment.load()
            self.pool = multiprocessing.get_context("fork").Pool(self.processes)
        tasks = [texts[start : start + TASK_SIZE] for start in range(0, len(texts), TASK_SIZE)]
        pending = self.pool.map_async(_segment_texts, tasks, chunksize=1)
        return lambda: [parts for task in pending.get() for parts in task]


def _batches(values_iterable, size):
    batch = []
    for values in values_iterable:
        batch.append(values)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _segmented_batches(values_iterable, processes=None, size=BATCH_SIZE):
    """(values batch, segmented texts) pairs; the next batch is read (in this thread: it
    may query the database) and segmented while the caller stores the one before."""
    with _Segmenter(processes) as segmenter:
        waiting = None
        for batch in _batches(values_iterable, size):
            submitted = (batch, segmenter.submit(batch))
            if waiting is not None:
                yield waiting[0], waiting[1]()
            waiting = submitted
        if waiting is not None:
            yield waiting[0], waiting[1]()


def build_entries(values_list, processes=None):
    """SearchEntry objects for many pages; segmentation runs in one process per CPU when
    there are many."""
    return [
        build_entry(values, parts)
        for batch, segmented in _segmented_batches(values_list, processes)
        for values, parts in zip(batch, segmented, strict=True)
    ]


_INSERT_COLUMNS = (
    "page_id",
    "kind",
    "title",
    "body",
    "date",
    "year",
    "cause_id",
    "method_id",
    "court_id",
    "title_seg",
    "keywords_seg",
    "body_seg",
)


def index_values(values_iterable, processes=None):
    """Insert entries for entry_values() dicts (of pages not in the index) in bulk; returns
    how many. One executemany per batch; the full-text index follows (SQLite: FTS5 triggers;
    PostgreSQL: the generated tsvector column)."""
    table = connection.ops.quote_name(SearchEntry._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(_INSERT_COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(_INSERT_COLUMNS))})"
    )
    adapt_date = connection.ops.adapt_datefield_value
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        automerge = _pause_automerge(cursor)
        for batch, segmented in _segmented_batches(values_iterable, processes):
            rows = [
                (
                    values["page_id"],
                    values["kind"],
                    values["title"],
                    values["body"],
                    adapt_date(values["date"]),
                    values["year"],
                    values["cause_id"],
                    values["method_id"],
                    values["court_id"],
                    *parts,
                )
                for values, parts in zip(batch, segmented, strict=True)
            ]
            cursor.executemany(sql, rows)
            count += len(rows)
        _resume_automerge(cursor, automerge)
    return count


def _pause_automerge(cursor):
    """SQLite: stop FTS5 merging its segments while many rows come in. Merging as it goes
    made each insert into a large index four times dearer; 'crisismerge' still bounds the
    number of segments. Returns the setting to restore."""
    if connection.vendor != "sqlite":
        return None
    cursor.execute("SELECT v FROM search_fts_config WHERE k = 'automerge'")
    row = cursor.fetchone()
    cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('automerge', 0)")
    return row[0] if row else FTS5_DEFAULT_AUTOMERGE


def _resume_automerge(cursor, automerge):
    if automerge is not None:
        cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('automerge', %s)", [automerge])


def is_findable(page):
    """A page of an indexed model that is live and public now (a specific page)."""
    return isinstance(page, indexed_models()) and page.live and not page.get_view_restrictions().exists()


def update_page(page_id):
    """Index the page as published now, or remove it if it is not live and public."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    page = page.specific if page is not None else None
    with transaction.atomic():
        SearchEntry.objects.filter(pk=page_id).delete()
        if page is not None and is_findable(page):
            build_entry(entry_values(page)).save(force_insert=True)


def remove_page(page_id):
    SearchEntry.objects.filter(pk=page_id).delete()


def published_values(batch_size=2000):
    """entry_values() of every page that should be in an index now (both backends read these)."""
    for model in indexed_models():
        related = ("court", "cause", "method") if model.__name__ == "TypicalCasePage" else ()
        pages = model.objects.live().public().select_related(*related).order_by("pk")
        for page in pages.iterator(chunk_size=batch_size):
            yield entry_values(page)


def _clear():
    """Empty the index. SQLite: the full-text index is emptied at once ('delete-all' is valid
    for an external-content table) and the entries go without the per-row delete trigger."""
    if connection.vendor != "sqlite":
        SearchEntry.objects.all().delete()
        return
    table = SearchEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'search_fts_delete'")
        trigger = cursor.fetchone()
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
        if trigger:
            cursor.execute("DROP TRIGGER search_fts_delete")
        cursor.execute(f"DELETE FROM {table}")
        if trigger:
            cursor.execute(trigger[0])


def rebuild(batch_size=BATCH_SIZE):
    """Replace the whole index by the published pages; returns how many were indexed."""
    with transaction.atomic():
        _clear()
        return index_values(published_values(batch_size))


# --- signals -----------------------------------------------------------------------------


def _after_commit(function, page_id):
    transaction.on_commit(lambda: function(page_id), robust=True)


def _published(sender, instance, **kwargs):
    _after_commit(update_page, instance.pk)
    sync.enqueue([instance.pk])


def _unpublished(sender, instance, **kwargs):
    _after_commit(remove_page, instance.pk)
    sync.enqueue([instance.pk])


def _deleted(sender, instance, **kwargs):
    _after_commit(remove_page, instance.pk)
    sync.enqueue([instance.pk])


def _moved(sender, instance, **kwargs):
    # The page and everything below it may now be public or restricted differently.
    from wagtail.models import Page

    ids = [instance.pk] + list(Page.objects.descendant_of(instance).values_list("pk", flat=True))
    existing = set(SearchEntry.objects.filter(pk__in=ids).values_list("pk", flat=True))
    for page_id in existing:
        _after_commit(update_page, page_id)
    sync.enqueue(existing)


def _restriction_changed(sender, instance, **kwargs):
    """A page made private (or public again) takes its subtree out of (or back into) both
    indexes: the embedded one after the commit, the engine through the outbox."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page itself is being deleted: its own signal handles it
        return
    ids = list(
        Page.objects.descendant_of(page, inclusive=True).type(*indexed_models()).values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: [update_page(page_id) for page_id in ids], robust=True)
        sync.enqueue(ids)


def connect():
    from wagtail.models import PageViewRestriction

    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed, sender=PageViewRestriction, dispatch_uid=f"search-restriction-{signal}"
        )
    for model in indexed_models():
        page_published.connect(_published, sender=model, dispatch_uid=f"search-published-{model.__name__}")
        page_unpublished.connect(
            _unpublished, sender=model, dispatch_uid=f"search-unpublished-{model.__name__}"
        )
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-deleted-{model.__name__}")
    post_page_move.connect(_moved, dispatch_uid="search-moved")
