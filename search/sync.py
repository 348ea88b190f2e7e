"""The durable outbox between publication and the search engine.

``enqueue`` runs inside the transaction that publishes, unpublishes, moves or deletes a
page, so the intent to update the engine commits with the change or not at all. After the
commit ``push`` sends the update (with any older backlog) and clears the rows it delivered;
if the engine is unreachable the rows stay, and ``drain`` (``manage.py search_sync``) or the
next update delivers them. Searches leave pages with a pending row out of engine results, so
an unpublished case is never findable through a stale engine index.
"""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from search import engine
from search.models import SearchOutbox

logger = logging.getLogger(__name__)

BACKLOG_BATCH = 500


def enqueue(page_ids):
    """Record pages to update in the engine (in the caller's transaction), then push them
    after the commit. Does nothing unless an engine is configured."""
    page_ids = sorted(set(page_ids))
    if not page_ids or not engine.enabled():
        return
    now = timezone.now()
    for page_id in page_ids:
        SearchOutbox.objects.update_or_create(page_id=page_id, defaults={"queued_at": now})
    transaction.on_commit(lambda: push(page_ids), robust=True)


def pending_ids():
    return set(SearchOutbox.objects.values_list("page_id", flat=True))


def push(page_ids=()):
    """Deliver these pages and up to BACKLOG_BATCH older rows. Returns True if delivered."""
    if not engine.enabled():
        return False
    ids = set(page_ids)
    ids.update(SearchOutbox.objects.order_by("queued_at").values_list("page_id", flat=True)[:BACKLOG_BATCH])
    if not ids:
        return True
    read_at = timezone.now()
    try:
        engine.apply(sorted(ids))
    except engine.ENGINE_ERRORS as error:
        engine.record_failure(error, "更新索引")
        SearchOutbox.objects.filter(page_id__in=ids).update(
            attempts=F("attempts") + 1, last_error=engine._describe(error)[:200]
        )
        return False
    engine.record_success()
    # A row queued again after the pages were read stays for the next push.
    SearchOutbox.objects.filter(page_id__in=ids, queued_at__lte=read_at).delete()
    return True


def forget(before):
    """Drop rows a full reindex started after has already covered."""
    SearchOutbox.objects.filter(queued_at__lte=before).delete()


def drain():
    """Deliver the whole backlog; rebuild the index first if the engine lost it (a new or
    restarted cluster). Returns (delivered, left, rebuilt)."""
    rebuilt = False
    if not engine.ping():
        engine.client().info()  # raises if the engine is down, not just missing the index
        engine.reindex()
        rebuilt = True
    delivered = 0
    while True:
        batch = list(
            SearchOutbox.objects.order_by("queued_at").values_list("page_id", flat=True)[:BACKLOG_BATCH]
        )
        if not batch:
            break
        if not push(batch):
            break
        delivered += len(batch)
    left = SearchOutbox.objects.count()
    if not left:
        engine.record_success()
    return delivered, left, rebuilt
