"""The History tab and ``GET .../{id}/history/`` of every model test_history.py leaves
out: as many queries for 1 entry as for 21, made by five people, with related records
(a lead, a party, a reviewer, whoever released) changing in between."""

import itertools
from collections.abc import Callable
from decimal import Decimal

from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Membership, OrganizationKind
from funding import services
from funding.models import Recommendation, ReportStatus, TrancheStatus
from partnerships.models import ClauseStatus, PartnershipStatus
from portal.models import Attachment
from tests.factories import (
    OrganizationFactory,
    make_agreement,
    make_application,
    make_program,
    make_reviews,
)
from tests.funding.test_money import FundingCase
from tests.helpers.queries import assert_constant_queries
from tests.partnerships.test_permissions import make_partnership


class HistoryCountCase(FundingCase):
    def setUp(self):
        self.api = APIClient()
        self.people = [self.alice, self.bob, self.gary, self.olivia, self.rita]

    def editor(self, record, change: Callable) -> Callable[[int], None]:
        """``add_rows`` for assert_constant_queries: ``count`` saves of the record, each
        by the next person, after ``change(record, n)``."""
        edits = itertools.count(1)

        def edit(count: int) -> None:
            for _ in range(count):
                n = next(edits)
                change(record, n)
                record._history_user = self.people[n % len(self.people)]
                record.save()

        return edit

    def assert_history_constant(
        self, make: Callable, change: Callable, *, basename: str, viewer, page: str = ""
    ) -> None:
        """The API history of one new record, and the page (``page``: a URL name, the
        History tab of its detail page) of another, for 1 and 21 entries."""
        record = make()
        self.api.force_authenticate(viewer)
        url = reverse(f"api:{basename}-history", args=[record.pk])
        assert_constant_queries(
            self, lambda: self.api.get(url), self.editor(record, change), rows=21
        )
        self.assertGreaterEqual(len(self.api.get(url).json()), 21)
        if page:
            record = make()
            self.client.force_login(viewer)
            url = reverse(page, args=[record.pk]) + "?tab=history"
            assert_constant_queries(
                self, lambda: self.client.get(url), self.editor(record, change), rows=21
            )

    def award(self):
        return services.application_approve(
            actor=self.gary, application=self.under_review(), amount=Decimal("90000")
        )


class TestAccountsHistory(HistoryCountCase):
    def test_an_organization(self):
        def change(organization, n):
            organization.address = f"{n} Riverside Road"
            organization.kind = [OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE][n % 2]

        self.assert_history_constant(
            lambda: OrganizationFactory(),
            change,
            basename="organization",
            viewer=self.olivia,
            page="organization-detail",
        )

    def test_a_membership(self):
        def change(membership, n):
            membership.role = ["staff", "viewer", "admin"][n % 3]  # bob starts as staff

        self.assert_history_constant(
            lambda: Membership.objects.get(user=self.bob, organization=self.college),
            change,
            basename="membership",
            viewer=self.alice,
        )


class TestPartnershipsHistory(HistoryCountCase):
    def test_a_partnership_and_its_members(self):
        leads = [self.college, self.other_college]

        def change(partnership, n):
            partnership.description = f"Version {n}"
            partnership.status = [PartnershipStatus.PROPOSED, PartnershipStatus.ACTIVE][n % 2]
            partnership.lead = leads[n % 2]
            member = partnership.members.first()
            member.role = f"Role {n}"
            member._history_user = self.people[(n + 1) % len(self.people)]
            member.save()

        self.assert_history_constant(
            lambda: make_partnership(self.college, self.other_college),
            change,
            basename="partnership",
            viewer=self.alice,
            page="partnership-detail",
        )

    def test_a_clause(self):
        def change(clause, n):
            clause.text = f"Responsibility, version {n}"
            clause.status = [ClauseStatus.OPEN, ClauseStatus.FULFILLED][n % 2]
            clause.status_changed_by = self.people[(n + 2) % len(self.people)]
            clause.party = clause.agreement.parties.all()[n % 2]

        self.assert_history_constant(
            lambda: make_agreement(self.college, self.other_college).clauses.first(),
            change,
            basename="clause",
            viewer=self.alice,
        )


class TestFundingHistory(HistoryCountCase):
    def test_a_fund_program(self):
        departments = [self.bureau, OrganizationFactory(kind=OrganizationKind.GOVERNMENT)]

        def change(program, n):
            program.description = f"Round {n}"
            program.department = departments[n % 2]

        self.assert_history_constant(
            lambda: make_program(self.bureau),
            change,
            basename="fund-program",
            viewer=self.olivia,
            page="fund-program-detail",
        )

    def test_a_review(self):
        def change(review, n):
            review.comment = f"Comment {n}"
            review.recommendation = [Recommendation.FUND, Recommendation.DO_NOT_FUND][n % 2]

        def make():
            application = make_application(
                make_program(self.bureau), self.college, status="under_review"
            )
            make_reviews(application, self.olivia)
            return application.reviews.get()

        self.assert_history_constant(make, change, basename="review", viewer=self.gary)

    def test_a_conflict_of_interest(self):
        def change(conflict, n):
            conflict.reason = f"Reason {n}"

        self.assert_history_constant(
            lambda: services.conflict_declare(
                actor=self.olivia, organization=OrganizationFactory(), reason="Former dean"
            ),
            change,
            basename="conflict-of-interest",
            viewer=self.olivia,
        )

    def test_an_award(self):
        def change(award, n):
            award.amount = Decimal(80000 + n)

        self.assert_history_constant(self.award, change, basename="award", viewer=self.alice)

    def test_a_tranche_and_its_evidence_page(self):
        def change(tranche, n):
            tranche.milestone = f"Milestone {n}"
            tranche.status = [TrancheStatus.PLANNED, TrancheStatus.RELEASED][n % 2]
            tranche.released_by = self.people[(n + 1) % len(self.people)]

        def make():
            return services.tranche_plan(
                actor=self.olivia, award=self.award(), amount=Decimal("1"), due_date="2027-01-01"
            )

        self.assert_history_constant(
            make, change, basename="tranche", viewer=self.alice, page="tranche-evidence"
        )

    def test_a_progress_report(self):
        def change(report, n):
            report.narrative = f"Week {n}"
            report.status = [ReportStatus.SUBMITTED, ReportStatus.RETURNED][n % 2]
            report.reviewed_by = self.people[(n + 3) % len(self.people)]

        def make():
            return services.report_schedule(
                actor=self.olivia,
                award=self.award(),
                due_date="2027-01-01",
                period_start="2026-06-01",
                period_end="2026-12-31",
            )

        self.assert_history_constant(make, change, basename="progress-report", viewer=self.alice)


class TestAttachmentHistory(HistoryCountCase):
    def test_an_attachment(self):
        agreement = make_agreement(self.college, self.other_college)

        def make():
            return Attachment.objects.create(
                record=agreement,
                original_name="plan.pdf",
                media_type="application/pdf",
                size=1,
                sha256="0" * 64,
                uploaded_by=self.alice,
                file="plan.pdf",
            )

        def change(attachment, n):
            attachment.description = f"Version {n}"
            attachment.uploaded_by = self.people[(n + 1) % len(self.people)]

        self.assert_history_constant(make, change, basename="attachment", viewer=self.charlie)
