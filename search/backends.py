"""The case search the public page calls: the engine when one is configured and answering,
else the embedded backend. Both return the same Results; a fallback sets
``results.fallback`` so the page can say so."""

import logging

from search import embedded, engine, sync

logger = logging.getLogger(__name__)


# More pages than this waiting for the engine: its index is too stale to answer from.
MAX_PENDING = 1000


def search(query="", filters=None, page=1, per_page=10, request=None):
    # Read only when the engine would be asked (a resting engine costs no query).
    pending = sync.pending_ids() if engine.enabled() and not engine.is_resting() else None
    if pending is not None and len(pending) <= MAX_PENDING:
        try:
            results = engine.search(query, filters, page, per_page, request, exclude_ids=pending)
        except engine.ENGINE_ERRORS as error:
            engine.record_failure(error, "检索")
        except Exception as error:  # a bug must not cost the visitor the page either
            logger.exception("搜索引擎检索出错，改由站内数据库检索应答。")
            engine.record_failure(error, "检索")
        else:
            engine.record_success()
            results.backend, results.fallback = "engine", False
            return results
    results = embedded.search(query, filters, page, per_page, request)
    results.backend, results.fallback = "embedded", engine.enabled()
    return results
