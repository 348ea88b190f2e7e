"""nginx as the caching reverse proxy (deploy/nginx/qthcourt.conf.template) in front of the
application: what it keeps, what it never keeps, and how fast a publish shows through it."""

import datetime
import time

import pytest
import requests
from django.contrib.auth import get_user_model
from django.utils import timezone

from honorroll import corrections, publishing
from honorroll.models import ListBatch, ListEntry
from portal.models import CauseOfAction
from publicity.models import TypicalCasePage
from tests.deploy.conftest import DEPLOY
from tests.factories import second_list_manager

pytestmark = DEPLOY

VISIBLE_WITHIN = 1.0  # seconds from the publish to the new content through the proxy


def wait_until(check, timeout=VISIBLE_WITHIN):
    """Seconds until check() is true, polling; fails after `timeout`."""
    began = time.monotonic()
    while True:
        if check():
            return time.monotonic() - began
        if time.monotonic() - began > timeout:
            pytest.fail(f"not visible through the proxy within {timeout} s")
        time.sleep(0.02)


def public_paths():
    case = TypicalCasePage.objects.live().first()
    batch = ListBatch.objects.filter(status=ListBatch.Status.PUBLISHED).first()
    return ["/", "/cases/", "/cases/?cause=1", case.url, "/news/", "/honor-roll/", f"/honor-roll/{batch.pk}/"]


def test_public_pages_are_a_miss_then_a_hit(demo_content, get):
    for path in public_paths():
        first, second = get(path), get(path)
        assert first.status_code == 200, path
        assert first.headers["X-Cache-Status"] == "MISS", path
        assert second.headers["X-Cache-Status"] == "HIT", path
        assert second.content == first.content
        # Only the proxy reads the marker; browsers revalidate.
        assert "X-Accel-Expires" not in second.headers
        assert "max-age=0" in second.headers["Cache-Control"]


def test_a_cached_page_is_the_same_for_every_visitor(demo_content, get, proxy):
    case_url = TypicalCasePage.objects.live().first().url
    first = get(case_url, headers={"User-Agent": "visitor-one", "Cookie": "elder-mode=on"})
    other = requests.get(proxy.base + case_url, headers={"User-Agent": "visitor-two"}, timeout=30)
    assert other.headers["X-Cache-Status"] == "HIT"
    assert other.content == first.content
    for response in (first, other):
        assert "Set-Cookie" not in response.headers
        assert b"csrfmiddlewaretoken" not in response.content
        assert b"csrftoken" not in response.content


PERSONAL = [
    {"Cookie": "sessionid=abc123"},
    {"Cookie": "theme=1; csrftoken=abc123"},
    {"Cookie": "messages=abc123"},
    {"Authorization": "Bearer abc123"},
]
PRIVATE_PATHS = [
    "/admin/login/",
    "/apply/certificate/",
    "/apply/status/",
    "/api/v1/honor-roll/batches/",
    "/api/v1/fee/?amount=10000",
    "/healthz",
]


def test_sessions_credentials_and_private_paths_are_never_cached(demo_content, get):
    get("/cases/")  # now cached for everybody else
    for headers in PERSONAL:
        for _ in range(2):
            assert get("/cases/", headers=headers).headers["X-Cache-Status"] == "BYPASS", headers
    assert get("/cases/").headers["X-Cache-Status"] == "HIT"
    for path in PRIVATE_PATHS:
        for _ in range(2):
            assert get(path).headers.get("X-Cache-Status") is None, path
    # A form renders a CSRF token: its page sets the cookie and is never kept.
    form = get("/apply/certificate/")
    assert b"csrfmiddlewaretoken" in form.content
    assert "csrftoken" in form.headers["Set-Cookie"]
    # Only GET and HEAD are looked up.
    posted = requests.post(get.base + "/cases/", timeout=30, allow_redirects=False)
    assert posted.headers.get("X-Cache-Status") != "HIT"


def test_publishing_a_changed_case_shows_through_the_proxy_at_once(demo_content, get, proxy):
    case = TypicalCasePage.objects.live().first()
    for path in (case.url, "/cases/"):
        get(path)
        assert get(path).headers["X-Cache-Status"] == "HIT"

    # The purge server: what Wagtail calls (only from loopback, see the rendered allow list).
    assert "allow 127.0.0.1;" in (proxy.prefix / "qthcourt.conf").read_text()
    assert requests.request("PURGE", proxy.purge_url + "/cases/", timeout=30).status_code == 200
    assert get("/cases/").headers["X-Cache-Status"] == "MISS"

    case.title = "更正后的典型案例标题"
    case.save_revision(user=None).publish()
    seconds = wait_until(lambda: "更正后的典型案例标题" in get(case.url).text)
    assert "更正后的典型案例标题" in get("/cases/").text
    print(f"publish visible through the proxy after {seconds * 1000:.0f} ms")

    case.refresh_from_db()
    case.unpublish()
    wait_until(lambda: get(case.url).status_code == 404)
    assert "更正后的典型案例标题" not in get("/cases/").text


def test_honor_roll_publication_and_objection_purge_the_list(demo_content, get):
    manager = get_user_model().objects.get(username="mingdan")
    batch = ListBatch.objects.filter(status=ListBatch.Status.PUBLISHED).first()
    entry = batch.entries.filter(removed_at__isnull=True).first()
    name = entry.public_name
    detail = f"/honor-roll/{batch.pk}/"
    for path in ("/honor-roll/", detail):
        get(path)
        assert get(path).headers["X-Cache-Status"] == "HIT"
    assert name in get(detail).text

    objection = corrections.record_objection(entry, requested_by="本人", reason="未经同意", actor=manager)
    corrections.decide_objection(
        objection, upheld=True, note="经核实，异议成立。", actor=second_list_manager()
    )
    wait_until(lambda: name not in get(detail).text)

    draft = ListBatch.objects.create(court=batch.court, year=2026, number=7)
    ListEntry.objects.create(
        batch=draft,
        party_kind="organisation",
        party_name="七台河市某新材料有限公司",
        credit_code="91230900MA1B2C3D4J",
        court=batch.court,
        case_number="（2026）黑0902民初1号",
        cause=CauseOfAction.objects.first(),
        performed_on=datetime.date(2026, 3, 1),
        source="import",
        consented_at=timezone.now(),
        consent_record="书面同意书",
    )
    publishing.publish(draft, actor=manager)
    wait_until(lambda: f"/honor-roll/{draft.pk}/" in get("/honor-roll/").text)


def test_a_page_cached_for_one_host_is_not_answered_to_another(demo_content, get):
    """The cache key holds the host (and the scheme): a page kept for the site's host is not
    what a request naming another host gets."""
    path = "/cases/"
    assert get(path).headers["X-Cache-Status"] == "MISS"
    assert get(path).headers["X-Cache-Status"] == "HIT"
    other = get(path, headers={"Host": "localhost"})
    assert other.headers["X-Cache-Status"] == "MISS"
