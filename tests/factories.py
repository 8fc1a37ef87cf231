"""factory_boy factories for the records every app's tests need."""

import factory
from django.utils import timezone

from accounts.demo import demo_credit_code
from accounts.models import Membership, Organization, OrganizationKind, Role, User

PASSWORD = "correct-horse-battery-staple"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrganizationKind.COLLEGE
    name = factory.Sequence(lambda n: f"Organization {n}")
    credit_code = factory.Sequence(lambda n: demo_credit_code(f"91330100MA{n:07d}"))
    region = "Hangzhou"
    industry = "Education"

    class Params:
        college = factory.Trait(kind=OrganizationKind.COLLEGE)
        enterprise = factory.Trait(kind=OrganizationKind.ENTERPRISE, industry="Manufacturing")
        government = factory.Trait(kind=OrganizationKind.GOVERNMENT, industry="Government")
        association = factory.Trait(kind=OrganizationKind.ASSOCIATION)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)
    last_login = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.STAFF


def member(organization: Organization, role: str = Role.STAFF, username: str | None = None) -> User:
    """A new person with the given role in the organization."""
    user = UserFactory(**({"username": username} if username else {}))
    MembershipFactory(user=user, organization=organization, role=role)
    return user
