import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import OFFICERS_GROUP, Membership, Organization
from catalog.tests.factories import ProvinceFactory

PASSWORD = "Kh0ng-de-doan!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Hợp tác xã số {n}")
    kind = Organization.Kind.COOPERATIVE
    province = factory.SubFactory(ProvinceFactory)
    contact_person = "Nguyễn Văn A"
    phone = "0262 3812 345"
    email = factory.Sequence(lambda n: f"lienhe{n}@example.vn")


def member_of(organization, user=None, role=Membership.Role.OWNER):
    user = user or UserFactory()
    Membership.objects.get_or_create(user=user, organization=organization, defaults={"role": role})
    return user


def make_officer(username="officer"):
    user = UserFactory(username=username, is_staff=True)
    group, _ = Group.objects.get_or_create(name=OFFICERS_GROUP)
    user.groups.add(group)
    return user
