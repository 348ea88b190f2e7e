"""Embedded search (SQLite FTS5 over jieba-segmented text) over many published cases.

Goals (issue 7): p95 < 50 ms for one-to-three-word queries with highlighting and facet
counts, p95 < 150 ms for a word in more than half of the cases, indexing >= 1,000 cases/s,
at 100,000 cases of ~600 characters. BENCH_SEARCH_CASES sets the count (default 100,000).

The cases are plain Wagtail page rows (bulk-created under the cases index, live) with
their index entries: building 100,000 TypicalCasePage objects through Wagtail would take
far longer than `make bench` should, and the search reads only the page rows.
"""

import datetime
import itertools
import os
import random
import re
import uuid

from bench.harness import benchmark

CASES = int(os.environ.get("BENCH_SEARCH_CASES", "100000"))
FIRST_KEY = 36**3  # tree path steps "1000"…: clear of the demo cases' steps
QUERIES = [
    "借贷 担保",
    "当庭履行",
    "物业费 调解",
    "民间借贷 违约条款",
    "网格员 督促",
    "冻结资金 扣划",
    "证明书 信贷",
]
COMMON_WORD = "履行"
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"

_state = {}


def _sentences():
    from publicity.demo_data import NEWS_ITEMS, TYPICAL_CASES

    paragraphs = [
        p for case in TYPICAL_CASES for k in ("facts", "performance", "significance") for p in case[k]
    ]
    paragraphs += [p for item in NEWS_ITEMS for p in item["paragraphs"]]
    return sorted({s for p in paragraphs for s in re.split(r"(?<=。)", p) if len(s) > 5})


def _path_step(number):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(4):
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out


def synthetic_cases():
    """Create CASES live page rows and return their entry values (not yet indexed)."""
    if "values" in _state:
        return _state["values"]
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    from portal.models import CauseOfAction, Court
    from publicity.models import PerformanceMethod, TypicalCaseIndexPage, TypicalCasePage

    rng = random.Random(7)
    sentences = _sentences()
    index = TypicalCaseIndexPage.objects.get()
    content_type = ContentType.objects.get_for_model(TypicalCasePage)
    locale = Locale.get_default()
    causes = list(CauseOfAction.objects.values_list("pk", "name"))
    methods = list(PerformanceMethod.objects.values_list("pk", "name"))
    courts = list(Court.objects.values_list("pk", "name"))
    now = datetime.datetime.now(datetime.UTC)
    pages, values = [], []
    for n in range(CASES):
        cause, method, court = rng.choice(causes), rng.choice(methods), rng.choice(courts)
        surname_a, surname_b = rng.sample(SURNAMES, 2)
        title = f"{surname_a}某诉{surname_b}某{cause[1]}案（第{n}号）"
        body, size = [], 0
        while size < 600:
            sentence = rng.choice(sentences).replace("某", rng.choice(SURNAMES) + "某", 1)
            body.append(sentence)
            size += len(sentence)
        judged = datetime.date(2016, 1, 1) + datetime.timedelta(days=rng.randrange(3600))
        slug = f"bench-case-{n}"
        pages.append(
            Page(
                path=index.path + _path_step(FIRST_KEY + n),
                depth=index.depth + 1,
                numchild=0,
                title=title,
                draft_title=title,
                slug=slug,
                url_path=f"{index.url_path}{slug}/",
                content_type=content_type,
                locale=locale,
                translation_key=uuid.uuid4(),
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
        )
        values.append(
            {
                "kind": "case",
                "title": title,
                "keywords": f"{cause[1]} {method[1]} {court[1]}",
                "body": "".join(body),
                "date": judged + datetime.timedelta(days=rng.randrange(60)),
                "year": judged.year,
                "cause_id": cause[0],
                "method_id": method[0],
                "court_id": court[0],
            }
        )
    created = Page.objects.bulk_create(pages, batch_size=2000)
    for page, value in zip(created, values, strict=True):
        value["page_id"] = page.pk
    _state["values"] = values
    return values


def index_all(values):
    """Index the cases as `manage.py search_rebuild_embedded` does (indexing.index_values:
    segmentation in worker processes, bulk insert, FTS5 kept by its triggers)."""
    from search.indexing import index_values

    index_values(values)
    _state["indexed"] = True


def indexed():
    if not _state.get("indexed"):
        index_all(synthetic_cases())


@benchmark(f"embedded search: index {CASES:,} cases (segment + FTS5)", repeat=1, per_run=CASES)
def index_cases():
    values = synthetic_cases()
    return lambda: index_all(values)


def _timed_search(queries, **options):
    from search import embedded

    indexed()
    cycle = itertools.cycle(queries)
    first = embedded.search(queries[0], **options)
    assert first.hits and "<mark>" in first.hits[0].snippet_html, queries[0]

    def run():
        embedded.search(next(cycle), **options)

    return run


@benchmark("embedded search: 1-3 words, top 10 + highlight + facets", repeat=100)
def words_query():
    return _timed_search(QUERIES)


@benchmark("embedded search: 2 words + cause filter, page 2", repeat=100)
def filtered_query():
    from portal.models import CauseOfAction

    cause = CauseOfAction.objects.get(name="民间借贷纠纷").pk
    return _timed_search(["借贷 担保", "履行 调解"], filters={"cause": cause}, page=2)


@benchmark(f"embedded search: '{COMMON_WORD}' (in > half the cases)", repeat=30)
def common_word():
    from search.models import SearchEntry

    indexed()
    share = SearchEntry.objects.filter(body__contains=COMMON_WORD).count() / SearchEntry.objects.count()
    assert share > 0.5, share
    return _timed_search([COMMON_WORD])
