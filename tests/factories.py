"""factory_boy factories shared by the suite (no JSON fixtures).

Rows that the project creates through a service are created through it here too: a
certificate or fee decision is the approval of a confirmed application (intake/review.py),
a published batch goes through honorroll/publishing.py, an objection is recorded by it, an
API key is issued by `AgencyApiKey.issue`. ID and phone numbers go through the model's
encrypting properties; the numbers are valid (checksummed, portal/identifiers.py). Courts,
causes of action and performance methods are the reference data the migrations load.
"""

import datetime
import hashlib
from decimal import Decimal

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Collection

from honorroll import corrections, publishing
from honorroll.models import (
    AgencyApiKey,
    Delivery,
    ListBatch,
    ListEntry,
    Nomination,
    Objection,
    Recipient,
)
from intake import review
from intake.models import (
    TRACKING_PREFIXES,
    Application,
    ApplicationEvent,
    ApplicationKind,
    Certificate,
    EvidenceFile,
    FeeDecision,
    FeeReductionRequest,
    ReviewerCourt,
    new_tracking_number,
)
from portal.identifiers import credit_code_check_character, resident_id_check_character
from portal.models import CauseOfAction, Court, StandardPage
from publicity.models import (
    ArticlePage,
    NewsIndexPage,
    PerformanceMethod,
    TypicalCaseIndexPage,
    TypicalCasePage,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def resident_id(n):
    """A valid resident ID number (新兴区, born 1980-01-01), distinct for n < 1000."""
    first17 = f"23090219800101{n % 1000:03d}"
    return first17 + resident_id_check_character(first17)


def credit_code(n):
    """A valid unified social credit code, distinct for n < 10**7."""
    first17 = f"91230900MA{n % 10**7:07d}"
    return first17 + credit_code_check_character(first17)


def court(code="黑0902"):
    return factory.LazyFunction(lambda: Court.objects.get(code=code))


def cause(name="民间借贷纠纷"):
    return factory.LazyFunction(lambda: CauseOfAction.objects.get(name=name))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@court.invalid")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(Group.objects.get(name=name))


class ReviewerFactory(UserFactory):
    """A member of 立案审查 who may act on the applications of `courts` (every court if
    none are given)."""

    username = factory.Sequence(lambda n: f"reviewer{n}")
    groups = factory.PostGeneration(
        lambda user, create, extracted, **kwargs: user.groups.add(Group.objects.get(name="立案审查"))
    )

    @factory.post_generation
    def courts(self, create, extracted, **kwargs):
        if create:
            ReviewerCourt.objects.create(user=self).courts.set(
                extracted if extracted is not None else Court.objects.all()
            )


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"办事指南{n}")
    intro = "自动履行完毕后，当事人可以在网上申请证明书。"


def second_list_manager():
    """A second member of 名单管理: where a court has two, the one who registered an
    objection does not decide it (honorroll.ListSettings)."""
    return UserFactory(username="fuhe", groups=["名单管理"])


def nominate_party(party_name="杨某某", court_code="黑0902", number=123, **overrides):
    """A party nominated as an approved application with the consent to publication
    nominates it (honorroll.nominations.nominate); `identity` and `identity_consented_at`
    in `overrides` give the second consent (identity to the agencies)."""
    import datetime

    from django.utils import timezone

    from honorroll.nominations import nominate
    from portal.models import CauseOfAction, Court

    values = {
        "party_name": party_name,
        "party_kind": "person",
        "credit_code": "",
        "court": Court.objects.get(code=court_code),
        "case_number": f"（2025）{court_code}民初{number}号",
        "cause": CauseOfAction.objects.get(name="民间借贷纠纷"),
        "performed_on": datetime.date(2025, 6, 18),
        "source": f"自动履行证明书申请 ZS20250618-{number:06d}",
        "consented_at": timezone.now(),
        **overrides,
    }
    return nominate(**values)


class TypicalCaseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TypicalCaseIndexPage

    title = "典型案例"
    slug = "cases"


class TypicalCasePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TypicalCasePage

    title = factory.Sequence(lambda n: f"李某诉杨某民间借贷纠纷案（{n}）")
    slug = factory.Sequence(lambda n: f"case-{n}")
    case_number = factory.Sequence(lambda n: f"（2025）黑0902民初{1000 + n}号")
    court = court()
    cause = cause()
    method = factory.LazyFunction(lambda: PerformanceMethod.objects.order_by("sort_order").first())
    judgment_date = datetime.date(2025, 5, 12)
    performance_date = datetime.date(2025, 6, 18)
    amount = Decimal("42000.00")
    keywords = "民间借贷、调解、自动履行"


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "新闻动态"
    slug = "news"


class ArticlePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"我院发出第{n + 1}份自动履行证明书")
    slug = factory.Sequence(lambda n: f"news-{n}")
    date = datetime.date(2025, 7, 1)
    lead = "当事人在调解书确定的期限内付清全部款项，法院依申请出具证明书。"


class ImageFactory(wagtail_factories.ImageFactory):
    """In the root collection the staff groups have permissions on (wagtail_factories'
    default makes a new root collection)."""

    title = factory.Sequence(lambda n: f"庭审现场{n}")
    collection = factory.LazyFunction(Collection.get_first_root_node)


class DocumentFactory(wagtail_factories.DocumentFactory):
    title = factory.Sequence(lambda n: f"自动履行告知书（样本{n}）")
    collection = factory.LazyFunction(Collection.get_first_root_node)
    file = factory.django.FileField(filename="notice.pdf", data=PDF)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted certificate application of the defendant, a natural person, who consents
    to the list. `access_code` is what the applicant was given."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    kind = ApplicationKind.CERTIFICATE
    tracking_number = factory.LazyAttribute(lambda a: new_tracking_number(TRACKING_PREFIXES[a.kind]))
    court = court()
    case_number = factory.Sequence(lambda n: f"（2025）黑0902民初{100 + n}号")
    document_type = "mediation"
    document_date = datetime.date(2025, 6, 10)
    cause = cause()
    plaintiff_name = "李某"
    plaintiff_kind = "person"
    defendant_name = factory.Sequence(lambda n: f"杨{'一二三四五六七八九十'[n % 10]}")
    defendant_kind = "person"
    applicant_role = "defendant"
    applicant_name = factory.SelfAttribute("defendant_name")
    applicant_kind = factory.SelfAttribute("defendant_kind")
    id_number = factory.Sequence(resident_id)  # encrypted by the model property
    # The defendant applies: the applicant is the performing party (intake/parties.py).
    performer_name = factory.SelfAttribute("applicant_name")
    performer_kind = factory.SelfAttribute("applicant_kind")
    performer_id = factory.SelfAttribute("id_number")
    phone = factory.Sequence(lambda n: f"139{n % 10**8:08d}")
    email = "party@example.com"
    performed_on = datetime.date(2025, 6, 18)
    consented_processing_at = factory.LazyFunction(timezone.now)
    consents_to_list = True
    access_code = "ABCD2345"

    @classmethod
    def _create(cls, model_class, *args, access_code, **kwargs):
        application = model_class(*args, **kwargs)
        application.set_access_code(access_code)
        application.pending_notice_encrypted = ""  # the applicant was told
        application.save()
        application.record(ApplicationEvent.Action.SUBMITTED)
        return application

    @classmethod
    def _build(cls, model_class, *args, access_code, **kwargs):
        application = model_class(*args, **kwargs)
        application.set_access_code(access_code)
        return application


class FeeReductionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeReductionRequest

    case_kind = "property"
    claim_amount = Decimal("150000")
    fee_assessed = Decimal("3300")
    fee_borne = Decimal("1650")
    payment_method = "via_plaintiff"
    reason = "调解书确定的款项已在履行期限内一次性付清。"


class FeeReductionApplicationFactory(ApplicationFactory):
    kind = ApplicationKind.FEE_REDUCTION
    fee_request = factory.RelatedFactory(FeeReductionRequestFactory, factory_related_name="application")


class EvidenceFileFactory(factory.django.DjangoModelFactory):
    """A receipt, stored in the private storage (settings.PRIVATE_MEDIA_ROOT)."""

    class Meta:
        model = EvidenceFile

    class Params:
        content = PDF

    application = factory.SubFactory(ApplicationFactory)
    file = factory.django.FileField(filename="receipt.pdf", data=factory.SelfAttribute("..content"))
    original_name = "转账凭证.pdf"
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda e: len(e.content))
    sha256 = factory.LazyAttribute(lambda e: hashlib.sha256(e.content).hexdigest())


def _confirm(application, reviewer):
    review.record_confirmation(
        application,
        actor=reviewer,
        method="phone",
        confirmed_by=application.plaintiff_name,
        confirmed_on=timezone.localdate(),
    )


class CertificateFactory(factory.django.DjangoModelFactory):
    """The certificate of an application the creditor confirmed and `issued_by` approved
    (which nominates the consenting party for the list). `revoked=True`: then revoked."""

    class Meta:
        model = Certificate

    class Params:
        revoked = factory.Trait(revocation_reason="原告反映尚有部分款项未支付，经核实撤销。")

    application = factory.SubFactory(ApplicationFactory)
    issued_by = factory.SubFactory(ReviewerFactory)
    revocation_reason = ""

    @classmethod
    def _create(cls, model_class, application, issued_by, revocation_reason=""):
        _confirm(application, issued_by)
        certificate = review.approve(application, actor=issued_by)
        if revocation_reason:
            certificate = review.revoke(certificate, actor=issued_by, reason=revocation_reason)
        return certificate


class FeeDecisionFactory(factory.django.DjangoModelFactory):
    """The fee decision of a confirmed fee-reduction application (`granted_amount`: the
    policy's proposal unless given)."""

    class Meta:
        model = FeeDecision

    application = factory.SubFactory(FeeReductionApplicationFactory)
    issued_by = factory.SubFactory(ReviewerFactory)
    granted_amount = None
    legal_basis = "《诉讼费用交纳办法》第四十四条和本院生效裁判自动履行激励机制的规定"

    @classmethod
    def _create(cls, model_class, application, issued_by, granted_amount, legal_basis):
        _confirm(application, issued_by)
        if granted_amount is None:
            granted_amount = application.fee_request.proposed_reduction(Decimal("50"))
        return review.approve(
            application, actor=issued_by, granted_amount=granted_amount, legal_basis=legal_basis
        )


class NominationFactory(factory.django.DjangoModelFactory):
    """A consenting natural person proposed for the list."""

    class Meta:
        model = Nomination

    party_name = factory.Sequence(lambda n: f"王{'一二三四五六七八九十'[n % 10]}明")
    party_kind = "person"
    court = court()
    case_number = factory.Sequence(lambda n: f"（2025）黑0902民初{500 + n}号")
    cause = cause()
    performed_on = datetime.date(2025, 6, 18)
    source = factory.LazyFunction(lambda: f"自动履行证明书申请 {new_tracking_number('ZS')}")
    consented_at = factory.LazyFunction(timezone.now)


class ListBatchFactory(factory.django.DjangoModelFactory):
    """A draft batch; `entries=n` adds n entries, `published=True` (or a user) publishes it
    afterwards through honorroll/publishing.py."""

    class Meta:
        model = ListBatch
        skip_postgeneration_save = True

    court = court()
    year = 2025
    number = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def entries(self, create, extracted, **kwargs):
        for _ in range(extracted or 0):
            ListEntryFactory(batch=self, court=self.court)

    @factory.post_generation
    def published(self, create, extracted, **kwargs):
        if create and extracted:
            actor = extracted if hasattr(extracted, "pk") else UserFactory(groups=["名单管理"])
            publishing.publish(self, actor=actor)
            self.refresh_from_db()


class ListEntryFactory(factory.django.DjangoModelFactory):
    """An imported entry for a consenting natural person (on a draft batch: published
    batches are changed only by objections)."""

    class Meta:
        model = ListEntry

    class Params:
        organisation = factory.Trait(
            party_kind="organisation",
            party_name=factory.Sequence(lambda n: f"七台河市某建设工程有限公司{n}"),
            credit_code=factory.Sequence(credit_code),
            consented_at=None,
            consent_record="",
            amount=Decimal("150000.00"),
        )

    batch = factory.SubFactory(ListBatchFactory)
    party_kind = "person"
    party_name = factory.Sequence(lambda n: f"欧阳{'一二三四五六七八九十'[n % 10]}娜")
    court = factory.SelfAttribute("batch.court")
    case_number = factory.Sequence(lambda n: f"（2025）黑0902民初{2000 + n}号")
    cause = cause()
    performed_on = datetime.date(2025, 6, 1)
    source = ListEntry.Source.IMPORT
    consented_at = factory.LazyFunction(timezone.now)
    consent_record = "书面同意书"


class ObjectionFactory(factory.django.DjangoModelFactory):
    """A pending objection to an entry of a published batch, recorded by list staff."""

    class Meta:
        model = Objection

    entry = factory.LazyFunction(lambda: ListBatchFactory(entries=1, published=True).entries.get())
    requested_by = "欧阳某"
    reason = "本人已与对方另行和解，申请不再公开。"
    recorded_by = factory.SubFactory(UserFactory, groups=["名单管理"])

    @classmethod
    def _create(cls, model_class, entry, requested_by, reason, recorded_by):
        return corrections.record_objection(
            entry, requested_by=requested_by, reason=reason, actor=recorded_by
        )


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"七台河市发展和改革委员会{n}")
    contact = "信用科 0464-0000000"


class DeliveryFactory(factory.django.DjangoModelFactory):
    """An export of a published batch to a recipient, as the export view records it."""

    class Meta:
        model = Delivery

    batch = factory.LazyFunction(lambda: ListBatchFactory(entries=1, published=True))
    recipient = factory.SubFactory(RecipientFactory)
    method = Delivery.Method.EXPORT_XLSX
    revision = factory.SelfAttribute("batch.revision")
    entry_count = factory.LazyAttribute(lambda d: d.batch.entries.filter(removed_at__isnull=True).count())
    sha256 = "0" * 64
    sent_by = factory.SubFactory(UserFactory, groups=["名单管理"])


class AgencyApiKeyFactory(factory.django.DjangoModelFactory):
    """A key issued to a recipient; the plaintext (shown once) is on `.plaintext`."""

    class Meta:
        model = AgencyApiKey

    recipient = factory.SubFactory(RecipientFactory)

    @classmethod
    def _create(cls, model_class, recipient):
        key, plaintext = AgencyApiKey.issue(recipient)
        key.plaintext = plaintext
        return key
