"""Every admin page a member of staff can reach by clicking answers without a server error,
with a row in every listing, for every role; signed out, each of them sends to the login page.

The walk starts where a person starts: the dashboard and every item of its sidebar menu.
Wagtail renders the menu for its React sidebar as JSON props (the `wagtail-sidebar-props`
script, packed by telepath): each link item, sub-menu items included, is an object of type
`wagtail.sidebar.LinkMenuItem` (or `PageExplorerMenuItem`) whose first argument has the
`url`. From there the walk follows the links and GET forms inside /admin/ (listings, the
links of their rows and actions: edit, inspect, usage, manage, keys, import, export, history
…) breadth first, with a visited set, up to MAX_DEPTH clicks from the menu. Nothing is
posted: every state change is a POST, and the walk checks that it changed no records. A
failure lists every URL that answered 5xx, with the exception and the page that linked it.
Each role must also reach the pages of its work (`must_reach`): a walk that lost the menu
or the rows would otherwise pass by visiting nothing.
"""

import json
import re
import time
from collections import Counter, deque
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page, Revision, Site

from honorroll import corrections
from honorroll.models import ListSettings
from intake.models import FeePolicySettings
from portal.models import CourtSiteSettings
from tests import factories as f
from tests.staff import log_in_verified

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "宣传", "宣传审核", "立案审查", "名单管理", "superuser")
MAX_DEPTH = 3  # menu → listing → row action → the links of that page
# Of the links of one shape (ids aside) in one listing, the first few stand for the rest:
# the fixture's listings have at most five rows; the reference data has 27 causes of action.
ROWS_PER_LISTING = 5
# Logging out ends the walk; bulk actions are sent by the listing's script with the rows
# ticked (without them they answer 404).
SKIP = ("/admin/logout/", "/admin/bulk/")
# The admin pages that are open signed out.
OPEN_SIGNED_OUT = ("/admin/login/", "/admin/password_reset/")
MENU_ITEM_TYPES = ("wagtail.sidebar.LinkMenuItem", "wagtail.sidebar.PageExplorerMenuItem")


class _Page(HTMLParser):
    """The links, GET forms and sidebar props of an admin page."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.sidebar_props = None
        self._in_sidebar = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get" and attrs.get("action"):
            self.links.append(attrs["action"])
        elif tag == "script" and attrs.get("id") == "wagtail-sidebar-props":
            self._in_sidebar = True
            self.sidebar_props = ""

    def handle_data(self, data):
        if self._in_sidebar:
            self.sidebar_props += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_sidebar = False


def menu_urls(sidebar_props):
    """The URL of every menu item, sub-menu items included, in the packed sidebar props."""
    urls = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("_type") in MENU_ITEM_TYPES:
                urls.append(node["_args"][0]["url"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(sidebar_props))
    return urls


def admin_url(href, base):
    """`href` (on page `base`) as an admin path with its query, or None when the walk does
    not follow it (another site, the public site, SKIP)."""
    url = urlsplit(urljoin(base, href))
    if url.scheme not in ("", "http") or url.netloc not in ("", "testserver"):
        return None
    if not url.path.startswith("/admin/") or url.path.startswith(SKIP):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def variant(url):
    """What makes two links different pages: the path, and which query parameters are set
    (one sort order of a listing stands for the others; `next` only says where to go
    afterwards; every listing has one page), except the export format, whose value is the page."""
    path, _, query = url.partition("?")
    params = dict(parse_qsl(query, keep_blank_values=True))
    return path, tuple(sorted(params.keys() - {"next", "p"})), params.get("export")


def failure(url, response, source):
    error = ""
    if response.exc_info:
        error = f" {response.exc_info[0].__name__}: {response.exc_info[1]}"
    return f"{url} → {response.status_code}{error} (linked from {source})"


class Walk:
    def __init__(self, client):
        client.raise_request_exception = False  # a 500 is recorded, with its exception
        self.client = client
        self.statuses = {}  # url → status code
        self.sources = {}  # url → the page that linked it
        self.failures = []
        self.menu = []

    @property
    def reached(self):
        """The paths that answered 200."""
        return {url.partition("?")[0] for url, status in self.statuses.items() if status == 200}

    def run(self, start="/admin/"):
        queue = deque([(start, 0, None)])
        seen = {variant(start)}
        rows = Counter()  # (listing, link shape) → links followed

        def push(url, depth, source):
            if url and variant(url) not in seen and depth <= MAX_DEPTH:
                seen.add(variant(url))
                queue.append((url, depth, source))

        while queue:
            url, depth, source = queue.popleft()
            response = self.client.get(url)
            self.statuses[url] = response.status_code
            self.sources[url] = source
            if response.status_code >= 500:
                self.failures.append(failure(url, response, source))
                continue
            if response.status_code in (301, 302):
                push(admin_url(response["Location"], url), depth, source)
                continue
            if response.streaming or "text/html" not in response.get("Content-Type", ""):
                if response.streaming:
                    response.close()
                continue
            page = _Page(response.content.decode())
            if url == start and page.sidebar_props:
                self.menu = [admin_url(link, url) for link in menu_urls(page.sidebar_props)]
                for link in self.menu:
                    push(link, 1, "the menu")
            listing = url.partition("?")[0].removesuffix("results/")
            for link in filter(None, (admin_url(href, url) for href in page.links)):
                shape = (listing, re.sub(r"\d+", "N", link.partition("?")[0]))
                if rows[shape] < ROWS_PER_LISTING and variant(link) not in seen:
                    rows[shape] += 1
                    push(link, depth + 1, url)
        return self

    def replay_signed_out(self):
        """The pages of the walk again, signed out: each sends to the login page."""
        self.client.logout()
        wrong = []
        for url in self.statuses:
            response = self.client.get(url)
            if response.status_code >= 500:
                wrong.append(failure(url, response, self.sources[url]))
            elif url.startswith(OPEN_SIGNED_OUT):
                continue
            elif response.status_code != 302 or not response["Location"].startswith("/admin/login/"):
                wrong.append(f"{url} → {response.status_code}, not the login page")
        return wrong


def records():
    """How many rows each of the project's tables (and Wagtail's pages and revisions) has;
    the audit trail counts only what is not a record of reading (opening an applicant's
    file, evidence or document is audited, by design)."""
    from intake.models import ApplicationEvent

    models = [
        m
        for app in ("portal", "publicity", "honorroll", "intake")
        for m in apps.get_app_config(app).get_models()
    ]
    counts = {model._meta.label: model.objects.count() for model in [*models, Page, Revision]}
    reads = (
        ApplicationEvent.Action.VIEWED,
        ApplicationEvent.Action.VIEWED_EVIDENCE,
        ApplicationEvent.Action.DOWNLOADED,
    )
    counts["intake.ApplicationEvent"] = ApplicationEvent.objects.exclude(action__in=reads).count()
    return counts


@pytest.fixture
def admin_data(settings, tmp_path, home_page):
    """A row in every admin listing, and a member of each staff group."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # As on a running server: the admin (whose viewsets register the models whose references
    # Wagtail indexes, for the usage pages) is loaded before the records are saved.
    reverse("wagtailadmin_home")
    users = {
        "宣传": f.UserFactory(username="xuanchuan", groups=["宣传"]),
        "宣传审核": f.UserFactory(username="shenhe", groups=["宣传审核"]),
        "立案审查": f.ReviewerFactory(username="lian"),
        "名单管理": f.UserFactory(username="mingdan", groups=["名单管理"]),
        "superuser": get_user_model().objects.create_superuser("admin", "admin@court.invalid", "x"),
    }
    reviewer, list_manager = users["立案审查"], users["名单管理"]
    # Applications of both kinds: submitted (with its evidence), approved with a certificate
    # (which nominates the party), a revoked certificate, a fee reduction and its decision.
    evidence = f.EvidenceFileFactory()
    certificates = [
        f.CertificateFactory(issued_by=reviewer),
        f.CertificateFactory(issued_by=reviewer, revoked=True),
    ]
    fee_request = f.FeeReductionApplicationFactory()
    fee_decision = f.FeeDecisionFactory(issued_by=reviewer)
    nomination = f.NominationFactory()
    # List batches: a draft with entries; a published one with an objection and a delivery
    # to a recipient that has an API key.
    draft = f.ListBatchFactory(entries=2)
    published = f.ListBatchFactory(entries=2, published=list_manager)
    f.ObjectionFactory(entry=published.entries.first(), recorded_by=list_manager)
    # A corrected batch: version 2 withdrew one entry and added its corrected copy, and the
    # delivery of version 1 is now out of date (待重新报送).
    corrected = f.ListBatchFactory(entries=2, published=list_manager)
    correction = f.ObjectionFactory(entry=corrected.entries.first(), recorded_by=list_manager)
    corrections.decide_objection(
        correction,
        outcome="correct",
        field="amount",
        value="1200.50",
        note="金额更正。",
        actor=users["superuser"],
    )
    recipient = f.RecipientFactory()
    f.DeliveryFactory(batch=published, recipient=recipient, sent_by=list_manager)
    f.DeliveryFactory(batch=corrected, recipient=recipient, sent_by=list_manager, revision=1)
    f.AgencyApiKeyFactory(recipient=recipient)
    # Pages: a published typical case and news article, a case awaiting moderation.
    cases = f.TypicalCaseIndexPageFactory(parent=home_page)
    case = f.TypicalCasePageFactory(parent=cases)
    case.save_revision().publish()
    news = f.NewsIndexPageFactory(parent=home_page)
    article = f.ArticlePageFactory(parent=news)
    article.save_revision().publish()
    in_moderation = f.TypicalCasePageFactory(parent=cases, live=False)
    in_moderation.save_revision(user=users["宣传"])
    in_moderation.get_workflow().start(in_moderation, users["宣传"])
    site = Site.objects.get(is_default_site=True)
    for settings_model in (CourtSiteSettings, FeePolicySettings, ListSettings):
        settings_model.for_site(site)  # made by the first page that reads them, as on a live site
    return SimpleNamespace(
        users=users,
        applications=[
            evidence.application,
            *(c.application for c in certificates),
            fee_request,
            fee_decision.application,
        ],
        evidence=evidence,
        nomination=nomination,
        batches=[draft, published],
        recipient=recipient,
        court=draft.court,
        pages=[case, article, in_moderation],
        image=f.ImageFactory(),
        document=f.DocumentFactory(),
        site=site,
    )


def must_reach(role, data):
    """Pages each role reaches by clicking (the walk found the menu, the listings and their rows)."""
    pages = {
        *(f"/admin/pages/{page.pk}/edit/" for page in data.pages),
        f"/admin/images/{data.image.pk}/",
        f"/admin/documents/edit/{data.document.pk}/",
        "/admin/publicity/cases/import/",
        "/admin/snippets/publicity/performancemethod/",
    }
    intake = {
        *(f"/admin/intake/applications/{application.pk}/review/" for application in data.applications),
        f"/admin/intake/evidence/{data.evidence.pk}/",
        "/admin/intake/case-documents/",
    }
    draft, published = data.batches
    honorroll = {
        "/admin/honorroll/nominations/",
        f"/admin/honorroll/nominations/delete/{data.nomination.pk}/",
        f"/admin/honorroll/batches/{draft.pk}/manage/",
        f"/admin/honorroll/batches/{published.pk}/manage/",
        f"/admin/honorroll/batches/{draft.pk}/import/",
        f"/admin/honorroll/batches/usage/{draft.pk}/",
        f"/admin/honorroll/recipients/{data.recipient.pk}/keys/",
    }
    return {
        "anonymous": set(OPEN_SIGNED_OUT),
        "宣传": pages,
        "宣传审核": pages,
        "立案审查": intake,
        "名单管理": honorroll,
        "superuser": pages
        | intake
        | honorroll
        | {
            f"/admin/snippets/portal/court/usage/{data.court.pk}/",
            f"/admin/settings/intake/feepolicysettings/{data.site.pk}/",
            "/admin/users/",
        },
    }[role]


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_a_role_reaches_answers_without_a_server_error(client, admin_data, role):
    if role != "anonymous":
        log_in_verified(client, admin_data.users[role])
    before, started = records(), time.monotonic()
    walk = Walk(client).run()
    print(f"{role}: {len(walk.statuses)} pages in {time.monotonic() - started:.1f} s")
    assert not walk.failures, f"{role}: server errors:\n" + "\n".join(walk.failures)
    assert records() == before, "a page the walk only read (GET) changed records"
    missed = must_reach(role, admin_data) - walk.reached
    assert not missed, f"{role} did not reach: {sorted(missed)}"
    if role != "anonymous":
        wrong = walk.replay_signed_out()
        assert not wrong, f"{role}'s pages signed out:\n" + "\n".join(wrong)
