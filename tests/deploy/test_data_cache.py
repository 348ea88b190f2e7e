"""The per-process data cache of public pages (``portal.caching.remembered``), on as in
production: a page not yet in the page cache (a new query string, the first visit after a
change) reads the site, its route, the site settings and the filter tables from it, and a
visitor never sees them stale after a change.

Each change is made after a first visit (which fills both caches). The page is then asked
as it was (what the page cache answers) and with a query string never asked before
(``?v=N``): the page cache cannot answer that one, so only a data cache forgotten with the
change gives the right content. ``page_cache`` comes first among the fixtures, so that the
demo content's own commits renew the test's stamp, not the project's.
"""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import PageViewRestriction, Site

from honorroll import corrections
from honorroll.models import ListBatch
from portal.models import CauseOfAction, CourtSiteSettings, StandardPage
from publicity.models import TypicalCaseIndexPage, TypicalCasePage
from tests.factories import second_list_manager
from tests.publicity.test_cases import facet, soup_of

pytestmark = pytest.mark.django_db

# The change goes through transaction.on_commit (a new content generation): only a test
# whose changes really commit sees it; the migrations' data is restored afterwards.
COMMITTED = pytest.mark.django_db(transaction=True, serialized_rollback=True)

_fresh = itertools.count(1)


def fresh(path):
    """The path with a query string never asked before: not in the page cache."""
    return f"{path}{'&' if '?' in path else '?'}v={next(_fresh)}"


def visit(path):
    """GET as a new anonymous visitor (no cookies)."""
    return Client().get(path)


def both(path):
    """The answers for the path as kept (the page cache) and with a new query string."""
    return [visit(path), visit(fresh(path))]


def heading(response):
    return soup_of(response).find("h1").get_text(strip=True)


def case_fact(response, term):
    """The value of one fact (法院, 案由, …) of a case page."""
    soup = soup_of(response)
    for row in soup.select("dl.facts div"):
        if row.find("dt").get_text(strip=True) == term:
            return row.find("dd").get_text(strip=True)
    raise AssertionError(f"no fact {term!r} on the page")


def case_count(response):
    return soup_of(response).select_one(".results__count").get_text(strip=True)


def listed_titles(response):
    return [a.get_text(strip=True) for a in soup_of(response).select(".case-item h3 a")]


def related_titles(response):
    return [a.get_text(strip=True) for a in soup_of(response).select(".related a")]


def breadcrumbs(response):
    return [a.get_text(strip=True) for a in soup_of(response).select("nav.breadcrumbs a")]


def court_in_header(response):
    return soup_of(response).select_one(".site-brand__court").get_text(strip=True)


def is_password_form(response):
    soup = soup_of(response)
    return response.status_code == 200 and soup.find("input", attrs={"type": "password"}) is not None


def honor_roll_causes(response):
    return [option.get_text(strip=True) for option in soup_of(response).select("select[name=cause] option")]


def live_cases():
    return TypicalCasePage.objects.live().select_related("court", "cause", "method")


# ---------------------------------------------------------------------------------------


def test_a_page_not_yet_kept_is_answered_from_the_data_cache(
    page_cache, demo_content, django_assert_max_num_queries
):
    case = live_cases().first()
    for path in (case.url, "/cases/"):
        assert visit(path).status_code == 200  # reads what every page shares, once

    with django_assert_max_num_queries(2):
        page = visit(fresh(case.url))
    assert page.status_code == 200
    assert heading(page) == case.title
    assert case_fact(page, "案由") == case.cause.name
    assert case_fact(page, "法院") == case.court.name
    assert breadcrumbs(page) == ["首页", "典型案例"]

    with django_assert_max_num_queries(2):
        listing = visit(f"/cases/?cause={case.cause.pk}&method={case.method.pk}")
    in_both = live_cases().filter(cause=case.cause, method=case.method).count()
    assert listing.status_code == 200
    assert case_count(listing) == f"共 {in_both} 个案例"
    assert case.title in listed_titles(listing)
    # Each facet counts with the other filters applied.
    assert facet(listing, "案由")[case.cause.name][:2] == (in_both, True)
    assert facet(listing, "履行方式")[case.method.name][:2] == (in_both, True)
    assert facet(listing, "年份")[f"{case.judgment_date.year}年"][0] == in_both


@COMMITTED
def test_a_renamed_cause_shows_on_its_cases_and_in_the_case_filters(page_cache, demo_content):
    case = live_cases().first()
    cause = case.cause
    old_name = cause.name
    for response in both(case.url):
        assert case_fact(response, "案由") == old_name
    for response in both("/cases/"):
        assert old_name in facet(response, "案由")

    cause.name = "更名后的案由"
    cause.save()

    for response in both(case.url):
        assert case_fact(response, "案由") == "更名后的案由"
    for response in both("/cases/"):
        causes = facet(response, "案由")
        assert "更名后的案由" in causes and old_name not in causes
        assert causes["更名后的案由"][0] == live_cases().filter(cause=cause).count()


@COMMITTED
def test_a_password_on_the_case_list_hides_its_cases_until_it_is_removed(page_cache, demo_content):
    index = TypicalCaseIndexPage.objects.get()
    case = live_cases().filter(cause__name="民间借贷纠纷").first()
    search = "/search/?q=" + "借贷"
    for response in [*both(case.url), *both("/cases/")]:
        assert response.status_code == 200 and not is_password_form(response)
    for response in both(search):
        assert case.title in listed_titles(response)

    restriction = PageViewRestriction.objects.create(
        page=index, restriction_type=PageViewRestriction.PASSWORD, password="mima-2025"
    )

    for response in [*both(case.url), *both("/cases/")]:
        assert is_password_form(response)
        assert case.title not in response.content.decode()
    titles = set(live_cases().values_list("title", flat=True))
    for response in both(search):
        assert response.status_code == 200
        assert not titles.intersection(listed_titles(response))

    restriction.delete()

    for response in both(case.url):
        assert not is_password_form(response) and heading(response) == case.title
    for response in both("/cases/"):
        assert not is_password_form(response)
        assert case_count(response) == f"共 {live_cases().count()} 个案例"
    for response in both(search):
        assert case.title in listed_titles(response)


@COMMITTED
def test_a_moved_page_answers_at_its_new_address_and_no_longer_at_the_old_one(page_cache, demo_content):
    page = StandardPage.objects.get(slug="how-to-apply")
    target = StandardPage.objects.get(slug="about")
    old_url = page.url
    for response in both(old_url):
        assert response.status_code == 200 and heading(response) == page.title
    assert visit(fresh("/about/how-to-apply/")).status_code == 404

    page.move(target, pos="last-child")
    page.refresh_from_db()
    assert page.url == "/about/how-to-apply/"

    # No page answers there any more (the route kept for the old address would show it):
    # the redirect Wagtail creates on a move sends the visitor on.
    for response in both(old_url):
        assert response.status_code == 301
        assert response["Location"] == page.url
    for response in both(page.url):
        assert response.status_code == 200
        assert heading(response) == page.title
        assert page.intro in response.content.decode()
        assert breadcrumbs(response) == ["首页", target.title]


@COMMITTED
def test_an_unpublished_case_is_gone_from_its_page_the_list_and_related_cases(page_cache, demo_content):
    # The newest case of a cause with several: every other case of it lists it as related.
    cause = next(c for c in CauseOfAction.objects.all() if live_cases().filter(cause=c).count() >= 2)
    case, other = live_cases().filter(cause=cause).order_by("-performance_date", "-pk")[:2]
    total = live_cases().count()
    for response in both(case.url):
        assert response.status_code == 200
    for response in both("/cases/"):
        assert case_count(response) == f"共 {total} 个案例"
    for response in both(f"/cases/?cause={cause.pk}"):
        assert case.title in response.content.decode()
    for response in both(other.url):
        assert case.title in related_titles(response)

    case.refresh_from_db()
    case.unpublish()

    for response in both(case.url):
        assert response.status_code == 404
    for response in both("/cases/"):
        assert case_count(response) == f"共 {total - 1} 个案例"
    for response in both(f"/cases/?cause={cause.pk}"):
        assert case.title not in response.content.decode()
        assert facet(response, "案由")[cause.name][0] == live_cases().filter(cause=cause).count()
    for response in both(other.url):
        assert response.status_code == 200
        assert case.title not in related_titles(response)


@COMMITTED
def test_a_deleted_case_is_gone_from_its_page_and_the_list(page_cache, demo_content):
    case = live_cases().first()
    total = live_cases().count()
    for response in both(case.url):
        assert response.status_code == 200
    for response in both("/cases/"):
        assert case_count(response) == f"共 {total} 个案例"

    TypicalCasePage.objects.get(pk=case.pk).delete()

    for response in both(case.url):
        assert response.status_code == 404
    for response in both("/cases/"):
        assert case_count(response) == f"共 {total - 1} 个案例"
        assert case.title not in listed_titles(response)


@COMMITTED
def test_a_new_court_name_in_the_site_settings_shows_on_every_page(page_cache, demo_content):
    case = live_cases().first()
    settings = CourtSiteSettings.for_site(Site.objects.get(is_default_site=True))
    for path in ("/", case.url):
        for response in both(path):
            assert court_in_header(response) == settings.court_name

    settings.court_name = "七台河市测试更名人民法院"
    settings.save()

    for path in ("/", case.url, "/cases/"):
        for response in both(path):
            assert court_in_header(response) == "七台河市测试更名人民法院"
            assert "七台河市测试更名人民法院" in soup_of(response).find("title").get_text()


@COMMITTED
def test_a_renamed_case_list_shows_in_the_breadcrumbs_of_its_cases(page_cache, demo_content):
    index = TypicalCaseIndexPage.objects.get()
    case = live_cases().first()
    for response in both(case.url):
        assert breadcrumbs(response) == ["首页", "典型案例"]

    index.title = "自动履行典型案例"
    index.save_revision().publish()

    for response in both(case.url):
        assert breadcrumbs(response) == ["首页", "自动履行典型案例"]
    for response in both("/cases/"):
        assert heading(response) == "自动履行典型案例"


@COMMITTED
def test_an_entry_removed_on_objection_leaves_the_batch_filters(page_cache, demo_content):
    batch = ListBatch.objects.get(status=ListBatch.Status.PUBLISHED)
    entries = batch.entries.filter(removed_at__isnull=True)
    # The demo batch's only entry of its cause.
    entry = next(e for e in entries if entries.filter(cause=e.cause).count() == 1)
    cause = entry.cause.name
    detail = f"/honor-roll/{batch.pk}/"
    for response in both(detail):
        assert cause in honor_roll_causes(response)
        assert entry.public_name in response.content.decode()

    manager = get_user_model().objects.get(username="mingdan")
    objection = corrections.record_objection(
        entry, requested_by="本人", reason="案件已再审改判。", actor=manager
    )
    corrections.decide_objection(
        objection, upheld=True, note="经核实，异议成立。", actor=second_list_manager()
    )

    for response in both(detail):
        assert entry.public_name not in response.content.decode()
        causes = honor_roll_causes(response)
        assert cause not in causes
        assert sorted(causes[1:]) == sorted({e.cause.name for e in entries.exclude(pk=entry.pk)})


def test_made_up_addresses_are_answered_404_and_not_kept(page_cache, demo_content):
    visit("/")  # the site and its settings are kept
    kept = len(page_cache._cache)
    for n in range(20):
        assert visit(f"/no-such-page-{n}/").status_code == 404
        assert visit(f"/cases/no-such-case-{n}/").status_code == 404
    # 404 answers are not pages to keep, and a path that leads to no page keeps no route:
    # made-up addresses cannot push the real pages out of the cache.
    assert len(page_cache._cache) == kept
