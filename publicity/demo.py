"""Demo typical cases and news for `manage.py load_demo` (idempotent: found by slug/title)."""

from django.utils.text import slugify

from portal.models import CauseOfAction, Court
from publicity.demo_data import NEWS_ITEMS, TYPICAL_CASES
from publicity.importing import paragraphs_to_html
from publicity.models import (
    ArticlePage,
    NewsIndexPage,
    PerformanceMethod,
    TypicalCaseIndexPage,
    TypicalCasePage,
)

CASES_INTRO = "本院及辖区法院自动履行生效裁判的典型案例，可按案由、履行方式、年份和法院筛选。"
NEWS_INTRO = "自动履行激励机制相关的工作动态与宣传报道。"


def _index(home, model, title, slug, intro):
    index = model.objects.child_of(home).first()
    if index is not None:
        return index, []
    index = model(title=title, slug=slug, intro=intro)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index, [title]


def _publish_under(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()


def load(home):
    """Create what is missing; return the names of what was created."""
    created = []
    cases, made = _index(home, TypicalCaseIndexPage, "典型案例", "cases", CASES_INTRO)
    created += made
    news, made = _index(home, NewsIndexPage, "新闻动态", "news", NEWS_INTRO)
    created += made

    new_cases = 0
    for number, case in enumerate(TYPICAL_CASES, start=1):
        if TypicalCasePage.objects.filter(title=case["title"]).exists():
            continue
        body = [
            ("section", {"heading": heading, "text": paragraphs_to_html("\n".join(case[key]))})
            for heading, key in (
                ("基本案情", "facts"),
                ("履行情况", "performance"),
                ("典型意义", "significance"),
            )
        ]
        page = TypicalCasePage(
            title=case["title"],
            slug=f"case-{number}",
            case_number=case["case_number"],
            show_case_number=case["show_case_number"],
            court=Court.objects.get(code=case["court_code"]),
            cause=CauseOfAction.objects.get(name=case["cause"]),
            method=PerformanceMethod.objects.get(name=case["method"]),
            judgment_date=case["judgment_date"],
            performance_date=case["performance_date"],
            amount=case["amount"],
            keywords=case["keywords"],
            body=body,
        )
        _publish_under(cases, page)
        new_cases += 1
    if new_cases:
        created.append(f"典型案例 {new_cases} 个")

    new_articles = 0
    # Oldest first, so that "latest" (by publication) on the home page follows the dates.
    for number, item in enumerate(sorted(NEWS_ITEMS, key=lambda item: item["date"]), start=1):
        if ArticlePage.objects.filter(title=item["title"]).exists():
            continue
        page = ArticlePage(
            title=item["title"],
            slug=slugify(f"news-{item['date']:%Y%m%d}-{number}"),
            date=item["date"],
            source=item["source"],
            lead=item["lead"],
            body=[("paragraph", paragraphs_to_html("\n".join(item["paragraphs"])))],
        )
        _publish_under(news, page)
        new_articles += 1
    if new_articles:
        created.append(f"新闻 {new_articles} 篇")
    return created
