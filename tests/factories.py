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


def make_agreement(
    *parties: Organization,
    status: str = "draft",
    effective_in: int = 10,
    lasts: int = 365,
    title: str = "Framework agreement",
    clauses: int = 1,
    signed: bool | None = None,
):
    """An agreement between the organizations, in the given status, with ``clauses``
    responsibilities per party. Parties count as signed in signed and later statuses."""
    from datetime import timedelta

    from partnerships.models import Agreement, AgreementParty, Clause, ClauseCategory, ClauseKind
    from portal.references import next_reference

    today = timezone.localdate()
    agreement = Agreement.objects.create(
        reference=next_reference("AGR"),
        title=title,
        kind="framework",
        status=status,
        effective_date=today + timedelta(days=effective_in),
        expiry_date=today + timedelta(days=effective_in + lasts),
    )
    if signed is None:
        signed = status in ("signed", "active", "expired", "terminated")
    for index, organization in enumerate(parties):
        party = AgreementParty.objects.create(
            agreement=agreement, organization=organization, role=f"Party {'ABCDEFG'[index]}"
        )
        for number in range(clauses):
            Clause.objects.create(
                agreement=agreement,
                party=party,
                kind=ClauseKind.RESPONSIBILITY,
                category=ClauseCategory.TALENT_TRAINING,
                text=f"Responsibility {number + 1} of {organization.name}",
                due_date=today + timedelta(days=30),
            )
    if signed:
        terms = agreement.terms_hash()
        agreement.parties.update(signed_at=timezone.now(), signed_terms_hash=terms)
    return agreement


def make_program(
    department: Organization,
    *,
    budget="1000000.00",
    max_award="300000.00",
    status="open",
    min_reviews=2,
    max_open=1,
    kinds=("college", "enterprise"),
    opens_in=-10,
    closes_in=30,
):
    """A fund program of the department with two weighted criteria."""
    from datetime import timedelta
    from decimal import Decimal

    from funding.models import FundProgram, ReviewCriterion
    from portal.references import next_reference

    today = timezone.localdate()
    program = FundProgram.objects.create(
        department=department,
        reference=next_reference("FND"),
        title="School-enterprise cooperation fund",
        funding_source="special_fund",
        total_budget=Decimal(budget),
        max_award=Decimal(max_award),
        eligible_kinds=list(kinds),
        opens_on=today + timedelta(days=opens_in),
        closes_on=today + timedelta(days=closes_in),
        max_open_applications=max_open,
        min_reviews=min_reviews,
        status=status,
    )
    ReviewCriterion.objects.create(
        program=program, name="Impact", weight=Decimal("60"), max_score=10, order=0
    )
    ReviewCriterion.objects.create(
        program=program, name="Feasibility", weight=Decimal("40"), max_score=5, order=1
    )
    return program


def make_application(
    program,
    applicant: Organization,
    *,
    amount="100000.00",
    status="draft",
    title="Robotics training centre",
):
    """An application with budget lines adding up to the amount."""
    from decimal import Decimal

    from funding.models import BudgetLine, FundApplication
    from portal.references import next_reference

    amount = Decimal(amount)
    application = FundApplication.objects.create(
        program=program,
        applicant=applicant,
        reference=next_reference("APP"),
        title=title,
        requested_amount=amount,
        status=status,
        submitted_at=timezone.now() if status != "draft" else None,
    )
    half = (amount / 2).quantize(Decimal("0.01"))
    BudgetLine.objects.create(
        application=application, category="equipment", description="Robot arms", amount=half
    )
    BudgetLine.objects.create(
        application=application, category="training", description="Trainers", amount=amount - half
    )
    return application


def make_reviews(application, *reviewers):
    """Completed reviews by each reviewer (full marks)."""
    from funding.services import review_submit

    for reviewer in reviewers:
        review_submit(
            actor=reviewer,
            application=application,
            scores={c.pk: c.max_score for c in application.program.criteria.all()},
            recommendation="fund",
        )
