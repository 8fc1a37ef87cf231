"""Program questions and answers on the pages: the department edits the questions of a
draft program; the application form asks each with its widget, checks the answers as
the API does, and stores files; the application page and the CSV show the answers."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funding import services
from funding.models import ApplicationAnswer, FundApplication, ProgramQuestion
from tests.factories import make_application, make_program
from tests.funding.test_money import FundingCase
from tests.funding.test_questions_service import INVALID, VALID, add_questions
from tests.helpers.queries import assert_constant_queries
from tests.portal.test_attachments import PDF


class TestQuestionPages(FundingCase):
    def setUp(self):
        self.program = make_program(self.bureau, status="draft")
        self.question = ProgramQuestion.objects.create(
            program=self.program, label="Goals", kind="long_text"
        )
        self.add_url = reverse("fund-question-add", args=[self.program.pk])
        self.edit_url = reverse("fund-question-edit", args=[self.question.pk])
        self.remove_url = reverse("fund-question-remove", args=[self.question.pk])

    def add(self, **fields):
        data = {"question-label": "Start date", "question-kind": "date", **fields}
        return self.client.post(self.add_url, data, follow=True)

    def test_the_department_adds_edits_and_removes_questions_of_a_draft(self):
        self.client.force_login(self.olivia)
        page = self.client.get(self.program.get_absolute_url())
        self.assertContains(page, 'data-testid="questions"')
        self.assertContains(page, self.add_url)
        self.assertContains(page, self.edit_url)
        response = self.add(**{"question-kind": "choice", "question-choices": "Yes\n\nyes"})
        self.assertContains(response, "“yes” is listed twice.")
        response = self.add(
            **{
                "question-kind": "choice",
                "question-choices": "Yes\nNo\n",
                "question-required": "on",
            }
        )
        self.assertContains(response, "Question added.")
        added = self.program.questions.get(label="Start date")
        self.assertEqual((added.choices, added.required, added.order), (["Yes", "No"], True, 1))
        form = self.client.get(self.edit_url)
        self.assertContains(form, "Goals")
        response = self.client.post(
            self.edit_url, {"label": "x" * 256, "kind": "long_text", "help_text": ""}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "at most 255 characters")
        response = self.client.post(
            self.edit_url, {"label": "Goals", "kind": "text", "choices": "A\nB"}
        )
        self.assertContains(response, "Options are only for")
        response = self.client.post(
            self.edit_url, {"label": "Aims", "kind": "text", "help_text": "One line."}
        )
        self.assertRedirects(
            response, self.program.get_absolute_url() + "#questions", fetch_redirect_response=False
        )
        self.question.refresh_from_db()
        self.assertEqual((self.question.label, self.question.kind), ("Aims", "text"))
        self.client.post(self.remove_url)
        self.assertFalse(ProgramQuestion.objects.filter(pk=self.question.pk).exists())

    def test_an_open_program_keeps_its_questions(self):
        self.program.status = "open"
        self.program.save()
        self.client.force_login(self.olivia)
        page = self.client.get(self.program.get_absolute_url())
        self.assertContains(page, "Goals")
        self.assertNotContains(page, self.add_url)
        self.assertNotContains(page, self.edit_url)
        self.assertContains(self.add(), "Questions are fixed once the program opens.")
        response = self.client.post(self.edit_url, {"label": "Aims", "kind": "text"}, follow=True)
        self.assertContains(response, "Questions are fixed once the program opens.")
        self.client.post(self.remove_url)
        self.question.refresh_from_db()
        self.assertEqual(self.question.label, "Goals")

    def test_who_may_open_the_question_pages(self):
        self.client.logout()
        for url in (self.edit_url,):
            response = self.client.get(url)
            self.assertTrue(response["Location"].startswith(reverse("login")))
        for url in (self.add_url, self.remove_url):
            self.assertTrue(self.client.post(url)["Location"].startswith(reverse("login")))
        # A draft program is its department's: to anyone else its questions do not exist.
        for user in (self.charlie, self.victor, self.alice):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.edit_url).status_code, 404)
                self.assertEqual(self.client.post(self.add_url).status_code, 404)
                self.assertEqual(self.client.post(self.remove_url).status_code, 404)
        # Once open, everyone reads them; only the department's managers may change them.
        self.program.status = "open"
        self.program.save()
        for user in (self.victor, self.alice):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.edit_url).status_code, 403)
                self.assertEqual(self.client.post(self.add_url).status_code, 403)
                self.assertEqual(self.client.post(self.remove_url).status_code, 403)
        self.assertTrue(ProgramQuestion.objects.filter(pk=self.question.pk).exists())
        self.client.force_login(self.olivia)
        self.assertEqual(self.client.get(self.edit_url).status_code, 200)


class TestAnswersOnTheApplicationForm(FundingCase):
    def setUp(self):
        self.program = make_program(self.bureau)
        self.questions = add_questions(self.program)
        ProgramQuestion.objects.filter(pk=self.questions["text"].pk).update(
            help_text="<b>Short</b> & sweet", required=False
        )
        self.create_url = reverse("fund-application-create", args=[self.program.pk])
        self.client.force_login(self.bob)

    def field(self, kind) -> str:
        return f"question_{self.questions[kind].pk}"

    def base(self) -> dict:
        return {"applicant": self.college.pk, "title": "Lab", "requested_amount": "100.00"}

    def test_each_question_has_the_widget_of_its_kind(self):
        form = self.client.get(self.create_url)
        content = form.content.decode()
        self.assertIn('enctype="multipart/form-data"', content)
        widgets = {
            "text": ["<input", 'type="text"', 'maxlength="500"'],
            "long_text": ["<textarea"],
            "number": ["<input", 'type="number"', 'step="any"'],
            "money": ["<input", 'type="number"', 'step="0.01"', 'min="0"'],
            "date": ["<input", 'type="date"'],
            "choice": ["<select", 'class="form-select"'],
            "file": ["<input", 'type="file"'],
        }
        for kind, parts in widgets.items():
            with self.subTest(kind=kind):
                at = content.index(f'name="{self.field(kind)}"')
                tag = content[content.rindex("<", 0, at) : content.index(">", at)]
                for part in parts:
                    self.assertIn(part, tag)
                self.assertIn(f'for="id_{self.field(kind)}">Question about {kind}', content)
        self.assertIn("Practice base</option>", content)
        # The department's help text is text, never markup.
        self.assertIn("&lt;b&gt;Short&lt;/b&gt; &amp; sweet", content)
        self.assertEqual(content.count('<span class="text-danger" aria-hidden="true">*</span>'), 9)

    def test_answers_are_checked_next_to_their_field_as_the_api_checks_them(self):
        for kind, values in INVALID.items():
            for value in values[:2]:
                with self.subTest(kind=kind, value=value[:20]):
                    response = self.client.post(
                        self.create_url, {**self.base(), self.field(kind): value}
                    )
                    self.assertEqual(response.status_code, 200)
                    errors = response.context["form"].errors
                    self.assertIn(self.field(kind), errors)
        self.assertFalse(FundApplication.objects.exists())

    def test_a_draft_is_saved_with_its_answers_and_file_and_shown_on_its_page(self):
        data = {
            **self.base(),
            **{self.field(kind): raw for kind, (raw, _kept) in VALID.items()},
            self.field("file"): SimpleUploadedFile("plan.pdf", PDF),
        }
        response = self.client.post(self.create_url, data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        application = FundApplication.objects.get()
        answers = {a.question.kind: a for a in application.answers.select_related("question")}
        self.assertEqual(answers["money"].value, "1234.50")
        self.assertEqual(answers["file"].attachment.original_name, "plan.pdf")
        page = self.client.get(application.get_absolute_url())
        self.assertContains(page, 'data-testid="answers"')
        self.assertContains(page, "1,234.50 yuan")
        self.assertContains(page, answers["file"].attachment.get_absolute_url())
        # Editing keeps the file unless a new one comes or it is cleared.
        edit = reverse("fund-application-edit", args=[application.pk])
        form = self.client.get(edit)
        self.assertContains(form, "plan.pdf")
        kept = {**data}
        kept.pop(self.field("file"))
        kept[self.field("number")] = "7"
        self.assertEqual(self.client.post(edit, kept).status_code, 302)
        self.assertEqual(application.answers.filter(attachment__isnull=False).count(), 1)
        self.client.post(edit, {**kept, f"{self.field('file')}-clear": "on"})
        self.assertEqual(application.answers.filter(attachment__isnull=False).count(), 0)
        self.assertEqual(application.answers.get(question=self.questions["number"]).value, "7")

    def test_submitting_names_each_required_answer_missing(self):
        application = make_application(self.program, self.college)
        response = self.client.post(
            reverse("fund-application-submit", args=[application.pk]), follow=True
        )
        self.assertContains(response, "Answer “Question about file” before submitting.")
        self.assertNotContains(response, "Answer “Question about text”")  # not required
        self.assertEqual(FundApplication.objects.get(pk=application.pk).status, "draft")

    def test_the_application_page_runs_the_same_queries_for_one_answer_as_for_many(self):
        for user in (self.bob, self.olivia):
            program = make_program(self.bureau)
            application = make_application(program, self.college)
            services.application_submit(actor=self.bob, application=application)

            def add(count, program=program, application=application):
                for number in range(count):
                    question = ProgramQuestion.objects.create(
                        program=program, label=f"Q{number}", kind="text", order=number
                    )
                    ApplicationAnswer.objects.create(
                        application=application, question=question, value=f"A{number}"
                    )

            add(1)
            self.client.force_login(user)
            url = application.get_absolute_url()
            with self.subTest(user=user.username):
                assert_constant_queries(self, lambda url=url: self.client.get(url), add, rows=20)


class TestAnswersInTheCsv(FundingCase):
    def rows(self, **query) -> list[list[str]]:
        response = self.client.get(reverse("fund-application-list"), {"export": "csv", **query})
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    def test_a_list_of_one_program_exports_its_answers_formulas_kept_as_text(self):
        program = make_program(self.bureau)
        goals = ProgramQuestion.objects.create(program=program, label="=Goals", kind="text")
        count = ProgramQuestion.objects.create(program=program, label="Students", kind="number")
        plan = ProgramQuestion.objects.create(program=program, label="Plan", kind="file")
        application = make_application(program, self.college)
        services.application_update(
            actor=self.bob,
            application=application,
            answers={
                goals.pk: "=HYPERLINK(1)",
                count.pk: "-12",
                plan.pk: SimpleUploadedFile("p.pdf", PDF),
            },
        )
        make_application(program, self.college, title="Unanswered")
        self.client.force_login(self.bob)
        header, *rows = self.rows(program=program.pk)
        self.assertEqual(header[-3:], ["'=Goals", "Students", "Plan"])
        answered = next(row for row in rows if row[1] == application.title)
        self.assertEqual(answered[-3:], ["'=HYPERLINK(1)", "-12", "p.pdf"])
        unanswered = next(row for row in rows if row[1] == "Unanswered")
        self.assertEqual(unanswered[-3:], ["", "", ""])
        # A list of several programs has no question columns: they would mean nothing.
        self.assertNotIn("Students", self.rows()[0])

    def test_the_export_runs_the_same_queries_for_one_application_as_for_many(self):
        program = make_program(self.bureau, max_open=100)
        question = ProgramQuestion.objects.create(program=program, label="Goals", kind="text")
        self.client.force_login(self.bob)

        def add(count):
            for number in range(count):
                application = make_application(program, self.college, title=f"App {number}")
                ApplicationAnswer.objects.create(
                    application=application, question=question, value="Robots"
                )

        add(1)
        url = reverse("fund-application-list")
        assert_constant_queries(
            self,
            lambda: self.client.get(url, {"export": "csv", "program": program.pk}),
            add,
            rows=30,
        )
