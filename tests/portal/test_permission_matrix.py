"""Who reaches what: every admin area and public page × anonymous, each staff group and a
superuser. Allowed means the page answers 200; denied means a redirect (to the login page or,
for signed-in staff, to the dashboard with a message) or 403/404 — never the content."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Site

from honorroll.models import ListBatch, Recipient
from intake.models import Application, EvidenceFile
from tests.factories import NominationFactory
from tests.intake.test_apply import APPLY, form_data
from tests.staff import log_in_verified

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "宣传", "宣传审核", "立案审查", "名单管理", "superuser")
DEMO_USERS = {
    "宣传": "xuanchuan",
    "宣传审核": "shenhe",
    "立案审查": "lian",
    "名单管理": "mingdan",
    "superuser": "admin",
}
PUBLIC = (
    "/",
    "/cases/",
    "/news/",
    "/notice/",
    "/apply/certificate/",
    "/apply/fee-reduction/",
    "/apply/status/",
    "/verify/",
    "/fee-calculator/",
    "/honor-roll/",
)


@pytest.fixture
def objects(client, demo_content):
    client.post(APPLY, form_data())
    application = Application.objects.get()
    batch = ListBatch.objects.first()
    NominationFactory(court=batch.court)  # the candidates listing with a row
    return {
        "application": application.pk,
        "evidence": EvidenceFile.objects.get().pk,
        "batch": batch.pk,
        "court": batch.court_id,
        "recipient": Recipient.objects.first().pk,
        "site": Site.objects.get(is_default_site=True).pk,
    }


# url template → the roles that may open it (superuser always may).
ADMIN = {
    "/admin/": {"宣传", "宣传审核", "立案审查", "名单管理"},
    "/admin/intake/applications/": {"立案审查"},
    "/admin/intake/applications/{application}/review/": {"立案审查"},
    "/admin/intake/evidence/{evidence}/": {"立案审查"},
    "/admin/intake/case-documents/": {"立案审查"},
    "/admin/honorroll/batches/": {"名单管理"},
    "/admin/honorroll/batches/{batch}/manage/": {"名单管理"},
    "/admin/honorroll/batches/{batch}/export/": {"名单管理"},
    "/admin/honorroll/batches/usage/{batch}/": {"名单管理"},
    "/admin/honorroll/nominations/": {"名单管理"},
    "/admin/honorroll/recipients/": {"名单管理"},
    "/admin/honorroll/recipients/{recipient}/keys/": {"名单管理"},
    "/admin/publicity/cases/import/": {"宣传", "宣传审核"},  # imports are drafts for moderation
    "/admin/snippets/portal/court/usage/{court}/": set(),  # changing reference data: superusers
    "/admin/settings/intake/feepolicysettings/{site}/": set(),
    "/admin/settings/portal/courtsitesettings/{site}/": set(),
    "/admin/users/": set(),
    "/admin/groups/": set(),
}


def sign_in(client, role):
    client.logout()
    if role != "anonymous":
        log_in_verified(client, get_user_model().objects.get(username=DEMO_USERS[role]))


@pytest.mark.parametrize("role", ROLES)
def test_every_public_page_is_open_to_everyone(client, demo_content, role):
    sign_in(client, role)
    for url in PUBLIC:
        assert client.get(url).status_code == 200, (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_matrix(client, objects, role):
    sign_in(client, role)
    wrong = []
    for template, allowed in ADMIN.items():
        url = template.format(**objects)
        response = client.get(url)
        may = role == "superuser" or role in allowed
        if may and response.status_code != 200:
            wrong.append(f"{url}: expected 200, got {response.status_code}")
        if not may and response.status_code not in (302, 403, 404):
            wrong.append(f"{url}: expected denial, got {response.status_code}")
        if not may and response.status_code == 302 and role == "anonymous":
            assert response["Location"].startswith("/admin/login/"), url
    assert not wrong, f"{role}: " + "; ".join(wrong)


@pytest.mark.parametrize("role", ["宣传", "宣传审核", "名单管理"])
def test_propaganda_and_list_staff_never_see_applicant_data(client, objects, role):
    sign_in(client, role)
    application = Application.objects.get()
    for url in (
        f"/admin/intake/applications/{application.pk}/review/",
        f"/admin/intake/evidence/{objects['evidence']}/",
    ):
        response = client.get(url, follow=True)
        body = response.content.decode()
        assert application.id_number not in body and application.masked_id_number not in body, url
        assert application.phone not in body and "%PDF" not in body, url
    shown = client.post(
        f"/admin/intake/applications/{application.pk}/review/", {"action": "show_id"}, follow=True
    )
    assert application.id_number not in shown.content.decode()
    assert not application.events.filter(action="viewed_id").exists()
