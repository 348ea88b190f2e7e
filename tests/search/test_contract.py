"""One contract for both backends: the embedded one and a real engine process (osmem-server,
OpenSearch-compatible) behind ELASTICSEARCH_URL. Every test runs on both (the ``backend``
fixture: the demo corpus indexed once per module; ``fresh_backend`` for tests that publish); the engine run asserts that the engine itself answered, not the fallback."""

import pytest

from portal.models import CauseOfAction, Court
from publicity.models import PerformanceMethod, TypicalCasePage
from search import backends
from search.models import SearchEntry

pytestmark = pytest.mark.django_db


def run(backend, query="", filters=None, page=1, per_page=10):
    results = backends.search(query, filters or {}, page, per_page)
    assert results.backend == backend, "the engine did not answer; the page fell back"
    return results


def titles(results):
    return [hit.title for hit in results.hits]


def cause(name):
    return CauseOfAction.objects.get(name=name).pk


def court(name):
    return Court.objects.get(name=name).pk


def method(name):
    return PerformanceMethod.objects.get(name=name).pk


# --- relevance: what must be in the top five -------------------------------------------

LENDING = "李某诉杨某民间借贷纠纷案"
GUARANTEE = "高某诉郑某民间借贷纠纷案"
VILLAGE = "邵某诉彭某民间借贷纠纷案"
BANK = "某银行七台河分行诉某建设集团有限公司金融借款合同纠纷案"
SALE = "某商贸有限公司诉某食品有限公司买卖合同纠纷案"
LABOUR = "某物流有限公司诉王某劳动争议案"
LEASE = "某置业有限公司诉某餐饮有限公司房屋租赁合同纠纷案"
DIVORCE = "赵某诉孙某离婚纠纷案"
SUPPORT = "周某某诉吴某赡养纠纷案"
PROPERTY = "某物业服务有限公司诉陈某物业服务合同纠纷案"
TRAFFIC = "马某诉何某机动车交通事故责任纠纷案"
BUILDING = "某建设工程有限公司诉某房地产开发有限公司建设工程施工合同纠纷案"
EQUIPMENT = "某机械设备租赁有限公司诉某矿业有限公司租赁合同纠纷案"
WAGES = "韩某诉冯某追索劳动报酬纠纷案"
PLAN = "七台河中院印发《关于推行生效裁判自动履行激励机制的实施方案》"
FIRST_CERTIFICATE = "茄子河区法院出具首份《自动履行证明书》"
CREDIT = "自动履行证明书纳入信贷审批参考 首笔“诚信履行贷”落地"
FIRST_LIST = "全市法院发布首批诚信履行名单"
REMINDER = "桃山区法院依托12368平台“每案必提醒”督促自动履行"
GRID = "勃利县法院借助网格员力量督促当事人自动履行"

# (query, filters as (facet, label) pairs, titles that must all be in the top five)
RELEVANCE = [
    # two-character words
    ("借贷", (), [LENDING, GUARANTEE, VILLAGE]),
    ("履行", (("cause", "民间借贷纠纷"),), [LENDING, GUARANTEE, VILLAGE]),
    ("离婚", (), [DIVORCE]),
    ("赡养", (), [SUPPORT]),
    ("货款", (), [SALE]),
    ("担保", (("type", "case"),), [GUARANTEE]),
    ("信贷", (("type", "news"),), [CREDIT]),
    # four-character phrases
    ("民间借贷", (), [LENDING, GUARANTEE, VILLAGE]),
    ("当庭履行", (), [DIVORCE, SUPPORT]),
    ("违约条款", (), [LENDING]),
    ("金融借款", (), [BANK]),
    ("劳动争议", (), [LABOUR]),
    ("房屋租赁", (), [LEASE]),
    ("巡回审判", (), [SUPPORT]),
    ("交通事故", (), [TRAFFIC]),
    ("设备租赁", (), [EQUIPMENT]),
    ("实施方案", (), [PLAN]),
    ("诚信履行名单", (), [FIRST_LIST]),
    ("诚信履行贷", (), [CREDIT]),
    # cause names as users type them
    ("民间借贷纠纷", (), [LENDING, GUARANTEE]),
    ("物业服务合同纠纷", (), [PROPERTY]),
    ("建设工程施工合同纠纷", (), [BUILDING]),
    ("追索劳动报酬", (), [WAGES]),
    # several words
    ("民间借贷 担保", (), [GUARANTEE]),
    ("买卖合同 货款", (), [SALE]),
    ("建设工程 冻结", (), [BUILDING]),
    ("劳动报酬 网格员", (), [WAGES]),
    ("茄子河 证明书", (), [FIRST_CERTIFICATE]),
    ("网格员", (), [GRID, WAGES]),
    ("12368", (), [REMINDER]),
    # case-number fragments (shown on the page)
    ("黑0903民初1126号", (), [BANK]),
    ("0904民初415", (), [SALE]),
    ("黑09民终312号", (), [LABOUR]),
    # mixed with filters
    ("履行", (("method", "当庭履行"), ("year", 2025)), [DIVORCE, PROPERTY, TRAFFIC]),
    ("二审", (("court", "七台河市中级人民法院"),), [BUILDING, LABOUR]),
    ("租赁", (("year", 2024),), [EQUIPMENT]),
    ("督促", (("type", "news"),), [REMINDER, GRID]),
]


def _filters(pairs):
    lookup = {"cause": cause, "court": court, "method": method}
    return {name: lookup[name](value) if name in lookup else value for name, value in pairs}


def test_relevance_set_is_large_enough():
    assert len(RELEVANCE) >= 30


@pytest.mark.parametrize(("query", "filters", "expected"), RELEVANCE, ids=[row[0] for row in RELEVANCE])
def test_relevance_top_five(backend, query, filters, expected):
    found = titles(run(backend, query, _filters(filters), per_page=5))
    missing = [title for title in expected if title not in found]
    assert not missing, f"{query}: {missing} not in {found}"


# --- what a visitor sees ------------------------------------------------------------------


def test_highlight_marks_the_words_on_the_original_text(backend):
    found = run(backend, "借贷")
    top = found.hits[0]
    assert "<mark>借贷</mark>" in top.title_html or "<mark>借贷</mark>" in top.snippet_html
    assert all("<mark>" in hit.title_html + hit.snippet_html for hit in found.hits)
    assert top.url.startswith("/") and top.facts["type"] in ("典型案例", "新闻")


def test_full_width_query_matches_and_highlights_the_original(backend):
    found = run(backend, "１２３６８")
    assert REMINDER in titles(found)
    assert "<mark>12368</mark>" in next(hit for hit in found.hits if hit.title == REMINDER).title_html


def test_empty_query_lists_the_latest_with_facets(backend):
    found = run(backend)
    published = TypicalCasePage.objects.live().count()
    assert found.total == SearchEntry.objects.count() and found.facets["type"]["case"] == published
    dates = [hit.date for hit in found.hits]
    assert dates == sorted(dates, reverse=True)
    assert set(found.facets) == {"type", "cause", "method", "court", "year"}


def test_facets_combine_with_the_other_filters(backend):
    lending = cause("民间借贷纠纷")
    everything = run(backend, "履行")
    filtered = run(backend, "履行", {"cause": lending})
    assert filtered.total == everything.facets["cause"][lending] == 3
    # The cause facet still offers the other causes (it ignores its own filter) ...
    assert len(filtered.facets["cause"]) == len(everything.facets["cause"])
    # ... while the others count within the chosen cause only.
    assert sum(filtered.facets["method"].values()) == 3
    assert filtered.facets["type"] == {"case": 3}


def test_total_facets_and_pagination_agree(backend):
    first = run(backend, "履行", per_page=4)
    second = run(backend, "履行", page=2, per_page=4)
    last = run(backend, "履行", page=999, per_page=4)
    assert first.total == second.total == last.total >= 12
    assert first.num_pages == last.page == -(-first.total // 4)
    assert not set(titles(first)) & set(titles(second))
    assert first.has_next and not first.has_previous and second.has_previous


@pytest.mark.parametrize(
    "query",
    [
        "*",
        '"',
        "OR AND NOT",
        '{"query": {"match_all": {}}}',
        "title:借贷 AND body:*",
        "'; DROP TABLE search_searchentry; --",
        "😀🎉",
        "。，、！？",
        "x" * 10_000,
        "借贷\x00纠纷",
        "臺灣",
        "台湾",
    ],
)
def test_bad_input_is_plain_text(backend, query):
    found = run(backend, query, {"cause": "abc", "year": "-1", "court": "9" * 40, "type": "x"}, page="abc")
    assert found.page == 1
    if query in ("*", '"', "😀🎉", "。，、！？"):
        assert found.total == 0 and found.hits == []


def test_long_query_is_cut_with_a_flag(backend):
    found = run(backend, "借贷" * 200)
    assert found.truncated and len(found.query) == 100


def test_unknown_filter_values_find_nothing_rather_than_fail(backend):
    assert run(backend, "借贷", {"cause": 987654321}).total == 0
    assert run(backend, "", {"year": 1900}).total == 0


def test_hidden_case_number_is_not_findable(backend):
    hidden = TypicalCasePage.objects.live().filter(show_case_number=False).first()
    assert hidden.title not in titles(run(backend, hidden.case_number))


def test_the_search_page_reads_the_same(backend, client):
    response = client.get("/search/", {"q": "借贷", "cause": cause("民间借贷纠纷")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>借贷</mark>" in html and "共 3 条结果" in html
    assert "备用检索" not in html
