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
