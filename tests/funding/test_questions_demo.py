"""The funding demo's questions: the open program asks five, its applications answer
them, every submitted one keeps its version 1, and the robot training centre was asked
for more and resubmitted as version 2."""

from unittest import mock

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from accounts.models import User
from funding import services
from funding.demo import OPEN_TITLE
from funding.demo.questions import ANSWERS, RESUBMITTED_TITLE
from funding.models import (
    ApplicationAnswer,
    ApplicationStatus,
    ApplicationVersion,
    FundApplication,
    FundProgram,
    QuestionKind,
)


class TestQuestionsDemo(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", stdout=mock.MagicMock())
        cls.program = FundProgram.objects.get(title=OPEN_TITLE)

    def test_the_open_program_asks_five_questions_and_seeding_again_adds_none(self):
        kinds = list(self.program.questions.values_list("kind", flat=True))
        self.assertEqual(
            kinds,
            [
                QuestionKind.LONG_TEXT,
                QuestionKind.NUMBER,
                QuestionKind.MONEY,
                QuestionKind.DATE,
                QuestionKind.CHOICE,
            ],
        )
        before = (ApplicationAnswer.objects.count(), ApplicationVersion.objects.count())
        call_command("seed_demo", stdout=mock.MagicMock())
        self.assertEqual(self.program.questions.count(), 5)
        self.assertEqual(
            (ApplicationAnswer.objects.count(), ApplicationVersion.objects.count()), before
        )

    def test_submitted_applications_are_complete_and_keep_their_versions(self):
        for application in self.program.applications.filter(title__in=ANSWERS):
            with self.subTest(application=application.title):
                if application.status == ApplicationStatus.DRAFT:
                    self.assertEqual(application.version, 0)
                    self.assertTrue(services.missing_answers(application))
                    continue
                self.assertEqual(services.missing_answers(application), [])
                self.assertEqual(application.versions.count(), application.version)
                self.assertGreaterEqual(application.version, 1)

    def test_one_application_was_asked_for_more_and_resubmitted(self):
        application = FundApplication.objects.get(title=RESUBMITTED_TITLE)
        self.assertEqual((application.status, application.version), ("under_review", 2))
        self.assertTrue(application.info_request)
        older, newer = application.versions.order_by("number")
        diff = services.versions_diff(older, newer)
        self.assertEqual(newer.content["in_reply_to"], application.info_request)
        changed = {change.field for change in diff.fields if change.changed}
        self.assertEqual(changed, {"summary", "requested_amount"})
        self.assertEqual(sorted(line.change for line in diff.lines), ["added", "changed", "same"])
        self.assertEqual(sum(answer.change == "changed" for answer in diff.answers), 2)
        # Its reviews were made on version 1.
        self.assertEqual(set(application.reviews.values_list("version", flat=True)), {1})
        self.client.force_login(User.objects.get(username="enterprise"))
        page = self.client.get(application.get_absolute_url())
        self.assertContains(page, "What changed since version 1")
        versions = self.client.get(reverse("fund-application-versions", args=[application.pk]))
        self.assertContains(versions, "Enterprise mentors")
