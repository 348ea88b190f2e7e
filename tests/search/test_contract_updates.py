"""The contract's publication half on both backends: publishing and unpublishing reach the
index after the commit (each test loads its own corpus; see test_contract.py for the rest)."""

import pytest

from publicity.models import TypicalCasePage
from tests.search.test_contract import DIVORCE, SUPPORT, run, titles

pytestmark = pytest.mark.django_db


def test_unpublish_removes_a_case(fresh_backend, django_capture_on_commit_callbacks):
    backend = fresh_backend
    page = TypicalCasePage.objects.get(title=DIVORCE)
    before = run(backend, "离婚")
    assert DIVORCE in titles(before)
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    after = run(backend, "离婚")
    assert DIVORCE not in titles(after)
    assert after.total == before.total - 1


def test_publish_makes_a_new_case_findable(fresh_backend, django_capture_on_commit_callbacks):
    backend = fresh_backend
    page = TypicalCasePage.objects.get(title=SUPPORT)
    page.title = "周某某诉吴某赡养纠纷案（鹦鹉螺）"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    found = run(backend, "鹦鹉螺")
    assert titles(found) == ["周某某诉吴某赡养纠纷案（鹦鹉螺）"]
    assert "<mark>鹦鹉螺</mark>" in found.hits[0].title_html


def test_a_page_made_private_leaves_the_results_and_comes_back_when_public(
    fresh_backend, django_capture_on_commit_callbacks
):
    from wagtail.models import BaseViewRestriction, PageViewRestriction

    backend = fresh_backend
    page = TypicalCasePage.objects.get(title=DIVORCE)
    before = run(backend, "离婚")
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=page.get_parent(), restriction_type=BaseViewRestriction.PASSWORD, password="s3cret-pass"
        )
    hidden = run(backend, "离婚")
    assert DIVORCE not in titles(hidden) and hidden.total < before.total  # not counted either
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    again = run(backend, "离婚")
    assert DIVORCE in titles(again) and again.total == before.total
