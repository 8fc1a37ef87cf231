"""People and records for the review tests (assigned, blind, corrected reviews)."""

from __future__ import annotations

from accounts.models import OrganizationKind, Role
from funding import services
from funding.models import FundApplication, Review
from tests.factories import OrganizationFactory, make_application, make_program, member
from tests.funding.test_money import FundingCase


class ReviewCase(FundingCase):
    """The bureau: gary and hugo (admins), olivia, rita and sam (staff), vera (viewer);
    kim is staff of another government department. alice, bob and victor are
    Riverside's (the applicant); charlie is Eastlake's."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.hugo = member(cls.bureau, Role.ADMIN, "hugo")
        cls.sam = member(cls.bureau, Role.STAFF, "sam")
        cls.vera = member(cls.bureau, Role.VIEWER, "vera")
        cls.finance = OrganizationFactory(name="Finance Bureau", kind=OrganizationKind.GOVERNMENT)
        cls.kim = member(cls.finance, Role.STAFF, "kim")

    def application(self, status="under_review", program=None, applicant=None, **kwargs):
        program = program or make_program(self.bureau, **kwargs)
        return make_application(program, applicant or self.college, status=status)

    def review(
        self, application: FundApplication, reviewer, impact=8, feasibility=4, recommendation="fund"
    ) -> Review:
        impact_criterion, feasibility_criterion = application.program.criteria.all()
        return services.review_submit(
            actor=reviewer,
            application=application,
            scores={impact_criterion.pk: impact, feasibility_criterion.pk: feasibility},
            recommendation=recommendation,
            comment=f"Comment by {reviewer.username}",
        )

    def score_data(self, application, impact=8, feasibility=4, recommendation="fund") -> dict:
        impact_criterion, feasibility_criterion = application.program.criteria.all()
        return {
            f"score_{impact_criterion.pk}": impact,
            f"score_{feasibility_criterion.pk}": feasibility,
            "recommendation": recommendation,
            "comment": "Solid plan.",
        }
