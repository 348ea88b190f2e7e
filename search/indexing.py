"""Keeping the embedded index in step with publication.

Wagtail's publish / unpublish / move signals and the page models' post_delete schedule an
update for after the transaction commits; saving a draft changes nothing. A page that is
not live, or not public, has no entry, so it is never found.
"""

import multiprocessing
import os

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from search import segment
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


def build_entry(values, segmented=None):
    """A SearchEntry from entry_values(); the segmentation is the expensive part."""
    title_seg, keywords_seg, body_seg = segmented or _segmented(values)
    values = dict(values)
    values.pop("keywords")
    return SearchEntry(**values, title_seg=title_seg, keywords_seg=keywords_seg, body_seg=body_seg)


def build_entries(values_list, processes=None):
    """SearchEntry objects for many pages; segmentation runs in one process per CPU
    (forked after the dictionary is loaded, so workers start at once) when there are many."""
    values_list = list(values_list)
    processes = processes or os.cpu_count() or 1
    if processes < 2 or len(values_list) < 200:
        segmented = [_segmented(values) for values in values_list]
    else:
        segment.tokenizer()
        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            segmented = pool.map(_segmented, values_list, chunksize=100)
    return [build_entry(values, parts) for values, parts in zip(values_list, segmented, strict=True)]


def _is_findable(page):
    return page.live and not page.get_view_restrictions().exists()


def update_page(page_id):
    """Index the page as published now, or remove it if it is not live and public."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    page = page.specific if page is not None else None
    with transaction.atomic():
        SearchEntry.objects.filter(pk=page_id).delete()
        if page is not None and isinstance(page, indexed_models()) and _is_findable(page):
            build_entry(entry_values(page)).save(force_insert=True)


def remove_page(page_id):
    SearchEntry.objects.filter(pk=page_id).delete()


def rebuild(batch_size=2000):
    """Replace the whole index by the published pages; returns how many were indexed."""
    count = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        for model in indexed_models():
            related = ("court", "cause", "method") if model.__name__ == "TypicalCasePage" else ()
            pages = model.objects.live().public().select_related(*related).order_by("pk")
            batch = []
            for page in pages.iterator(chunk_size=batch_size):
                batch.append(entry_values(page))
                if len(batch) >= batch_size:
                    SearchEntry.objects.bulk_create(build_entries(batch))
                    count += len(batch)
                    batch = []
            SearchEntry.objects.bulk_create(build_entries(batch))
            count += len(batch)
    return count


# --- signals -----------------------------------------------------------------------------


def _after_commit(function, page_id):
    transaction.on_commit(lambda: function(page_id), robust=True)


def _published(sender, instance, **kwargs):
    _after_commit(update_page, instance.pk)


def _unpublished(sender, instance, **kwargs):
    _after_commit(remove_page, instance.pk)


def _deleted(sender, instance, **kwargs):
    _after_commit(remove_page, instance.pk)


def _moved(sender, instance, **kwargs):
    # The page and everything below it may now be public or restricted differently.
    from wagtail.models import Page

    ids = [instance.pk] + list(Page.objects.descendant_of(instance).values_list("pk", flat=True))
    existing = set(SearchEntry.objects.filter(pk__in=ids).values_list("pk", flat=True))
    for page_id in existing:
        _after_commit(update_page, page_id)


def connect():
    for model in indexed_models():
        page_published.connect(_published, sender=model, dispatch_uid=f"search-published-{model.__name__}")
        page_unpublished.connect(
            _unpublished, sender=model, dispatch_uid=f"search-unpublished-{model.__name__}"
        )
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-deleted-{model.__name__}")
    post_page_move.connect(_moved, dispatch_uid="search-moved")
