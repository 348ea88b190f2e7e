"""Shared set-up of the fuzz tests: hypothesis profiles, one demo portal per session, and
the checks every example makes (no 500, Chinese errors, nothing stored).

The demo portal (pages, the published list batch, an approved certificate, a decided fee
reduction, an agency key) is built once, inside a transaction opened by a session-scoped
fixture and rolled back at the end; each test's own transaction (pytest-django's `db`)
is a savepoint inside it, and each example runs in one more savepoint that is rolled back,
so every example starts from the same database (hypothesis can replay and shrink it).
"""

import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from bench.sample_application import certificate_application, fee_reduction_fields

# --- hypothesis profiles ------------------------------------------------------------------
# "fuzz-ci" (the default): 1,000 examples per endpoint, derandomized so CI is deterministic.
# "fuzz-deep" (FUZZ_PROFILE=deep, `make fuzz`): 10,000 examples per endpoint, random seed,
# failures printed with a blob to reproduce them (@reproduce_failure).
# "fuzz-smoke" (FUZZ_PROFILE=smoke): 30 examples, for a quick try of a change to these tests.
# They are applied per test (`@FUZZ`), never loaded globally, so the suite's other
# hypothesis tests keep their own settings.
_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
}
hypothesis_settings.register_profile("fuzz-ci", max_examples=1_000, derandomize=True, **_COMMON)
hypothesis_settings.register_profile("fuzz-smoke", max_examples=30, derandomize=True, **_COMMON)
hypothesis_settings.register_profile(
    "fuzz-deep", max_examples=10_000, derandomize=False, print_blob=True, **_COMMON
)
PROFILE = "fuzz-" + os.environ.get("FUZZ_PROFILE", "ci").strip().lower()
FUZZ = hypothesis_settings.get_profile(PROFILE)
EXAMPLES = FUZZ.max_examples


# --- the world every example starts from --------------------------------------------------
@dataclass
class World:
    court_id: int
    other_court_id: int
    inactive_court_id: int | None
    cause_id: int
    batch_id: int
    draft_batch_id: int
    api_key: str
    revoked_key: str
    certificate_number: str
    certificate_code: str
    certificate_serial: str
    verification_code: str
    pending_number: str
    pending_code: str
    decision_number: str
    decision_code: str
    document_id: int
    restricted_document_id: int
    doc_restriction_id: int
    page_restriction_id: int
    private_page_id: int


def _submit(kind_form, data, files):
    from intake.services import submit_application

    form = kind_form(data, files)
    assert form.is_valid(), form.errors
    return submit_application(form.cleaned_data, kind_form.kind)


def _build_world(tmp_dir):
    import datetime
    from decimal import Decimal

    from django.conf import settings as django_settings
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents.models import Document
    from wagtail.models import BaseViewRestriction, CollectionViewRestriction, PageViewRestriction

    from honorroll.models import AgencyApiKey, ListBatch, Recipient
    from intake import review
    from intake.forms import CertificateApplicationForm, FeeReductionApplicationForm
    from intake.models import ReviewerCourt
    from portal.models import CauseOfAction, Court, StandardPage

    django_settings.PRIVATE_MEDIA_ROOT = tmp_dir / "private"
    django_settings.MEDIA_ROOT = tmp_dir / "media"
    call_command("load_demo", stdout=io.StringIO())
    call_command("search_rebuild_embedded", stdout=io.StringIO())

    court = Court.objects.get(code="黑0902")
    other = Court.objects.exclude(pk=court.pk).filter(is_active=True).first()
    inactive = Court.objects.filter(is_active=False).first()
    cause = CauseOfAction.objects.get(name="民间借贷纠纷")
    batch = ListBatch.objects.get(status=ListBatch.Status.PUBLISHED)
    draft = ListBatch.objects.create(court=court, year=2025, number=9)
    recipient = Recipient.objects.first()
    _, api_key = AgencyApiKey.issue(recipient)
    revoked, revoked_key = AgencyApiKey.issue(recipient)
    revoked.revoked_at = datetime.datetime.now(datetime.UTC)
    revoked.save()

    reviewer = get_user_model().objects.get(username="lian")
    ReviewerCourt.objects.get_or_create(user=reviewer)[0].courts.set([court])
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    def base(serial, **extra):
        # The sample application without an e-mail address.
        return certificate_application(court.pk, cause.pk, serial, email=None, **extra)

    def files():
        return {"evidence": [SimpleUploadedFile("receipt.pdf", pdf, content_type="application/pdf")]}

    approved, certificate_code = _submit(CertificateApplicationForm, base(9001), files())
    review.record_confirmation(
        approved, actor=reviewer, method="phone", confirmed_by="李某", confirmed_on=datetime.date.today()
    )
    certificate = review.approve(approved, actor=reviewer)
    pending, pending_code = _submit(CertificateApplicationForm, base(9002), files())
    fee_data = base(9003, **fee_reduction_fields(payment_method="online", reason="在履行期限内一次性付清。"))
    decided, decision_code = _submit(FeeReductionApplicationForm, fee_data, files())
    review.record_confirmation(
        decided, actor=reviewer, method="phone", confirmed_by="李某", confirmed_on=datetime.date.today()
    )
    review.approve(decided, actor=reviewer, granted_amount=Decimal("825"), legal_basis="依据")

    document = Document.objects.create(title="办事指南")
    document.file.save("guide.txt", ContentFile("自动履行办事指南".encode()))
    secret = Document.objects.create(title="内部材料")
    secret.file.save("secret.txt", ContentFile(b"secret"))
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=secret.collection, restriction_type=BaseViewRestriction.PASSWORD, password="s3cret-pass"
    )
    private_page = StandardPage.objects.live().first()
    page_restriction = PageViewRestriction.objects.create(
        page=private_page, restriction_type=BaseViewRestriction.PASSWORD, password="s3cret-pass"
    )
    return World(
        court_id=court.pk,
        other_court_id=other.pk,
        inactive_court_id=inactive.pk if inactive else None,
        cause_id=cause.pk,
        batch_id=batch.pk,
        draft_batch_id=draft.pk,
        api_key=api_key,
        revoked_key=revoked_key,
        certificate_number=approved.tracking_number,
        certificate_code=certificate_code,
        certificate_serial=certificate.serial,
        verification_code=certificate.verification_code,
        pending_number=pending.tracking_number,
        pending_code=pending_code,
        decision_number=decided.tracking_number,
        decision_code=decision_code,
        document_id=document.pk,
        restricted_document_id=secret.pk,
        doc_restriction_id=collection_restriction.pk,
        page_restriction_id=page_restriction.pk,
        private_page_id=private_page.pk,
    )


@pytest.fixture(scope="session")
def _fuzz_world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings as django_settings

    saved = django_settings.PRIVATE_MEDIA_ROOT, django_settings.MEDIA_ROOT
    with django_db_blocker.unblock(), transaction.atomic():
        # Evidence is fsynced when stored (intake/storage.py): on tmpfs that costs nothing.
        shm = Path("/dev/shm")
        if shm.is_dir() and os.access(shm, os.W_OK):
            root = Path(tempfile.mkdtemp(prefix="portal-fuzz-", dir=shm))
        else:
            root = tmp_path_factory.mktemp("fuzz-world")
        world = _build_world(root)
        yield world, django_settings.PRIVATE_MEDIA_ROOT, django_settings.MEDIA_ROOT
        transaction.set_rollback(True)
    django_settings.PRIVATE_MEDIA_ROOT, django_settings.MEDIA_ROOT = saved
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def world(_fuzz_world, db, settings):
    world, private_root, media_root = _fuzz_world
    settings.PRIVATE_MEDIA_ROOT = private_root
    settings.MEDIA_ROOT = media_root
    return world


class CountingClient(Client):
    """The test client, counting the requests it makes."""

    requests = 0

    def request(self, **request):
        self.requests += 1
        return super().request(**request)


@pytest.fixture
def fuzz_client():
    # One client for all of a test's examples. Exceptions in a view reach the test (a 500
    # fails the example with its traceback).
    client = CountingClient(raise_request_exception=True)
    yield client
    # Each example makes one request: the endpoint really got the profile's examples
    # (hypothesis would stop early only if it ran out of distinct inputs).
    assert client.requests >= EXAMPLES, f"{client.requests} requests for {EXAMPLES} examples"


# --- what every example checks ------------------------------------------------------------
class Rollback(Exception):
    pass


class example_state:
    """`with example_state():` — the example's database changes are rolled back and the
    cache (throttle counters, export cache) starts empty.

    `clear_cache=False` for the read-only pages that count nothing in the cache: what they
    keep there (the list exports) is the same for every example, so it is built once
    instead of once per example."""

    def __init__(self, clear_cache=True):
        self.clear_cache = clear_cache

    def __enter__(self):
        if self.clear_cache:
            cache.clear()
            caches["ratelimit"].clear()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        return self

    def __exit__(self, *exc):
        transaction.set_rollback(True)
        self._atomic.__exit__(*exc)
        return False


def counts(*models):
    return {model.__name__: model.objects.count() for model in models}


def files_under(root):
    """The files under `root`, `.pending` markers included (they stay in these tests: the
    commit that would remove them never happens)."""
    return sorted(str(p) for p in Path(root).rglob("*") if p.is_file()) if Path(root).exists() else []


CJK = re.compile(r"[\u3400-\u9fff]")
# Django's and Wagtail's English messages, which must never reach a user.
ENGLISH = re.compile(
    r"This field|Enter a valid|Ensure this|Select a valid|Null characters|is required|"
    r"not allowed|Bad Request|Server Error|Forbidden|Not Found|Please enter",
    re.IGNORECASE,
)
ERROR_BLOCKS = re.compile(
    r'<(p|div|li|span|ul)[^>]*class="[^"]*(?:error-text|form-errors|errorlist|errornote|error-message|help-critical|(?<![\w-])error(?![\w-]))'
    r'[^"]*"[^>]*>(.*?)</\1>',
    re.DOTALL,
)
TAGS = re.compile(r"<[^>]+>")


def error_texts(html):
    return [TAGS.sub("", match[2]).strip() for match in ERROR_BLOCKS.finditer(html)]


def assert_not_500(response):
    assert response.status_code < 500, (response.status_code, response.content[:500])


def assert_chinese_errors(response, *, required=True):
    """The page names what is wrong, in Chinese, and nothing in English."""
    html = response.content.decode()
    texts = [text for text in error_texts(html) if text]
    if required:
        assert texts, "no error message on the page"
    for text in texts:
        assert CJK.search(text), f"error message without Chinese: {text[:200]!r}"
        assert not ENGLISH.search(text), f"English error message: {text[:200]!r}"


def assert_chinese_json_error(response):
    data = response.json()
    assert set(data) == {"error"}, data
    assert CJK.search(data["error"]) and not ENGLISH.search(data["error"]), data


def assert_chinese_page(response):
    """An error page (400/403/404/405/429) in Chinese, never Django's English one."""
    body = response.content.decode(errors="replace")
    assert CJK.search(body), (response.status_code, body[:300])
    assert not re.search(r"<h1>(Bad Request|Not Found|Forbidden|Server Error)", body), body[:300]
