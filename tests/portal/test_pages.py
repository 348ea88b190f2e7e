"""The public pages as a visitor's browser receives them (server side)."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from wagtail.models import Page

from portal.models import CourtSiteSettings
from portal.notice_text import NOTICE_SECTIONS
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "implementation-plan.zh.txt"


def text_of(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def test_home_page_offers_search_entries_and_hotline(client, demo_content):
    response = client.get("/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "zh-CN"
    assert soup.find("h1").get_text(strip=True) == "诚信履行光荣 抗拒执行可耻"
    form = soup.find("form", attrs={"role": "search"})
    assert form["action"] == "/search/" and form["method"] == "get"
    search_input = form.find("input", attrs={"name": "q"})
    assert soup.find("label", attrs={"for": search_input["id"]}).get_text(strip=True) == "搜索典型案例"
    entries = {a.get_text(" ", strip=True).split(" ")[0]: a["href"] for a in soup.select(".entry-card a")}
    assert entries["典型案例"] == "/cases/"
    assert entries["诚信履行名单"] == "/honor-roll/"
    assert entries["申请自动履行证明书"] == "/apply/certificate/"
    assert entries["自动履行告知书"] == "/notice/"
    assert "12368" in soup.find("footer").get_text()
    # Landmarks a screen reader user navigates by.
    assert soup.find("header") and soup.find("main", id="main") and soup.find("footer")
    assert soup.find("nav", attrs={"aria-label": "主导航"})


def test_home_page_lists_latest_news_from_the_news_section(client, demo_content):
    news = Page.objects.get(slug="news")
    StandardPageFactory(parent=news, title="我院发出首份自动履行证明书").save_revision().publish()
    response = client.get("/")
    assert "我院发出首份自动履行证明书" in text_of(response)
    assert "暂无新闻" not in text_of(response)


def test_home_page_without_news_says_so(client, demo_content):
    Page.objects.get(slug="news").unpublish()
    assert "暂无新闻" in text_of(client.get("/"))


def test_notice_page_carries_every_item_of_annex_2(client, demo_content):
    response = client.get("/notice/")
    assert response.status_code == 200
    page_text = text_of(response)
    assert "自动履行告知书" in page_text
    assert "七台河市中级人民法院" in page_text
    for heading, items in NOTICE_SECTIONS:
        assert heading in page_text
        for item in items:
            assert item in page_text
    # Spot checks typed from the seed independently of notice_text.
    assert "可向法院申请出具《自动履行证明书》" in page_text
    assert "第二百七十七条、第三百一十三条、第三百一十四条" in page_text


@pytest.mark.skipif(not SEED.exists(), reason=f"seed text not found at {SEED}")
def test_notice_text_is_word_for_word_annex_2_of_the_seed():
    seed = SEED.read_text(encoding="utf-8")
    annex2 = seed[seed.index("附件 2\n") : seed.index("附件 3\n")]
    # The PDF extraction put Annex 1 items 9–10 inside Annex 2's item 2: take them out.
    annex2 = re.sub(r"9\. 注重担保条款运用.*?全部自动履行的标", "", annex2, flags=re.S)
    squeezed = re.sub(r"[\s\-]+", "", annex2)
    seed_body = squeezed[
        squeezed.index("守信激励") : squeezed.index("追究其刑事责任。") + len("追究其刑事责任。")
    ]
    ours = "".join(heading + "".join(items) for heading, items in NOTICE_SECTIONS)
    assert re.sub(r"\s+", "", ours) == seed_body
    assert sum(len(items) for _, items in NOTICE_SECTIONS) == 6


def test_standard_page_renders_its_stream_body_with_breadcrumbs(client, demo_content):
    response = client.get("/how-to-apply/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("h1").get_text(strip=True) == "如何申请自动履行证明书"
    assert [h.get_text(strip=True) for h in soup.select(".prose h2")] == [
        "谁可以申请",
        "需要准备的材料",
        "办理流程",
    ]
    crumbs = soup.find("nav", attrs={"aria-label": "当前位置"})
    assert crumbs.find("a", href="/").get_text(strip=True) == "首页"


def test_site_settings_feed_the_header_and_footer(client, demo_content):
    court = CourtSiteSettings.for_site(demo_content.get_site())
    court.hotline = "0464-12368"
    court.icp_number = "黑ICP备12345678号"
    court.save()
    page_text = text_of(client.get("/"))
    assert "0464-12368" in page_text
    assert "黑ICP备12345678号" in page_text
    assert "主办单位" in page_text


def test_unknown_url_gives_chinese_404_in_the_site_layout(client, demo_content):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("h1").get_text(strip=True) == "页面不存在"
    assert soup.find("nav", attrs={"aria-label": "主导航"})  # the site's layout, not Django's
    assert "七台河市中级人民法院" in soup.get_text()


def test_public_html_is_the_same_for_every_visitor_and_sets_no_cookie(client, demo_content):
    """Elder mode lives in the browser, so a proxy may cache public pages for everyone."""
    first = client.get("/")
    client.cookies["qth-portal-elder-mode"] = "on"  # even a stray cookie changes nothing
    second = client.get("/")
    third = Client().get("/notice/")
    assert first.content == second.content
    assert not first.cookies and not second.cookies and not third.cookies
    assert "csrfmiddlewaretoken" not in first.content.decode()
