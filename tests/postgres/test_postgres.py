"""The same schema and data round trips on PostgreSQL, the production database.

`make test` runs these against a private cluster (scripts/with-postgres.sh); on any
other database they skip with that reason.
"""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portal.models import CauseOfAction, Court, CourtSiteSettings, StandardPage
from tests.factories import StandardPageFactory
from tests.staff import log_in_verified

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PROJECT_APPS = ("portal", "publicity", "honorroll", "intake", "search")


def test_every_migration_of_every_app_is_applied_on_postgresql():
    assert connection.vendor == "postgresql"
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    applied = {app for app, _name in executor.loader.applied_migrations}
    assert "portal" in applied
    for label in PROJECT_APPS:
        assert apps.get_app_config(label)  # installed, whether or not it has models yet


def test_reference_data_and_groups_are_loaded_by_migrations():
    assert Court.objects.count() == 5
    assert Court.objects.get(code="黑0904").name == "七台河市茄子河区人民法院"
    assert CauseOfAction.objects.filter(name="机动车交通事故责任纠纷").exists()


def test_portal_round_trip_pages_settings_and_reference_data(client):
    call_command("load_demo", stdout=io.StringIO())
    court = Court.objects.create(name="七台河市测试人民法院", code="黑0999", level="basic")
    assert Court.objects.get(pk=court.pk).code == "黑0999"

    home = StandardPage.objects.get(slug="about").get_parent()
    page = StandardPageFactory(
        parent=home,
        slug="pg-round-trip",
        title="张某诉某公司民间借贷纠纷案",
        body=[("heading", {"text": "基本案情", "level": "h2"}), ("paragraph", "<p>被告当庭履行完毕。</p>")],
    )
    stored = StandardPage.objects.get(pk=page.pk)
    assert stored.body[0].value["text"] == "基本案情"
    response = client.get("/pg-round-trip/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "张某诉某公司民间借贷纠纷案" in body and "被告当庭履行完毕。" in body

    settings = CourtSiteSettings.for_site(home.get_site())
    settings.hotline = "0464-12368"
    settings.save()
    assert "0464-12368" in client.get("/").content.decode()


def test_chinese_fragment_search_in_the_admin_works_on_postgresql(client):
    from tests.factories import UserFactory

    log_in_verified(client, UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get("/admin/snippets/portal/court/", {"q": "茄子河"})
    assert response.status_code == 200
    assert "七台河市茄子河区人民法院" in response.content.decode()
    assert "勃利县人民法院" not in response.content.decode()


def test_publicity_round_trip_import_publish_filter(client):
    """Import a case on PostgreSQL, publish it, and find it through the combined filters."""
    from django.contrib.auth import get_user_model

    from publicity.importing import COLUMNS, import_sheet, read_dataset
    from publicity.models import TypicalCaseIndexPage, TypicalCasePage

    call_command("load_demo", stdout=io.StringIO())
    index = TypicalCaseIndexPage.objects.get()
    editor = get_user_model().objects.get(username="xuanchuan")
    row = "诸葛某诉某商贸公司买卖合同纠纷案,（2025）黑0903民初909号,七台河市桃山区人民法院,买卖合同纠纷,担保履行,2025-02-03,2025-02-20,30000,买卖合同,货款纠纷,担保后付清,担保促履行"
    content = ("\ufeff" + ",".join(COLUMNS) + "\n" + row + "\n").encode()
    assert import_sheet(read_dataset(content, "cases.csv"), index, editor) == (1, 0)
    case = TypicalCasePage.objects.get(title="诸葛某诉某商贸公司买卖合同纠纷案")
    assert not case.live and case.case_number == "（2025）黑0903民初909号"
    case.save_revision().publish()
    response = client.get(
        "/cases/", {"court": case.court_id, "cause": case.cause_id, "method": case.method_id, "year": 2025}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "诸葛某诉某商贸公司买卖合同纠纷案" in body and "共 1 个案例" in body
