"""Program questions and answers through the API: `program-questions/` for the
department while the program is a draft, and `answers` on `fund-applications/`, checked
as the pages check them, a file answered with an attachment of the application."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from funding.forms.questions import answer_form_field
from funding.models import ApplicationAnswer, FundApplication, ProgramQuestion
from tests.factories import make_application, make_program
from tests.funding.test_money import FundingCase
from tests.funding.test_questions_service import INVALID, VALID, add_questions
from tests.helpers.queries import assert_constant_queries
from tests.portal.test_attachments import PDF

LIST = reverse("api:program-question-list")


def detail(question) -> str:
    return reverse("api:program-question-detail", args=[question.pk])


class TestProgramQuestionsApi(FundingCase):
    def setUp(self):
        self.api = APIClient()
        self.program = make_program(self.bureau, status="draft")
        self.question = ProgramQuestion.objects.create(
            program=self.program, label="Goals", kind="long_text"
        )

    def as_user(self, user):
        self.api.force_authenticate(user)

    def create(self, **fields):
        data = {"program": self.program.pk, "label": "Start", "kind": "date", **fields}
        return self.api.post(LIST, data, format="json")

    def listed(self) -> set[int]:
        return {
            row["id"] for row in self.api.get(LIST, {"program": self.program.pk}).json()["results"]
        }

    def test_anonymous_callers_get_401(self):
        self.as_user(None)
        self.assertEqual(self.api.get(LIST).status_code, 401)
        self.assertEqual(self.api.get(detail(self.question)).status_code, 401)
        self.assertEqual(self.api.patch(detail(self.question), {}).status_code, 401)
        self.assertEqual(self.api.delete(detail(self.question)).status_code, 401)
        self.assertEqual(self.create().status_code, 401)

    def test_outside_the_department_a_draft_programs_questions_do_not_exist(self):
        for user in (self.charlie, self.victor, self.alice):
            self.as_user(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.api.get(detail(self.question)).status_code, 404)
                self.assertEqual(self.listed(), set())
                patch = self.api.patch(detail(self.question), {"label": "Aims"}, format="json")
                self.assertEqual(patch.status_code, 404)
                self.assertEqual(self.api.delete(detail(self.question)).status_code, 404)
                response = self.create()
                self.assertEqual(response.status_code, 400)
                self.assertIn("program", response.json())

    def test_once_open_everyone_reads_them_and_only_the_department_writes_409(self):
        self.program.status = "open"
        self.program.save()
        for user in (self.victor, self.alice):
            self.as_user(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.api.get(detail(self.question)).status_code, 200)
                self.assertEqual(self.listed(), {self.question.pk})
                patch = self.api.patch(detail(self.question), {"label": "Aims"}, format="json")
                self.assertEqual(patch.status_code, 403)
                self.assertEqual(self.api.delete(detail(self.question)).status_code, 403)
                self.assertEqual(self.create().status_code, 403)
        self.as_user(self.olivia)
        patch = self.api.patch(detail(self.question), {"label": "Aims"}, format="json")
        self.assertEqual(patch.status_code, 409)
        self.assertEqual(self.api.delete(detail(self.question)).status_code, 409)
        self.assertEqual(self.create().status_code, 409)

    def test_the_department_creates_changes_and_removes_them_while_a_draft(self):
        self.as_user(self.olivia)
        response = self.create(kind="choice", choices=["Yes", "No"], required=True)
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(
            (body["choices"], body["required"], body["order"]), (["Yes", "No"], True, 1)
        )
        question = ProgramQuestion.objects.get(pk=body["id"])
        response = self.api.patch(
            detail(question), {"kind": "number", "program": 10**9}, format="json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            (response.json()["choices"], response.json()["program"]), ([], self.program.pk)
        )
        history = self.api.get(detail(question) + "history/").json()
        self.assertGreaterEqual(len(history), 2)
        self.assertEqual(self.api.delete(detail(question)).status_code, 204)
        self.as_user(self.gary)
        self.assertEqual(self.listed(), {self.question.pk})

    def test_limits_are_field_errors(self):
        self.as_user(self.olivia)
        cases = [
            ({"label": "x" * 256}, "label"),
            ({"help_text": "x" * 501}, "help_text"),
            ({"kind": "essay"}, "kind"),
            ({"choices": ["A", "B"]}, "choices"),
            ({"kind": "choice", "choices": ["A"]}, "choices"),
            ({"kind": "choice", "choices": [f"O{n}" for n in range(51)]}, "choices"),
            ({"kind": "choice", "choices": [f"O{n}" for n in range(5000)]}, "choices"),
            ({"kind": "choice", "choices": ["A", "x" * 201]}, "choices"),
            ({"kind": "choice", "choices": ["A", "a"]}, "choices"),
            ({"kind": "choice", "choices": "A,B"}, "choices"),
            ({"program": "x"}, "program"),
            ({"program": "9" * 400}, "program"),
        ]
        for fields, field in cases:
            with self.subTest(fields=str(fields)[:50]):
                response = self.create(**fields)
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(field, response.json())
        self.assertEqual(self.program.questions.count(), 1)
        for number in range(29):
            self.assertEqual(self.create(label=f"Q{number}").status_code, 201)
        response = self.create(label="One too many")
        self.assertEqual(response.status_code, 400)
        self.assertIn("at most 30", str(response.json()))


class TestAnswersApi(FundingCase):
    def setUp(self):
        self.api = APIClient()
        self.program = make_program(self.bureau)
        self.questions = add_questions(self.program)
        self.application = make_application(self.program, self.college)
        self.url = reverse("api:fund-application-detail", args=[self.application.pk])
        self.api.force_authenticate(self.bob)

    def patch(self, answers):
        return self.api.patch(self.url, {"answers": answers}, format="json")

    def test_answers_are_written_read_and_kept_in_canonical_form(self):
        response = self.patch(
            [
                {"question": self.questions[kind].pk, "value": raw}
                for kind, (raw, _k) in VALID.items()
            ]
        )
        self.assertEqual(response.status_code, 200, response.content)
        answers = {row["kind"]: row for row in response.json()["answers"]}
        self.assertEqual(
            {kind: row["value"] for kind, row in answers.items()},
            {kind: kept for kind, (_raw, kept) in VALID.items()},
        )
        self.assertEqual(answers["date"]["label"], "Question about date")
        # Those left out keep their answers; a blank value removes one.
        response = self.patch([{"question": self.questions["text"].pk, "value": ""}])
        self.assertEqual(len(response.json()["answers"]), 5)

    def test_the_api_refuses_what_the_form_refuses_with_the_same_words(self):
        for kind, values in INVALID.items():
            question = self.questions[kind]
            for value in values:
                with self.subTest(kind=kind, value=value[:20]):
                    response = self.patch([{"question": question.pk, "value": value}])
                    self.assertEqual(response.status_code, 400, response.content)
                    api_errors = response.json()[f"question_{question.pk}"]
                    # The page shows the service's own message next to its field.
                    self.client.force_login(self.bob)
                    page = self.client.post(
                        reverse("fund-application-edit", args=[self.application.pk]),
                        {
                            "title": "Lab",
                            "requested_amount": "100000.00",
                            f"question_{question.pk}": value,
                        },
                    )
                    self.assertEqual(
                        list(page.context["form"].errors[f"question_{question.pk}"]), api_errors
                    )
        self.assertFalse(ApplicationAnswer.objects.exists())

    def test_rows_that_make_no_sense_are_refused(self):
        hidden = add_questions(make_program(self.bureau, status="draft"))
        other = add_questions(make_program(self.bureau))
        text, upload = self.questions["text"], self.questions["file"]
        cases = [
            ([{"question": text.pk}], "answers"),
            (
                [{"question": text.pk, "value": "A"}, {"question": text.pk, "value": "B"}],
                f"question_{text.pk}",
            ),
            ([{"question": text.pk, "attachment": 1}], f"question_{text.pk}"),
            ([{"question": upload.pk, "value": "plan.pdf"}], f"question_{upload.pk}"),
            ([{"question": upload.pk, "attachment": 10**9}], f"question_{upload.pk}"),
            ([{"question": hidden["text"].pk, "value": "A"}], "answers"),
            ([{"question": other["text"].pk, "value": "A"}], f"question_{other['text'].pk}"),
            ([{"question": text.pk, "value": "A"}] * 31, "answers"),
            ("A", "answers"),
        ]
        for answers, field in cases:
            with self.subTest(answers=str(answers)[:60]):
                response = self.patch(answers)
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(field, response.json())
        self.assertFalse(ApplicationAnswer.objects.exists())

    def test_a_file_question_is_answered_with_a_file_uploaded_to_the_application(self):
        upload = self.api.post(
            reverse("api:attachment-list"),
            {
                "record": f"funding.fundapplication:{self.application.pk}",
                "file": SimpleUploadedFile("plan.pdf", PDF),
            },
            format="multipart",
        )
        self.assertEqual(upload.status_code, 201, upload.content)
        attachment = upload.json()["id"]
        response = self.patch([{"question": self.questions["file"].pk, "attachment": attachment}])
        self.assertEqual(response.status_code, 200, response.content)
        row = response.json()["answers"][0]
        self.assertEqual(
            (row["attachment"], row["file_name"], row["value"]), (attachment, "plan.pdf", "")
        )
        # The file stays while it answers the question.
        removed = self.api.delete(reverse("api:attachment-detail", args=[attachment]))
        self.assertEqual(removed.status_code, 400)
        response = self.patch([{"question": self.questions["file"].pk, "attachment": None}])
        self.assertEqual(response.json()["answers"], [])

    def test_an_application_is_created_with_its_answers(self):
        response = self.api.post(
            reverse("api:fund-application-list"),
            {
                "program": self.program.pk,
                "applicant": self.college.pk,
                "title": "Lab",
                "requested_amount": "100.00",
                "answers": [{"question": self.questions["number"].pk, "value": 42}],
            },
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["answers"][0]["value"], "42")
        bad = self.api.post(
            reverse("api:fund-application-list"),
            {
                "program": self.program.pk,
                "applicant": self.college.pk,
                "title": "Lab",
                "requested_amount": "100.00",
                "answers": [{"question": self.questions["number"].pk, "value": "many"}],
            },
            format="json",
        )
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(FundApplication.objects.filter(title="Lab").count(), 1)

    def test_the_list_runs_the_same_queries_for_one_application_as_for_many(self):
        program = make_program(self.bureau, max_open=100)
        question = ProgramQuestion.objects.create(program=program, label="Goals", kind="file")

        def add(count):
            for number in range(count):
                application = make_application(program, self.college, title=f"App {number}")
                ApplicationAnswer.objects.create(
                    application=application, question=question, value=""
                )

        add(1)
        url = reverse("api:fund-application-list")
        assert_constant_queries(
            self, lambda: self.api.get(url, {"program": program.pk}), add, rows=30
        )


def test_every_kind_has_a_form_field():
    for kind, question in {
        k: ProgramQuestion(kind=k, label=k, choices=["A", "B"]) for k in VALID
    }.items():
        assert answer_form_field(question).question is question, kind
