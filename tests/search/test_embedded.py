"""The embedded backend: segmentation, matching, highlighting, facets, index updates and
relevance over the demo corpus."""

import io

import pytest
from django.core.management import call_command

from publicity.models import ArticlePage, TypicalCasePage
from search import embedded, segment
from search.models import SearchEntry

pytestmark = pytest.mark.django_db


def titles(results):
    return [hit.title for hit in results.hits]


# --- segmentation (pure) -------------------------------------------------------------


def test_segment_normalises_width_case_and_drops_punctuation():
    text = segment.segment("（２０２５）黑0903民初1126号，ＡＢＣ！😀民间借贷")
    assert "2025" in text.split()
    assert "abc" in text.split()
    assert "借贷" in text.split() and "民间" in text.split()
    assert not any(char in text for char in "（），！😀")


def test_normalize_keeps_offsets():
    text = "Ａ，民间借贷😀"
    assert len(segment.normalize(text)) == len(text)


def test_normalize_maps_traditional_to_simplified_one_to_one():
    assert segment.normalize("臺灣高等法院") == "台湾高等法院"
    assert segment.normalize("台湾") == "台湾"
    # Characters with several simplified forms stay as they are (乾隆 is not 干隆).
    assert segment.normalize("乾") == "乾"
    text = "臺灣，ＡＢＣ😀與"
    assert len(segment.normalize(text)) == len(text)
    assert segment.query_terms("臺灣") == segment.query_terms("台湾")


def test_cutting_is_jiebas(demo_content):
    """The rewritten cut gives jieba's own words (search mode, no HMM), block rules included."""
    from publicity.demo_data import NEWS_ITEMS, TYPICAL_CASES

    tokenizer = segment.tokenizer()
    texts = [str(case) for case in TYPICAL_CASES] + [str(item) for item in NEWS_ITEMS]
    texts += ["（２０２５）黑0903民初1126号 abc123def x1y2 c++ a.b_c ひらがな한국어 ÀÉ ß 䶮𠀀 民间借贷纠纷"]
    for text in texts:
        chunks = [chunk for chunk in segment.normalize(text).split() if chunk]
        expected = [w for chunk in chunks for w in tokenizer.cut_for_search(chunk, HMM=False) if w.strip()]
        assert segment.tokens(text) == expected
        precise = [w for chunk in chunks for w in tokenizer.cut(chunk, HMM=False) if w.strip()]
        assert segment._cut(text, search_mode=False) == precise


def test_query_terms_of_syntax_are_plain_words():
    terms = segment.query_terms('OR AND NOT "*" {"query":1}')
    assert [word for word, _ in terms] == ["or", "and", "not", "query", "1"]
    assert segment.query_terms("*\"'()") == []


def test_fts5_expression_quotes_every_token():
    expression = embedded._fts5_match([('a"b', []), ("借贷纠纷", ["借贷", "纠纷"]), ("河", [])])
    assert expression == '"a""b" AND ("借贷纠纷" OR ("借贷" AND "纠纷")) AND "河"*'


# --- matching ---------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["借贷", "履行"])
def test_two_character_word_inside_chinese_text(indexed_demo, word):
    found = embedded.search(word, per_page=50)
    assert found.total >= 3
    for hit in found.hits:
        entry = SearchEntry.objects.get(pk=hit.page_id)
        assert word in entry.title + entry.body + entry.keywords_seg


def test_huge_match_sets_come_newest_first(indexed_demo, monkeypatch):
    ranked = embedded.search("履行", per_page=50)
    monkeypatch.setattr(embedded, "RANK_LIMIT", 1)
    newest = embedded.search("履行", per_page=50)
    assert newest.total == ranked.total and newest.facets == ranked.facets
    assert {hit.page_id for hit in newest.hits} == {hit.page_id for hit in ranked.hits}
    dates = [hit.date for hit in newest.hits]
    assert dates == sorted(dates, reverse=True)


def test_highlight_marks_matches_on_original_text(indexed_demo):
    results = embedded.search("诚信履行贷")
    hit = results.hits[0]
    assert "<mark>" in hit.snippet_html
    assert "<mark>诚信</mark>" in hit.snippet_html or "<mark>诚信履行贷</mark>" in hit.snippet_html
    assert "<mark>" in hit.title_html


def test_traditional_and_simplified_find_each_other(indexed_demo, django_capture_on_commit_callbacks):
    traditional = lending_case()
    simplified = TypicalCasePage.objects.get(title="高某诉郑某民间借贷纠纷案")
    with django_capture_on_commit_callbacks(execute=True):
        traditional.title = "李某訴楊某臺灣商人借貸糾紛案"
        traditional.save_revision().publish()
        simplified.title = "高某诉郑某台湾商人借贷纠纷案"
        simplified.save_revision().publish()
    both = {traditional.title, simplified.title}
    for query in ("臺灣", "台湾", "臺湾", "臺灣商人"):
        assert set(titles(embedded.search(query))) == both, query
    # Highlighting marks the characters as written.
    hits = {hit.page_id: hit for hit in embedded.search("台湾").hits}
    assert "<mark>臺灣</mark>" in hits[traditional.pk].title_html
    hits = {hit.page_id: hit for hit in embedded.search("臺灣").hits}
    assert "<mark>台湾</mark>" in hits[simplified.pk].title_html
    assert "<mark>臺灣</mark>" in hits[traditional.pk].title_html
    pattern = embedded._pattern(embedded.highlight_terms("台湾"))
    assert "本院認為<mark>臺灣</mark>" in embedded.snippet("本院認為臺灣地區", pattern)


def test_snippet_escapes_text():
    pattern = embedded._pattern(["借贷"])
    html = embedded.snippet("<script>alert(1)</script>民间借贷&", pattern)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>借贷</mark>&amp;" in html


def test_highlight_across_full_width_text():
    pattern = embedded._pattern(embedded.highlight_terms("abc"))
    assert "<mark>ＡＢＣ</mark>" in embedded.snippet("案号ＡＢＣ号", pattern)


def test_empty_query_lists_latest_with_facets(indexed_demo):
    results = embedded.search("")
    assert results.total == SearchEntry.objects.count() > 10
    dates = [hit.date for hit in results.hits]
    assert dates == sorted(dates, reverse=True)
    assert results.facets["cause"] and results.facets["type"]


def test_facets_combine_with_the_other_filters(indexed_demo):
    from portal.models import CauseOfAction

    lending = CauseOfAction.objects.get(name="民间借贷纠纷").pk
    everything = embedded.search("履行")
    assert everything.facets["cause"][lending] == 3
    filtered = embedded.search("履行", {"cause": str(lending)})
    assert filtered.total == 3
    assert {hit.title for hit in filtered.hits} == {
        "李某诉杨某民间借贷纠纷案",
        "高某诉郑某民间借贷纠纷案",
        "邵某诉彭某民间借贷纠纷案",
    }
    # The cause facet ignores its own filter; the others apply it.
    assert filtered.facets["cause"] == everything.facets["cause"]
    assert sum(filtered.facets["method"].values()) == 3
    assert filtered.facets["type"] == {"case": 3}
    method = next(iter(filtered.facets["method"]))
    both = embedded.search("履行", {"cause": lending, "method": method})
    assert both.total == filtered.facets["method"][method]


def test_type_filter(indexed_demo):
    news = embedded.search("履行", {"type": "news"})
    assert news.total == ArticlePage.objects.live().count()
    assert all(hit.kind == "news" for hit in news.hits)


def test_pagination(indexed_demo):
    first = embedded.search("履行", page=1, per_page=5)
    second = embedded.search("履行", page="2", per_page=5)
    assert first.num_pages >= 2 and second.page == 2
    assert not set(titles(first)) & set(titles(second))
    assert embedded.search("履行", page="abc").page == 1
    assert embedded.search("履行", page="999999", per_page=5).page == first.num_pages


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "*",
        '"',
        "OR AND NOT",
        '{"query":1}',
        "'; DROP TABLE search_searchentry; --",
        "😀😀",
        "臺灣",
        "台湾",
        "NEAR(借贷 履行)",
        "借贷*",
        "^履行",
        "title_seg:借贷",
        "\x00",
        "，。！",
    ],
)
def test_bad_input_is_plain_text(indexed_demo, query):
    results = embedded.search(query, {"cause": "abc", "year": "-1", "type": "x", "court": "9" * 20})
    assert results.total >= 0
    assert SearchEntry.objects.exists()


def test_long_query_is_cut_with_a_flag(indexed_demo):
    results = embedded.search("借贷" * 80)
    assert results.truncated and len(results.query) == embedded.MAX_QUERY_LENGTH
    assert not embedded.search("借贷").truncated


def test_unknown_filter_values_give_no_results_not_errors(indexed_demo):
    assert embedded.search("履行", {"cause": "99999"}).total == 0


# --- index updates ----------------------------------------------------------------------


def lending_case():
    return TypicalCasePage.objects.get(title="李某诉杨某民间借贷纠纷案")


def test_unpublish_removes_a_case(indexed_demo, django_capture_on_commit_callbacks):
    case = lending_case()
    assert case.pk in {hit.page_id for hit in embedded.search("借贷").hits}
    with django_capture_on_commit_callbacks(execute=True):
        case.unpublish()
    assert case.pk not in {hit.page_id for hit in embedded.search("借贷", per_page=50).hits}
    assert not SearchEntry.objects.filter(pk=case.pk).exists()


def test_unpublished_page_is_never_shown_even_if_index_lags(indexed_demo):
    case = lending_case()
    TypicalCasePage.objects.filter(pk=case.pk).update(live=False)  # no signal
    assert case.pk not in {hit.page_id for hit in embedded.search("借贷", per_page=50).hits}


def test_publish_indexes_after_commit_and_drafts_do_not(indexed_demo, django_capture_on_commit_callbacks):
    case = lending_case()
    with django_capture_on_commit_callbacks(execute=True):
        case.title = "李某诉杨某民间借贷纠纷案（蓝鲸草稿）"
        case.save_revision()
    assert embedded.search("蓝鲸").total == 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case.get_latest_revision().publish()
    assert embedded.search("蓝鲸").total == 0  # not before the commit
    for callback in callbacks:
        callback()
    assert titles(embedded.search("蓝鲸")) == ["李某诉杨某民间借贷纠纷案（蓝鲸草稿）"]


def test_delete_removes_a_case(indexed_demo, django_capture_on_commit_callbacks):
    case = lending_case()
    with django_capture_on_commit_callbacks(execute=True):
        case.delete()
    assert not SearchEntry.objects.filter(pk=case.pk).exists()
    assert "李某诉杨某民间借贷纠纷案" not in titles(embedded.search("借贷", per_page=50))


def test_rebuild_indexes_only_published_pages(demo_content):
    TypicalCasePage.objects.filter(pk=lending_case().pk).update(live=False)
    out = io.StringIO()
    call_command("search_rebuild_embedded", stdout=out)
    live = TypicalCasePage.objects.live().count() + ArticlePage.objects.live().count()
    assert SearchEntry.objects.count() == live
    assert f"已索引 {live} 个页面" in out.getvalue()
    assert not SearchEntry.objects.filter(pk=lending_case().pk).exists()


def test_rebuild_twice_then_updates_still_follow(indexed_demo, django_capture_on_commit_callbacks):
    call_command("search_rebuild_embedded", stdout=io.StringIO())
    call_command("search_rebuild_embedded", stdout=io.StringIO())
    case = lending_case()
    before = embedded.search("借贷", per_page=50)
    assert case.pk in {hit.page_id for hit in before.hits}
    with django_capture_on_commit_callbacks(execute=True):
        case.unpublish()
    after = embedded.search("借贷", per_page=50)
    assert after.total == before.total - 1
    assert case.pk not in {hit.page_id for hit in after.hits}


def test_hidden_case_number_is_not_findable(indexed_demo):
    shown = TypicalCasePage.objects.filter(show_case_number=True).exclude(case_number="").first()
    hidden = TypicalCasePage.objects.filter(show_case_number=False).exclude(case_number="").first()
    assert shown.title in titles(embedded.search(shown.case_number))
    assert hidden.title not in titles(embedded.search(hidden.case_number))


# --- relevance over the demo corpus -----------------------------------------------------

RELEVANCE = [
    ("借贷", "李某诉杨某民间借贷纠纷案"),
    ("民间借贷", "高某诉郑某民间借贷纠纷案"),
    ("民间借贷 担保", "高某诉郑某民间借贷纠纷案"),
    ("违约条款", "李某诉杨某民间借贷纠纷案"),
    ("金融借款", "某银行七台河分行诉某建设集团有限公司金融借款合同纠纷案"),
    ("诚信履行贷", "自动履行证明书纳入信贷审批参考 首笔“诚信履行贷”落地"),
    ("买卖合同 货款", "某商贸有限公司诉某食品有限公司买卖合同纠纷案"),
    ("劳动争议", "某物流有限公司诉王某劳动争议案"),
    ("年休假", "某物流有限公司诉王某劳动争议案"),
    ("房屋租赁", "某置业有限公司诉某餐饮有限公司房屋租赁合同纠纷案"),
    ("离婚", "赵某诉孙某离婚纠纷案"),
    ("抚养费", "赵某诉孙某离婚纠纷案"),
    ("赡养", "周某某诉吴某赡养纠纷案"),
    ("巡回审判", "周某某诉吴某赡养纠纷案"),
    ("物业费", "某物业服务有限公司诉陈某物业服务合同纠纷案"),
    ("交通事故", "马某诉何某机动车交通事故责任纠纷案"),
    ("建设工程 冻结", "某建设工程有限公司诉某房地产开发有限公司建设工程施工合同纠纷案"),
    ("设备租赁", "某机械设备租赁有限公司诉某矿业有限公司租赁合同纠纷案"),
    ("劳动报酬 网格员", "韩某诉冯某追索劳动报酬纠纷案"),
    ("网格员", "勃利县法院借助网格员力量督促当事人自动履行"),
    ("12368", "桃山区法院依托12368平台“每案必提醒”督促自动履行"),
    ("诚信履行名单", "全市法院发布首批诚信履行名单"),
    ("实施方案", "七台河中院印发《关于推行生效裁判自动履行激励机制的实施方案》"),
    ("茄子河 证明书", "茄子河区法院出具首份《自动履行证明书》"),
    ("当庭履行", "赵某诉孙某离婚纠纷案"),
]


@pytest.mark.parametrize(("query", "title"), RELEVANCE)
def test_relevance_top_five(indexed_demo, query, title):
    assert title in titles(embedded.search(query, per_page=5)), titles(embedded.search(query, per_page=5))


@pytest.mark.postgres
def test_postgresql_full_text(indexed_demo):
    """The same search on PostgreSQL: tsvector ('simple') over the segmented text."""
    from portal.models import CauseOfAction

    found = embedded.search("借贷", per_page=5)
    assert "李某诉杨某民间借贷纠纷案" in titles(found)
    assert "<mark>借贷</mark>" in found.hits[0].title_html
    lending = CauseOfAction.objects.get(name="民间借贷纠纷").pk
    filtered = embedded.search("履行", {"cause": lending})
    assert filtered.total == 3 and filtered.facets["type"] == {"case": 3}
    assert embedded.search("茄子河 证明书").total >= 1
    for query in ['"', "OR AND NOT", "'; DROP TABLE x; --", "😀", "x" * 10_000, ""]:
        embedded.search(query, {"cause": "abc"}, page="abc")
