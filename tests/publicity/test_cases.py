"""Typical cases and news as visitors see them: lists, filters, case pages, feeds."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from portal.models import CauseOfAction, Court
from publicity.models import ArticlePage, PerformanceMethod, TypicalCaseIndexPage, TypicalCasePage

pytestmark = pytest.mark.django_db

METHODS = [
    "当庭履行",
    "调解后自动履行",
    "判决后自动履行",
    "冻结资金扣划履行",
    "担保履行",
    "违约条款促成履行",
    "基层组织督促履行",
]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def listed_titles(response):
    return [a.get_text(strip=True) for a in soup_of(response).select(".case-item h3 a")]


def facet(response, name):
    """{option text without count: (count, selected)} for one facet of the filter panel."""
    soup = soup_of(response)
    section = next(s for s in soup.select(".facet") if s.find("h3").get_text(strip=True) == name)
    options = {}
    for link in section.select("a.facet__option"):
        count = int(link.select_one(".count").get_text(strip=True).strip("（）"))
        label = link.contents[0].strip()
        options[label] = (count, "is-selected" in link["class"], link["href"])
    return options


def make_case(
    index, title, *, cause="民间借贷纠纷", method="当庭履行", court="黑0902", performed="2025-05-01", **extra
):
    page = TypicalCasePage(
        title=title,
        court=Court.objects.get(code=court),
        cause=CauseOfAction.objects.get(name=cause),
        method=PerformanceMethod.objects.get(name=method),
        judgment_date=extra.pop(
            "judged", datetime.date.fromisoformat(performed) - datetime.timedelta(days=30)
        ),
        performance_date=datetime.date.fromisoformat(performed),
        body=[("section", {"heading": "基本案情", "text": f"<p>{title}的基本案情。</p>"})],
        **extra,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def index(demo_content):
    return TypicalCaseIndexPage.objects.get()


def test_performance_methods_of_the_plan_are_seeded():
    assert list(PerformanceMethod.objects.values_list("name", flat=True)) == METHODS
    assert PerformanceMethod.objects.get(name="冻结资金扣划履行").plan_reference == "实施方案第八条"


def test_case_list_newest_first_ten_per_page_with_facts_and_summary(client, index):
    response = client.get("/cases/")
    assert response.status_code == 200
    cases = list(TypicalCasePage.objects.live().order_by("-performance_date", "-pk"))
    assert listed_titles(response) == [case.title for case in cases[:10]]
    assert "共 14 个案例" in response.content.decode()
    first = soup_of(response).select_one(".case-item")
    facts = first.select_one(".case-item__facts").get_text(" ", strip=True)
    newest = cases[0]
    for text in (
        newest.court.name,
        newest.cause.name,
        newest.method.name,
        f"{newest.performance_date.year}年",
    ):
        assert text in facts
    assert first.select_one(".case-item__summary").get_text(strip=True)[:20] == newest.summary[:20]
    second_page = client.get("/cases/", {"page": 2})
    assert listed_titles(second_page) == [case.title for case in cases[10:]]


def test_filters_combine_and_counts_follow_the_other_filters(client, index):
    loans = CauseOfAction.objects.get(name="民间借贷纠纷")
    in_court = make_case(
        index, "甲某诉乙某民间借贷纠纷案", method="当庭履行", court="黑0921", performed="2024-05-01"
    )
    make_case(index, "丙某诉丁某民间借贷纠纷案", method="担保履行", court="黑0921", performed="2024-06-01")
    total_loans = TypicalCasePage.objects.live().filter(cause=loans).count()

    response = client.get("/cases/", {"cause": loans.pk})
    assert set(listed_titles(response)) == set(
        TypicalCasePage.objects.live().filter(cause=loans).values_list("title", flat=True)
    )
    causes = facet(response, "案由")
    assert causes["民间借贷纠纷"][:2] == (total_loans, True)
    # Another cause's count ignores the cause filter itself (switching is possible) ...
    assert (
        causes["买卖合同纠纷"][0] == TypicalCasePage.objects.live().filter(cause__name="买卖合同纠纷").count()
    )
    # ... while the method counts apply it.
    methods = facet(response, "履行方式")
    assert (
        methods["担保履行"][0]
        == TypicalCasePage.objects.live().filter(cause=loans, method__name="担保履行").count()
    )

    court = Court.objects.get(code="黑0921")
    method = PerformanceMethod.objects.get(name="当庭履行")
    combined = client.get(
        "/cases/", {"cause": loans.pk, "court": court.pk, "method": method.pk, "year": 2024}
    )
    assert listed_titles(combined) == [in_court.title]
    assert facet(combined, "年份")["2024年"][:2] == (1, True)
    # Clicking a selected option removes only that filter.
    href = facet(combined, "法院")["勃利县人民法院"][2]
    assert f"court={court.pk}" not in href and f"cause={loans.pk}" in href and "year=2024" in href


def test_pagination_keeps_the_filters(client, index):
    method = PerformanceMethod.objects.get(name="当庭履行")
    for n in range(12):
        make_case(index, f"测试{n}号民间借贷纠纷案", performed=f"2025-01-{n + 1:02d}")
    response = client.get("/cases/", {"method": method.pk})
    next_link = soup_of(response).select_one(".pagination a[rel=next]")["href"]
    assert f"method={method.pk}" in next_link and "page=2" in next_link
    second = client.get("/cases/" + next_link)
    assert all("当庭履行" in item.get_text() for item in soup_of(second).select(".case-item__facts"))


@pytest.mark.parametrize(
    "params",
    [
        {"cause": "abc"},
        {"cause": "999999"},
        {"year": "二〇二五"},
        {"court": "-1"},
        {"method": "1 OR 1=1"},
        {"page": "abc"},
        {"page": "0"},
        {"cause": "9" * 40},
        # Were 500s: no such year for a date lookup, and a digit int() does not read.
        {"year": "0"},
        {"year": "764360326"},
        {"year": "²"},
        {"court": "²"},
    ],
)
def test_unknown_or_malformed_filters_are_ignored(client, index, params):
    response = client.get("/cases/", params)
    assert response.status_code == 200
    titles = listed_titles(response)
    if params.get("cause") == "999999":
        assert titles == [] and "没有符合条件的案例" in response.content.decode()
    else:
        assert len(titles) == 10


def test_page_out_of_range_shows_the_last_page(client, index):
    response = client.get("/cases/", {"page": 99})
    assert response.status_code == 200
    assert "第 2 页 / 共 2 页" in response.content.decode()
    assert len(listed_titles(response)) == 4


def test_case_page_sections_facts_related_and_breadcrumbs(client, index):
    case = TypicalCasePage.objects.filter(cause__name="民间借贷纠纷", show_case_number=False).first()
    response = client.get(case.url)
    assert response.status_code == 200
    soup = soup_of(response)
    assert [h.get_text(strip=True) for h in soup.select(".case-section h2")] == [
        "基本案情",
        "履行情况",
        "典型意义",
    ]
    facts = soup.select_one("dl.facts").get_text(" ", strip=True)
    for text in (case.court.name, case.cause.name, case.method.name, "裁判日期", "履行日期"):
        assert text in facts
    assert case.case_number not in response.content.decode()  # 公开案号 not ticked
    related = [a.get_text(strip=True) for a in soup.select(".related a")]
    assert related and all("民间借贷纠纷" in title for title in related) and case.title not in related
    crumbs = [a.get_text(strip=True) for a in soup.select("nav.breadcrumbs a")]
    assert crumbs == ["首页", "典型案例"]
    assert soup.find("link", attrs={"media": "print"})


def test_case_number_shown_only_when_the_editor_ticks_it(client, index):
    hidden = make_case(
        index, "甲公司诉乙公司买卖合同纠纷案", cause="买卖合同纠纷", case_number="（2025）黑0902民初501号"
    )
    shown = make_case(
        index,
        "丙公司诉丁公司买卖合同纠纷案",
        cause="买卖合同纠纷",
        case_number="（2025）黑0902民初502号",
        show_case_number=True,
    )
    assert "（2025）黑0902民初501号" not in client.get(hidden.url).content.decode()
    assert "（2025）黑0902民初502号" in client.get(shown.url).content.decode()
    feed = client.get("/cases/feed/").content.decode()
    assert "（2025）黑0902民初501号" not in feed and "（2025）黑0902民初502号" in feed


def test_case_number_is_normalised_and_dates_checked_on_save(index):
    from django.core.exceptions import ValidationError

    page = TypicalCasePage(
        title="戊某诉己某离婚纠纷案",
        case_number="(2025) 黑0903 民初 88号",
        court=Court.objects.get(code="黑0903"),
        cause=CauseOfAction.objects.get(name="离婚纠纷"),
        method=PerformanceMethod.objects.get(name="当庭履行"),
        judgment_date=datetime.date(2025, 5, 1),
        performance_date=datetime.date(2025, 5, 1),
    )
    page.clean()
    assert page.case_number == "（2025）黑0903民初88号"
    page.performance_date = datetime.date(2025, 4, 1)
    with pytest.raises(ValidationError, match="履行日期不能早于裁判日期"):
        page.clean()
    page.performance_date = datetime.date(2025, 5, 1)
    page.case_number = "（2025）黑0903民X88号"
    with pytest.raises(ValidationError, match="案件类型"):
        page.full_clean(
            exclude=["path", "depth", "slug", "content_type", "url_path", "draft_title", "locale"]
        )


def test_unpublished_case_leaves_the_list_and_the_feed(client, index):
    case = TypicalCasePage.objects.live().first()
    case.unpublish()
    assert case.title not in listed_titles(client.get("/cases/", {"page": 1})) + listed_titles(
        client.get("/cases/", {"page": 2})
    )
    assert case.title not in client.get("/cases/feed/").content.decode()
    assert client.get(case.url or f"/cases/{case.slug}/").status_code == 404


def test_news_list_detail_and_feed(client, demo_content):
    response = client.get("/news/")
    assert response.status_code == 200
    articles = list(ArticlePage.objects.live().order_by("-date"))
    titles = [a.get_text(strip=True) for a in soup_of(response).select(".news-item h2 a")]
    assert titles == [article.title for article in articles]
    detail = client.get(articles[0].url)
    assert detail.status_code == 200
    assert articles[0].lead in detail.content.decode()

    feed = ET.fromstring(client.get("/news/feed/").content)
    assert [item.findtext("title") for item in feed.iter("item")] == titles
    cases_feed = ET.fromstring(client.get("/cases/feed/").content)
    case_items = list(cases_feed.iter("item"))
    assert len(case_items) == 14
    assert all(item.findtext("link").startswith("http://testserver/cases/") for item in case_items)


def test_demo_content_meets_the_issue(demo_content):
    cases = TypicalCasePage.objects.live()
    assert cases.count() >= 12
    assert cases.values("cause").distinct().count() >= 5
    assert cases.values("method").distinct().count() >= 4
    assert cases.values("court").distinct().count() >= 3
    assert ArticlePage.objects.live().count() >= 5
