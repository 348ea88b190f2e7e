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
