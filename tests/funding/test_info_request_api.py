"""The more-information loop through the API: the department asks, the applicant edits
its answers, summary, budget and amount and resubmits, a new version is kept and the
two compare; every status against request-info and resubmit; who may do each."""

from decimal import Decimal

from django.urls import reverse
from rest_framework.test import APIClient

from funding import services
from funding.models import (
    ApplicationStatus,
    ApplicationVersion,
    ConflictOfInterest,
    FundApplication,
    ReviewAssignment,
)
from portal.models import Notification
from tests.factories import make_application, make_program, make_reviews
from tests.funding.test_money import FundingCase
from tests.funding.test_questions_service import add_questions

QUESTIONS = "How many trainees come from partner colleges? Show the enterprise's share."


def submitted(test, *, status="under_review", questions=None):
    """An application submitted through the service (version 1), then moved to
    ``status``."""
    program = make_program(test.bureau)
    questions = questions if questions is not None else add_questions(program, required=False)
    application = make_application(program, test.college)
    if questions:
        services.application_update(
            actor=test.bob,
            application=application,
            answers={
                questions["long_text"].pk: "Train sixty technicians",
                questions["number"].pk: "60",
            },
        )
    services.application_submit(actor=test.bob, application=application)
    FundApplication.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application, questions


class TestInfoRequestTransitions(FundingCase):
    def setUp(self):
        self.api = APIClient()

    def post(self, user, application, verb, data=None):
        self.api.force_authenticate(user)
        return self.api.post(
            reverse(f"api:fund-application-{verb}", args=[application.pk]),
            data or {},
            format="json",
        )

    def test_request_info_and_resubmit_from_every_status(self):
        verbs = {
            "request-info": ({"under_review"}, self.olivia, {"questions": QUESTIONS}),
            "resubmit": ({"info_requested"}, self.bob, {}),
        }
        for verb, (allowed, user, data) in verbs.items():
            for status in ApplicationStatus.values:
                program = make_program(self.bureau)
                application = make_application(program, self.college, status=status)
                if status == "draft":
                    FundApplication.objects.filter(pk=application.pk).update(submitted_at=None)
                response = self.post(user, application, verb, data)
                with self.subTest(verb=verb, status=status):
                    if status in allowed:
                        self.assertEqual(response.status_code, 200, response.content)
                    elif status == "draft" and user == self.olivia:
                        # Government never sees a draft: it reads as missing.
                        self.assertEqual(response.status_code, 404, response.content)
                    else:
                        self.assertEqual(response.status_code, 409, response.content)
                        self.assertEqual(response.json()["code"], "invalid_transition")
                        self.assertEqual(
                            FundApplication.objects.get(pk=application.pk).status, status
                        )

    def test_withdraw_and_start_review_from_info_requested(self):
        application, _questions = submitted(self, status="info_requested")
        # Starting a review is for submitted applications only, although both moves end
        # "under review".
        self.assertEqual(self.post(self.olivia, application, "start-review").status_code, 409)
        self.assertEqual(self.post(self.bob, application, "submit").status_code, 409)
        self.assertEqual(self.post(self.bob, application, "withdraw").status_code, 200)

    def test_who_asks_and_who_resubmits(self):
        application, _questions = submitted(self)
        # The applicant, a viewer, another college: not theirs to ask.
        self.assertEqual(
            self.post(self.alice, application, "request-info", {"questions": "?"}).status_code,
            403,
        )
        self.assertEqual(
            self.post(self.charlie, application, "request-info", {"questions": "?"}).status_code,
            404,
        )
        ConflictOfInterest.objects.create(officer=self.rita, organization=self.college, reason="x")
        self.assertEqual(
            self.post(self.rita, application, "request-info", {"questions": "?"}).status_code, 403
        )
        for body in ({}, {"questions": "   "}, {"questions": "x" * 4001}):
            with self.subTest(body=str(body)[:30]):
                response = self.post(self.olivia, application, "request-info", body)
                self.assertEqual(response.status_code, 400)
                self.assertIn("questions", response.json())
        self.assertEqual(
            self.post(
                self.olivia, application, "request-info", {"questions": QUESTIONS}
            ).status_code,
            200,
        )
        self.assertEqual(self.post(self.victor, application, "resubmit").status_code, 403)
        self.assertEqual(self.post(self.charlie, application, "resubmit").status_code, 404)
        self.assertEqual(self.post(self.olivia, application, "resubmit").status_code, 403)
        self.assertEqual(self.post(self.bob, application, "resubmit").status_code, 200)


class TestMoreInformationLoopApi(FundingCase):
    def setUp(self):
        self.api = APIClient()
        self.application, self.questions = submitted(self)
        make_reviews(self.application, self.olivia)
        ReviewAssignment.objects.create(
            application=self.application, reviewer=self.rita, due_date="2030-01-01"
        )

    def url(self, name, **query):
        url = reverse(f"api:fund-application-{name}", args=[self.application.pk])
        return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def test_the_department_asks_the_applicant_edits_and_resubmits_as_version_2(self):
        self.api.force_authenticate(self.gary)
        body = self.api.post(self.url("request-info"), {"questions": QUESTIONS}).json()
        self.assertEqual(
            (body["status"], body["info_request"], body["version"]),
            ("info_requested", QUESTIONS, 1),
        )
        told = Notification.objects.filter(recipient=self.alice).latest("created_at")
        self.assertIn("asks for more information", told.title)
        self.assertEqual(told.body, QUESTIONS)

        self.api.force_authenticate(self.bob)
        detail = self.api.get(self.url("detail")).json()
        self.assertEqual(sorted(detail["actions"]), ["edit", "resubmit", "withdraw"])
        # The applicant edits its answers, summary, budget lines and amount.
        response = self.api.patch(
            self.url("detail"),
            {
                "summary": "Eighty technicians, fifty from partner colleges.",
                "requested_amount": "120000.00",
                "budget_lines": [
                    {"category": "equipment", "description": "Robot arms", "amount": "70000.00"},
                    {"category": "training", "description": "Trainers", "amount": "50000.00"},
                ],
                "answers": [
                    {"question": self.questions["number"].pk, "value": "80"},
                    {"question": self.questions["money"].pk, "value": "25000"},
                ],
            },
            format="json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        answers = {row["question"]: row["value"] for row in response.json()["answers"]}
        self.assertEqual(answers[self.questions["money"].pk], "25000.00")
        response = self.api.post(self.url("resubmit"))
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            (response.json()["status"], response.json()["version"]), ("under_review", 2)
        )
        # The department and the assigned reviewer are told.
        for officer in (self.olivia, self.rita, self.gary):
            latest = Notification.objects.filter(recipient=officer).latest("created_at")
            self.assertIn("resubmitted", latest.title)
        # Reviews made before stay, naming the version they read.
        self.assertEqual(list(self.application.reviews.values_list("version", flat=True)), [1])

        versions = self.api.get(self.url("versions")).json()
        self.assertEqual(versions["count"], 2)
        newest = versions["results"][0]
        self.assertEqual((newest["number"], newest["content"]["in_reply_to"]), (2, QUESTIONS))
        self.assertEqual(newest["submitted_by"], "bob")

        diff = self.api.get(self.url("diff", **{"from": 1, "to": 2})).json()
        fields = {row["field"]: row for row in diff["fields"]}
        self.assertTrue(fields["summary"]["changed"])
        self.assertFalse(fields["title"]["changed"])
        self.assertEqual(
            (fields["requested_amount"]["old"], fields["requested_amount"]["new"]),
            ("100000.00", "120000.00"),
        )
        self.assertIn(
            {"kind": "added", "text": "Eighty technicians, fifty from partner colleges."},
            fields["summary"]["segments"],
        )
        lines = {(row["description"], row["change"]) for row in diff["lines"]}
        self.assertEqual(lines, {("Robot arms", "changed"), ("Trainers", "same")})
        answers = {row["label"]: (row["change"], row["old"], row["new"]) for row in diff["answers"]}
        self.assertEqual(answers["Question about number"], ("changed", "60", "80"))
        self.assertEqual(answers["Question about money"], ("added", "", "25000.00"))
        self.assertEqual(answers["Question about long_text"][0], "same")
        self.assertEqual(diff["in_reply_to"], QUESTIONS)
        self.assertEqual(diff["changed_count"], 5)  # summary, amount, a line, two answers
        # Government reads the same.
        self.api.force_authenticate(self.olivia)
        self.assertEqual(self.api.get(self.url("diff", **{"from": 2, "to": 1})).json(), diff)

    def test_resubmitting_checks_as_submitting_does(self):
        services.application_request_info(
            actor=self.olivia, application=self.application, questions=QUESTIONS
        )
        services.application_update(
            actor=self.bob, application=self.application, requested_amount=Decimal("999")
        )
        required = self.questions["date"]
        required.required = True
        required.save()
        self.api.force_authenticate(self.bob)
        response = self.api.post(self.url("resubmit"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("requested_amount", response.json())
        self.assertEqual(
            response.json()["answers"], ["Answer “Question about date” before submitting."]
        )
        self.assertEqual(ApplicationVersion.objects.filter(application=self.application).count(), 1)

    def test_bad_version_numbers_are_field_errors(self):
        self.api.force_authenticate(self.alice)
        cases = [
            ({}, {"from", "to"}),
            ({"from": "one", "to": 1}, {"from"}),
            ({"from": 1, "to": "9" * 5000}, {"to"}),
            ({"from": 0, "to": 1}, {"from"}),
            ({"from": -1, "to": 1}, {"from"}),
            ({"from": 1, "to": 2}, {"to"}),  # no version 2 yet
            ({"from": 1, "to": 40000}, {"to"}),
            ({"from": 1, "to": 1}, {"to"}),
        ]
        for query, fields in cases:
            with self.subTest(query=str(query)[:40]):
                response = self.api.get(self.url("diff", **query))
                self.assertEqual(response.status_code, 400, response.content)
                self.assertEqual(set(response.json()), fields)
