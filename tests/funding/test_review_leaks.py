"""What a score gives away: the order of a list sorted by score, a withdrawn
application's reviews, the applicant's view while reviews are still corrected, and a
spread over a draft program."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from funding.models import ApplicationStatus, FundApplication
from tests.factories import make_application, make_program
from tests.funding.review_helpers import ReviewCase


class TestNoScoreLeaks(ReviewCase):
    def setUp(self):
        self.api = APIClient()
        self.program = make_program(self.bureau, max_open=10)

    def scored(self, title, impact, reviewer):
        application = make_application(
            self.program, self.college, status="under_review", title=title
        )
        self.review(application, reviewer, impact=impact, feasibility=0)
        return application

    def ordered(self, user, ordering):
        self.api.force_authenticate(user)
        response = self.api.get(
            reverse("api:fund-application-list"),
            {"program": self.program.pk, "ordering": ordering},
        )
        self.assertEqual(response.status_code, 200, response.content)
        return [row["id"] for row in response.json()["results"]]

    def test_sorting_by_score_gives_a_blind_reviewer_no_order(self):
        # olivia scored both; rita has scored neither: both scores are hidden from her,
        # so sorting by score may not put them in the order of the hidden scores.
        low = self.scored("Low", 0, self.olivia)
        high = self.scored("High", 10, self.olivia)
        self.assertEqual(self.ordered(self.olivia, "weighted_score"), [low.pk, high.pk])
        self.assertEqual(self.ordered(self.olivia, "-weighted_score"), [high.pk, low.pk])
        ascending = self.ordered(self.rita, "weighted_score,id")
        descending = self.ordered(self.rita, "-weighted_score,id")
        self.assertEqual(ascending, descending)  # all hidden: only the id orders them

    def test_a_withdrawn_applications_reviews_stay_blind(self):
        application = self.scored("Withdrawn", 8, self.olivia)
        FundApplication.objects.filter(pk=application.pk).update(status=ApplicationStatus.WITHDRAWN)
        self.api.force_authenticate(self.rita)
        response = self.api.get(reverse("api:review-list"), {"application": application.pk})
        self.assertEqual(response.json()["results"], [])
        detail = self.api.get(reverse("api:fund-application-detail", args=[application.pk]))
        self.assertIsNone(detail.json()["weighted_score"])

    def test_the_applicant_reads_the_score_once_decided(self):
        application = self.scored("Scored", 8, self.olivia)
        self.review(application, self.rita, impact=6, feasibility=2)
        url = reverse("api:fund-application-detail", args=[application.pk])
        self.api.force_authenticate(self.alice)
        self.assertIsNone(self.api.get(url).json()["weighted_score"])
        self.api.force_authenticate(self.gary)
        approve = reverse("api:fund-application-approve", args=[application.pk])
        self.assertEqual(self.api.post(approve, {"amount": "1000.00"}).status_code, 200)
        self.api.force_authenticate(self.alice)
        self.assertIsNotNone(self.api.get(url).json()["weighted_score"])

    def test_spreading_over_a_draft_program_is_refused(self):
        draft = make_program(self.bureau, status="draft")
        self.api.force_authenticate(self.gary)
        response = self.api.post(
            reverse("api:review-assignment-spread"),
            {
                "program": draft.pk,
                "reviewers": ["olivia", "rita"],
                "per_application": 1,
                "due_date": (timezone.localdate() + timedelta(days=7)).isoformat(),
            },
            format="json",
        )
        self.assertEqual(response.status_code, 409, response.content)
