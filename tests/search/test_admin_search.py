"""The Wagtail admin's searches find Chinese words inside Chinese text (search/wagtail_backend.py).

Pages are created and published through Wagtail's API, which indexes them as a deployment
does: the post_save signal enqueues modelsearch's index task, and the `ImmediateBackend` of
django_tasks runs it at once, inside the same transaction (no on_commit), so the index is
current within these rollback tests. `manage.py update_index` (what a deployment runs once
after switching backends) is exercised on its own.
"""

import io

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from portal.models import StandardPage
from search import segment, wagtail_backend
from tests.staff import log_in_verified

pytestmark = pytest.mark.django_db

PAGE_SEARCH = "/admin/pages/search/"
CHOOSER_SEARCH = "/admin/choose-page/search/"

LENDING_CASES = {"李某诉杨某民间借贷纠纷案", "高某诉郑某民间借贷纠纷案", "邵某诉彭某民间借贷纠纷案"}
# A news article with 民间借贷 in its body only (publicity/demo_data.py).
LENDING_IN_BODY_ONLY = "七台河中院印发《关于推行生效裁判自动履行激励机制的实施方案》"

STRANGE_QUERIES = [
    '"',
    '""',
    '借贷"',
    '"民间借贷',
    "'",
    "OR AND NOT",
    "NOT 借贷",
    "借贷 OR",
    "-借贷",
    "借贷*",
    "*",
    "(借贷",
    "NEAR(借贷 履行)",
    "{title}: 借贷",
    "title:借贷",
    "^借贷",
    "\\",
    "%",
    "!!!",
    "。，、；",
    "😀",
    "借贷😀纠纷",
    "ＡＢＣ１２３",
    "借贷" * 5000,
    "".join(chr(0x4E00 + (i * 37) % 20000) for i in range(10000)),
    "民间借贷纠纷 " * 1500,
]


def titles(response):
    assert response.status_code == 200
    return {page.title for page in response.context["pages"]}


def superuser():
    return get_user_model().objects.create_superuser("root", "root@court.invalid", "correct-horse-battery")


@pytest.fixture
def demo_admin(client, demo_content):
    """The admin client of the demo superuser, over the demo pages `make run` loads."""
    log_in_verified(client, get_user_model().objects.get(username="admin"))
    return client


@pytest.fixture
def admin(client, db):
    log_in_verified(client, superuser())
    return client


def publish(parent, **fields):
    page = StandardPage(**fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def guide(home_page):
    """A page with 民间借贷 in its body only, published as an editor publishes."""
    return publish(
        home_page,
        title="诉讼费交纳指南",
        slug="fee-guide",
        intro="案件受理费按诉讼请求的金额计算。",
        body=[{"type": "paragraph", "value": "<p>民间借贷纠纷案件，自动履行的可以申请减免诉讼费。</p>"}],
    )


# --- the demo content -----------------------------------------------------------------------


def test_page_search_finds_a_word_in_titles_and_in_bodies(demo_admin):
    found = titles(demo_admin.get(PAGE_SEARCH, {"q": "借贷"}))
    assert found >= LENDING_CASES | {LENDING_IN_BODY_ONLY}
    # The article is found by its body, not its title.
    article = Page.objects.get(title=LENDING_IN_BODY_ONLY).specific
    assert "借贷" not in article.title and "民间借贷" in str(article.body)
    assert "赵某诉孙某离婚纠纷案" not in found


def test_page_search_finds_a_word_in_the_middle_of_a_longer_word(demo_admin):
    for query, title in [
        ("借贷", "李某诉杨某民间借贷纠纷案"),  # 民间借贷纠纷
        ("交通", "马某诉何某机动车交通事故责任纠纷案"),  # 机动车交通事故责任纠纷
        ("金融借款", "某银行七台河分行诉某建设集团有限公司金融借款合同纠纷案"),
        ("民间借贷纠纷", "高某诉郑某民间借贷纠纷案"),
    ]:
        assert title in titles(demo_admin.get(PAGE_SEARCH, {"q": query})), query


def test_page_search_without_matches_shows_the_chinese_empty_state(admin, guide):
    response = admin.get(PAGE_SEARCH, {"q": "量子纠缠"})
    assert titles(response) == set()
    assert "对不起，没有符合<em>量子纠缠</em>的页面" in response.content.decode()


# --- pages published through Wagtail's API ----------------------------------------------------


def test_published_page_is_found_by_a_word_in_its_body(admin, guide):
    assert "借贷" not in guide.title
    assert guide.title in titles(admin.get(PAGE_SEARCH, {"q": "借贷"}))
    assert guide.title in titles(admin.get(PAGE_SEARCH, {"q": "减免 借贷"}))
    assert guide.title not in titles(admin.get(PAGE_SEARCH, {"q": "减免 离婚"}))


def test_edited_and_deleted_pages_leave_the_index(admin, guide):
    guide.body = [{"type": "paragraph", "value": "<p>离婚纠纷案件的诉讼费。</p>"}]
    guide.save_revision().publish()
    assert guide.title not in titles(admin.get(PAGE_SEARCH, {"q": "借贷"}))
    assert guide.title in titles(admin.get(PAGE_SEARCH, {"q": "离婚"}))

    guide.delete()
    assert titles(admin.get(PAGE_SEARCH, {"q": "离婚"})) == set()


def test_full_width_letters_and_case_match_their_half_width_forms(admin, home_page):
    page = publish(home_page, title="ＷＡＧＴＡＩＬ后台使用说明", slug="admin-guide", intro="", body=[])
    assert page.title in titles(admin.get(PAGE_SEARCH, {"q": "wagtail"}))
    assert page.title in titles(admin.get(PAGE_SEARCH, {"q": "Ｗagtail 后台"}))


@pytest.mark.parametrize("query", STRANGE_QUERIES, ids=range(len(STRANGE_QUERIES)))
def test_odd_queries_answer_without_error(admin, guide, query):
    assert admin.get(PAGE_SEARCH, {"q": query}).status_code == 200
    assert admin.get(CHOOSER_SEARCH, {"q": query}).status_code == 200


def test_quoted_words_and_a_pasted_paragraph_still_find_the_page(admin, guide):
    assert guide.title in titles(admin.get(PAGE_SEARCH, {"q": '"民间借贷"'}))
    assert guide.title in titles(admin.get(PAGE_SEARCH, {"q": "民间借贷纠纷案件 " * 1500}))


# --- the page chooser -------------------------------------------------------------------------


def test_page_chooser_finds_words_and_prefixes_of_words(admin, guide):
    assert guide.title in titles(admin.get(CHOOSER_SEARCH, {"q": "借贷"}))
    # As the editor types: 民间借 is 民间 and the beginning of 借贷.
    assert guide.title in titles(admin.get(CHOOSER_SEARCH, {"q": "民间借"}))
    assert guide.title in titles(admin.get(CHOOSER_SEARCH, {"q": "诉讼费交"}))
    assert guide.title not in titles(admin.get(CHOOSER_SEARCH, {"q": "量子"}))


# --- other admin listings -------------------------------------------------------------------


def test_image_listing_search_finds_a_word_inside_the_title(admin):
    image = wagtail_factories.ImageFactory(title="民间借贷纠纷庭审现场")
    other = wagtail_factories.ImageFactory(title="院机关办公楼外景")
    html = admin.get("/admin/images/", {"q": "借贷"}).content.decode()
    assert image.title in html and other.title not in html


# --- rebuilding the index (deployment) --------------------------------------------------------


def test_update_index_rebuilds_text_indexed_before_the_switch(admin, guide, settings):
    """What a deployment sees: an index written by Wagtail's stock database backend does not
    find 借贷 in a body until `manage.py update_index` has run with this backend."""
    segmented = settings.WAGTAILSEARCH_BACKENDS
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    settings.WAGTAILSEARCH_BACKENDS = segmented
    assert guide.title not in titles(admin.get(PAGE_SEARCH, {"q": "借贷"}))

    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert guide.title in titles(admin.get(PAGE_SEARCH, {"q": "借贷"}))


def test_make_run_on_a_database_indexed_before_the_switch_rebuilds_the_index(demo_admin, settings):
    """`make run` on a development database loaded earlier: load_demo creates nothing and
    rebuilds the admin search index, so the demo is searchable."""
    segmented = settings.WAGTAILSEARCH_BACKENDS
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    settings.WAGTAILSEARCH_BACKENDS = segmented
    assert LENDING_IN_BODY_ONLY not in titles(demo_admin.get(PAGE_SEARCH, {"q": "借贷"}))

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "演示内容已存在，未作改动" in out.getvalue() and "后台搜索索引已重建" in out.getvalue()
    assert LENDING_IN_BODY_ONLY in titles(demo_admin.get(PAGE_SEARCH, {"q": "借贷"}))


# --- the query expressions --------------------------------------------------------------------


def test_settings_use_this_backend_for_the_admin():
    from django.conf import settings

    assert settings.WAGTAILSEARCH_BACKENDS == {"default": {"BACKEND": "search.wagtail_backend"}}


def test_query_expressions_quote_every_token():
    terms = [('a"b', []), ("借贷纠纷", ["借贷", "纠纷"]), ("河", [])]
    assert wagtail_backend._fts5(terms) == '("a""b" AND ("借贷纠纷" OR ("借贷" AND "纠纷")) AND "河"*)'
    assert wagtail_backend._tsquery(terms, operator="or") == (
        "('a\"b' | ('借贷纠纷' | ('借贷' & '纠纷')) | '河':*)"
    )
    # Autocomplete: the last word, and the last of its subwords, are prefixes.
    assert wagtail_backend._fts5(terms[1:2], last_is_prefix=True) == '(("借贷纠纷"* OR ("借贷" AND "纠纷"*)))'
    # No tokens: a query that matches nothing.
    assert wagtail_backend._fts5(segment.query_terms("。！")) == '""'
    assert wagtail_backend._tsquery([]) == "('x' & !'x')"


def test_long_queries_keep_their_first_words():
    text = "".join(chr(0x4E00 + (i * 37) % 20000) for i in range(10000))
    assert len(wagtail_backend._terms(text)) == wagtail_backend.MAX_QUERY_WORDS


# --- PostgreSQL -------------------------------------------------------------------------------


@pytest.mark.postgres
def test_admin_search_on_postgresql(demo_admin):
    found = titles(demo_admin.get(PAGE_SEARCH, {"q": "借贷"}))
    assert found >= LENDING_CASES | {LENDING_IN_BODY_ONLY}
    assert "赵某诉孙某离婚纠纷案" not in found
    assert "马某诉何某机动车交通事故责任纠纷案" in titles(demo_admin.get(PAGE_SEARCH, {"q": "交通"}))
    assert titles(demo_admin.get(CHOOSER_SEARCH, {"q": "民间借"})) >= LENDING_CASES
    empty = demo_admin.get(PAGE_SEARCH, {"q": "量子纠缠"})
    assert titles(empty) == set()
    assert "对不起，没有符合<em>量子纠缠</em>的页面" in empty.content.decode()
    for query in STRANGE_QUERIES:
        assert demo_admin.get(PAGE_SEARCH, {"q": query}).status_code == 200, query
        assert demo_admin.get(CHOOSER_SEARCH, {"q": query}).status_code == 200, query
