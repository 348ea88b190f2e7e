"""factory_boy factories shared by the suite (no JSON fixtures)."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portal.models import StandardPage


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
