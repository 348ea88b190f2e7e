"""Courts and causes of action: loaded by migrations, edited by staff in the admin."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from portal.models import CauseOfAction, Court
from tests.factories import ApplicationFactory, ListBatchFactory, NominationFactory, UserFactory
from tests.staff import log_in_verified

pytestmark = pytest.mark.django_db

COURTS = {
    "黑09": "七台河市中级人民法院",
    "黑0902": "七台河市新兴区人民法院",
    "黑0903": "七台河市桃山区人民法院",
    "黑0904": "七台河市茄子河区人民法院",
    "黑0921": "勃利县人民法院",
}


def test_the_five_courts_are_loaded_with_their_case_number_codes():
    assert dict(Court.objects.values_list("code", "name")) == COURTS
    assert list(Court.objects.values_list("code", flat=True)) == list(COURTS)  # ordered as listed
    assert Court.objects.get(code="黑09").level == Court.Level.INTERMEDIATE
    assert set(Court.objects.exclude(code="黑09").values_list("level", flat=True)) == {Court.Level.BASIC}


def test_causes_of_action_named_by_the_plan_are_loaded():
    names = set(CauseOfAction.objects.values_list("name", flat=True))
    for cause in (
        "民间借贷纠纷",
        "买卖合同纠纷",
        "劳动争议",
        "离婚纠纷",
        "赡养纠纷",
        "物业服务合同纠纷",
        "机动车交通事故责任纠纷",
        "金融借款合同纠纷",
        "租赁合同纠纷",
        "建设工程施工合同纠纷",
        "追索劳动报酬纠纷",
    ):
        assert cause in names


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    log_in_verified(client, user)
    return client


def test_staff_find_a_court_in_the_admin_by_a_chinese_fragment(admin_client):
    response = admin_client.get("/admin/snippets/portal/court/", {"q": "勃利"})
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select("table.listing tbody tr")
    assert len(rows) == 1
    assert "勃利县人民法院" in rows[0].get_text()


def test_staff_edit_a_court_in_the_admin(admin_client):
    court = Court.objects.get(code="黑0921")
    response = admin_client.post(
        f"/admin/snippets/portal/court/edit/{court.pk}/",
        {
            "name": "勃利县人民法院（更名测试）",
            "code": "黑0921",
            "level": "basic",
            "sort_order": 50,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    court.refresh_from_db()
    assert court.name == "勃利县人民法院（更名测试）"


def test_a_bad_court_code_is_refused_in_chinese_and_changes_nothing(admin_client):
    court = Court.objects.get(code="黑0921")
    response = admin_client.post(
        f"/admin/snippets/portal/court/edit/{court.pk}/",
        {"name": "勃利县人民法院", "code": "黑921", "level": "basic", "sort_order": 50, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "案号代字应为省份简称加 2 位或 4 位数字" in response.content.decode()
    court.refresh_from_db()
    assert court.code == "黑0921"


def test_a_duplicate_cause_is_refused(admin_client):
    before = CauseOfAction.objects.count()
    response = admin_client.post(
        "/admin/snippets/portal/causeofaction/add/",
        {"name": "民间借贷纠纷", "category": "合同纠纷", "sort_order": 1, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "已存在" in response.content.decode()
    assert CauseOfAction.objects.count() == before


def test_a_courts_usage_page_links_what_refers_to_it_to_where_staff_work_on_it(admin_client):
    # As on a running server: the admin (whose viewsets register the models whose references
    # Wagtail indexes) is loaded before the records are saved.
    reverse("wagtailadmin_home")
    court = Court.objects.get(code="黑0902")
    batch = ListBatchFactory(court=court)
    application = ApplicationFactory(court=court)
    NominationFactory(court=court)
    response = admin_client.get(f"/admin/snippets/portal/court/usage/{court.pk}/")
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select("tbody tr")
    links = {row.select_one("td a")["href"] for row in rows if row.select_one("td a")}
    # The batch and the application open on their own pages; a candidate has none.
    assert links == {
        f"/admin/honorroll/batches/{batch.pk}/manage/",
        f"/admin/intake/applications/{application.pk}/review/",
    }
    assert len(rows) == 3
