"""Staff read the Wagtail admin in Chinese: no English left on the screens they use daily."""

import re

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Page

from tests.factories import UserFactory
from tests.staff import log_in_verified

pytestmark = pytest.mark.django_db

# Words that are names, not untranslated interface text.
NAMES = re.compile(
    r"Wagtail|JavaScript|URL|ICP|XXXX+|xlsx|csv|CSV|Excel|PDF|UTF|https?://\S+|\S+@\S+|root|mingdan|domain\.com|my-work"
    r"|/api/v1/\S*|Authorization: Bearer"
)


def english_on_screen(html):
    soup = BeautifulSoup(html, "html.parser")
    for element in soup(["script", "style", "svg", "template"]):
        element.decompose()
    for element in soup.select("[hidden]"):
        element.decompose()
    texts = list(soup.stripped_strings)
    texts += [
        element[attr]
        for element in soup.find_all(True)
        for attr in ("placeholder", "aria-label", "title")
        if element.get(attr)
    ]
    return sorted({text for text in texts if re.search(r"[A-Za-z]{3,}", NAMES.sub("", text))})


def test_admin_screens_staff_use_daily_are_in_chinese(client, demo_content):
    log_in_verified(client, UserFactory(username="root", is_superuser=True, is_staff=True))
    notice = Page.objects.get(slug="notice")
    urls = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{demo_content.pk}/",
        f"/admin/pages/{notice.pk}/edit/",
        f"/admin/pages/add/portal/standardpage/{demo_content.pk}/",
        "/admin/snippets/portal/court/",
        "/admin/snippets/portal/causeofaction/",
        f"/admin/settings/portal/courtsitesettings/{demo_content.get_site().pk}/",
        "/admin/groups/",
        "/admin/workflows/list/",
        "/admin/publicity/cases/import/",
        "/admin/snippets/publicity/performancemethod/",
        f"/admin/pages/{Page.objects.get(slug='cases').pk}/",
        f"/admin/pages/{Page.objects.filter(slug__startswith='case-').first().pk}/edit/",
    ]
    found = {}
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        english = [text for text in english_on_screen(response.content) if text not in {"root"}]
        if english:
            found[url] = english
    assert not found, f"untranslated admin text: {found}"


def test_intake_and_list_screens_are_in_chinese(client, demo_content):
    from honorroll.models import ListBatch, Recipient
    from portal.models import Court

    log_in_verified(client, UserFactory(username="root", is_superuser=True, is_staff=True))
    published = ListBatch.objects.get(year=2025, number=1)  # the demo's batch
    draft = ListBatch.objects.create(court=Court.objects.get(code="黑0902"), year=2025, number=2)
    recipient = Recipient.objects.first()
    site = demo_content.get_site().pk
    urls = [
        "/admin/intake/applications/",
        "/admin/intake/case-documents/",
        f"/admin/settings/intake/feepolicysettings/{site}/",
        "/admin/honorroll/batches/",
        "/admin/honorroll/batches/new/",
        f"/admin/honorroll/batches/{published.pk}/manage/",
        f"/admin/honorroll/batches/{draft.pk}/manage/",
        f"/admin/honorroll/batches/{draft.pk}/import/",
        f"/admin/honorroll/batches/{published.pk}/export/",
        "/admin/honorroll/nominations/",
        "/admin/honorroll/recipients/",
        f"/admin/honorroll/recipients/{recipient.pk}/keys/",
    ]
    found = {}
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        english = [text for text in english_on_screen(response.content) if text not in {"root"}]
        if english:
            found[url] = english
    assert not found, f"untranslated admin text: {found}"
