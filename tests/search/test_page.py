"""The public search page /search/: results, facets, pagination, bad input."""

import re
from html import unescape

import pytest

from portal.models import CauseOfAction
from search import embedded

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def test_home_page_search_box_leads_here(indexed_demo, client):
    home = text(client.get("/"))
    assert 'action="/search/"' in home and 'name="q"' in home


def test_results_with_highlighted_snippets(indexed_demo, client):
    response = client.get("/search/", {"q": "借贷"})
    assert response.status_code == 200
    page = text(response)
    assert "<mark>借贷</mark>" in page
    assert "李某诉杨某民间借贷纠纷案" in unescape(re.sub(r"</?mark>", "", page))
    assert "站内搜索" in page


def test_empty_query_shows_latest_and_filters(indexed_demo, client):
    page = text(client.get("/search/"))
    assert "案由" in page and "履行方式" in page and "年份" in page
    assert 'class="case-item"' in page


def test_facet_links_combine_and_keep_query(indexed_demo, client):
    lending = CauseOfAction.objects.get(name="民间借贷纠纷").pk
    page = text(client.get("/search/", {"q": "履行"}))
    assert f"cause={lending}" in page
    filtered = client.get("/search/", {"q": "履行", "cause": lending})
    assert filtered.status_code == 200
    page = text(filtered)
    assert "共 3 条结果" in page
    # Every method option keeps the query and the cause filter.
    links = re.findall(r'href="\?([^"]*method=\d+[^"]*)"', page)
    assert links and all("q=%E5%B1%A5%E8%A1%8C" in link and f"cause={lending}" in link for link in links)
    assert 'aria-current="true"' in page


def test_pagination_keeps_filters(indexed_demo, client):
    page = text(client.get("/search/", {"q": "履行", "type": "case"}))
    assert "第 1 页 / 共 2 页" in page
    assert re.search(r'href="\?q=%E5%B1%A5%E8%A1%8C&amp;type=case&amp;page=2"', page)
    second = text(client.get("/search/", {"q": "履行", "type": "case", "page": "2"}))
    assert "第 2 页 / 共 2 页" in second


def test_empty_result_suggests_dropping_filters(indexed_demo, client):
    lending = CauseOfAction.objects.get(name="民间借贷纠纷").pk
    page = text(client.get("/search/", {"q": "物业费", "cause": lending}))
    assert "没有找到符合条件的内容" in page
    assert "去掉“案由：民间借贷纠纷”" in page
    assert 'href="?q=%E7%89%A9%E4%B8%9A%E8%B4%B9"' in page


def test_empty_result_without_filters_suggests_other_words(indexed_demo, client):
    page = text(client.get("/search/", {"q": "蓝鲸"}))
    assert "请尝试更短或更常用的词语" in page


def test_long_query_is_cut_with_a_notice(indexed_demo, client):
    page = text(client.get("/search/", {"q": "借贷" * 5000}))
    assert f"只按前 {embedded.MAX_QUERY_LENGTH} 个字搜索" in page


def test_query_is_escaped(indexed_demo, client):
    page = text(client.get("/search/", {"q": '<script>alert("x")</script>'}))
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


BAD = [
    {"q": "x" * 10_000},
    {"q": "*"},
    {"q": '"'},
    {"q": "OR AND NOT"},
    {"q": '{"query":1}'},
    {"q": "'; DROP TABLE search_searchentry; --"},
    {"q": "1' OR '1'='1"},
    {"q": "😀🙂"},
    {"q": "臺灣"},
    {"q": "台湾"},
    {"q": "，。、！"},
    {"q": "\x00\x01"},
    {"cause": "abc", "method": "-1", "court": "9" * 30, "year": "二〇二五", "type": "all"},
    {"cause": "99999", "q": "履行"},
    {"page": "abc"},
    {"page": "-3"},
    {"page": "99999999999999999999"},
    {"q": "履行", "page": "1e3"},
]


@pytest.mark.parametrize("params", BAD)
def test_bad_input_gives_a_normal_page(indexed_demo, client, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    assert "站内搜索" in text(response)


def test_list_valued_params_do_not_fail(indexed_demo, client):
    response = client.get("/search/?q=借贷&q=履行&cause=1&cause=x&page=2&page=x")
    assert response.status_code == 200
