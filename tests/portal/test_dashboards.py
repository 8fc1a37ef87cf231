"""Every role's home page runs as many queries with one record waiting in each of its
"waiting on you" sections as with twenty; key figures and charts come along."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts_services
from accounts.models import Invitation, OrganizationKind, Role
from funding import services
from funding.models import ProgressReport, ReportStatus
from partnerships.models import Clause
from tests.factories import (
    OrganizationFactory,
    make_agreement,
    make_application,
    make_program,
    member,
)
from tests.funding.test_money import FundingCase
from tests.helpers.queries import assert_constant_queries


class DashboardCase(FundingCase):
    """Besides the funding people: hua, admin of the Huaxin enterprise, and ada, admin of
    an industry association."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.enterprise, Role.ADMIN, "hua")
        cls.association = OrganizationFactory(
            kind=OrganizationKind.ASSOCIATION, name="Manufacturing Association"
        )
        cls.ada = member(cls.association, Role.ADMIN, "ada")

    def setUp(self):
        self.program = make_program(self.bureau, max_open=1000)
        self.invitations = 0

    def assert_home_constant(self, user, *adders: Callable[[], object], sections: list[str]):
        """Add one of each waiting thing, count the home page's queries, add 19 more of
        each, count again; then every section lists all twenty."""

        def add(count: int) -> None:
            for _ in range(count):
                for adder in adders:
                    adder()

        add(1)
        self.client.force_login(user)
        assert_constant_queries(self, lambda: self.client.get(reverse("home")), add, rows=20)
        page = self.client.get(reverse("home"))
        for section in sections:
            self.assertContains(page, section, count=20, msg_prefix=section)

    # One thing waiting, of each kind.

    def agreement_to_sign(self, organization) -> Callable[[], object]:
        return lambda: make_agreement(
            organization, self.other_college, status="negotiating", signed=False
        )

    def responsibility_overdue(self, organization) -> Callable[[], object]:
        def add():
            agreement = make_agreement(
                organization, self.other_college, status="active", effective_in=-30
            )
            Clause.objects.filter(agreement=agreement, party__organization=organization).update(
                due_date=timezone.localdate() - timedelta(days=2)
            )

        return add

    def invitation_expiring(self, admin, organization) -> Callable[[], object]:
        def add():
            self.invitations += 1
            invitation, _token = accounts_services.invitation_create(
                actor=admin,
                organization=organization,
                email=f"newcomer{self.invitations}@example.org",
                role=Role.STAFF,
            )
            Invitation.objects.filter(pk=invitation.pk).update(
                expires_at=timezone.now() + timedelta(days=1)
            )

        return add

    def draft(self, applicant) -> Callable[[], object]:
        return lambda: make_application(self.program, applicant)

    def award(self, applicant=None):
        # Awarded in full: a reduced award waits for its budget revision before release.
        application = self.under_review(
            amount="1000.00", applicant=applicant or OrganizationFactory()
        )
        return services.application_approve(
            actor=self.gary, application=application, amount=Decimal("1000")
        )

    def report(self, applicant=None, status=ReportStatus.DUE) -> ProgressReport:
        report = services.report_schedule(
            actor=self.olivia,
            award=self.award(applicant),
            due_date=timezone.localdate() + timedelta(days=5),
            period_start="2026-01-01",
            period_end="2026-06-30",
        )
        ProgressReport.objects.filter(pk=report.pk).update(status=status)
        return report

    def tranche_to_release(self):
        services.tranche_plan(
            actor=self.olivia,
            award=self.award(),
            amount=Decimal("500"),
            due_date=timezone.localdate() + timedelta(days=5),
        )

    def submitted(self):
        make_application(self.program, OrganizationFactory(), status="submitted")

    def to_review(self):
        make_application(self.program, OrganizationFactory(), status="under_review")

    def to_decide(self):
        self.under_review(program=self.program, applicant=OrganizationFactory())

    def report_to_read(self):
        self.report(status=ReportStatus.SUBMITTED)


class TestEveryRolesHomePage(DashboardCase):
    def test_a_college_admins(self):
        self.assert_home_constant(
            self.alice,
            self.agreement_to_sign(self.college),
            self.responsibility_overdue(self.college),
            self.invitation_expiring(self.alice, self.college),
            self.draft(self.college),
            lambda: self.report(self.college),
            sections=[
                "Agreements to sign",
                "Responsibilities of Riverside College",
                "expires soon",
                "Application drafts",
                "Reports due",
            ],
        )

    def test_an_enterprise_admins(self):
        self.assert_home_constant(
            self.hua,
            self.agreement_to_sign(self.enterprise),
            self.responsibility_overdue(self.enterprise),
            self.invitation_expiring(self.hua, self.enterprise),
            self.draft(self.enterprise),
            lambda: self.report(self.enterprise),
            sections=[
                "Agreements to sign",
                "Responsibilities of Huaxin",
                "expires soon",
                "Application drafts",
                "Reports due",
            ],
        )

    def test_a_government_staff_members(self):
        self.assert_home_constant(
            self.olivia,
            self.to_review,
            self.submitted,
            self.report_to_read,
            self.responsibility_overdue(self.bureau),
            sections=[
                "Applications to review",
                "New applications",
                "Reports to read",
                "Responsibilities of Education Bureau",
            ],
        )

    def test_a_government_admins(self):
        self.assert_home_constant(
            self.gary,
            self.to_decide,
            self.to_review,
            self.submitted,
            self.tranche_to_release,
            self.report_to_read,
            self.agreement_to_sign(self.bureau),
            self.responsibility_overdue(self.bureau),
            self.invitation_expiring(self.gary, self.bureau),
            sections=[
                "Decisions to make",
                "Applications to review",
                "New applications",
                "Tranches to release",
                "Reports to read",
                "Agreements to sign",
                "Responsibilities of Education Bureau",
                "expires soon",
            ],
        )

    def test_an_association_admins(self):
        self.assert_home_constant(
            self.ada,
            self.agreement_to_sign(self.association),
            self.responsibility_overdue(self.association),
            self.invitation_expiring(self.ada, self.association),
            sections=[
                "Agreements to sign",
                "Responsibilities of Manufacturing Association",
                "expires soon",
            ],
        )
