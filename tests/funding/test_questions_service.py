"""Program questions and answers in the service: who edits questions and when, their
limits, every kind of answer checked and kept in one canonical form, files stored as
the application's attachments, and required answers enforced at submission only."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from funding import services
from funding.models import ApplicationAnswer, ApplicationStatus, ProgramQuestion, QuestionKind
from funding.services.questions import MAX_QUESTIONS, clean_answer
from portal.attachments import attachment_delete
from portal.limits import LONG_TEXT
from portal.models import Attachment
from portal.workflow import InvalidTransition
from tests.factories import make_application, make_program
from tests.funding.test_money import FundingCase
from tests.portal.test_attachments import PDF

CHOICES = ["Industry college", "Practice base", "Order class"]


def add_questions(program, *, required: bool = True) -> dict[str, ProgramQuestion]:
    """One question of every kind, by kind (written directly: the program may be open)."""
    questions = {}
    for order, kind in enumerate(QuestionKind.values):
        questions[kind] = ProgramQuestion.objects.create(
            program=program,
            label=f"Question about {kind}",
            kind=kind,
            choices=CHOICES if kind == QuestionKind.CHOICE else [],
            required=required,
            order=order,
        )
    return questions


# A valid answer for every kind but file, with the form it is kept in.
VALID = {
    "text": ("  Robots  ", "Robots"),
    "long_text": ("Line one\nLine two", "Line one\nLine two"),
    "number": ("12.50", "12.5"),
    "money": ("1234.5", "1234.50"),
    "date": ("2026-09-01", "2026-09-01"),
    "choice": ("Practice base", "Practice base"),
}

# Answers refused, per kind.
INVALID = {
    "text": ["x" * 501],
    "long_text": ["x" * (LONG_TEXT + 1)],
    "number": ["twelve", "1e13", "-1000000000001", "0.1234567", "NaN", "Infinity", "3,5", "9" * 41],
    "money": ["-1", "12.345", "1000000000000", "1e12", "ten", "NaN"],
    "date": ["01/09/2026", "2026-9-1", "2026-02-30", "1989-12-31", "2201-01-01", "tomorrow"],
    "choice": ["Practice Base", "Something else"],
}


class TestQuestionsOfAProgram(FundingCase):
    def setUp(self):
        self.program = make_program(self.bureau, status="draft")

    def add(self, actor=None, **fields):
        data = {"label": "Goals", "kind": QuestionKind.TEXT, **fields}
        return services.question_add(actor=actor or self.olivia, program=self.program, **data)

    def test_the_department_adds_edits_and_removes_questions_while_a_draft(self):
        question = self.add(help_text="  What students gain  ", required=True)
        self.assertEqual((question.help_text, question.order), ("What students gain", 0))
        self.assertEqual(self.add(label="Start date", kind="date").order, 1)
        choice = services.question_update(
            actor=self.gary, question=question, kind="choice", choices=[" A ", "B"]
        )
        self.assertEqual(choice.choices, ["A", "B"])
        # A question that stops being a choice drops its options.
        text = services.question_update(actor=self.gary, question=choice, kind="long_text")
        self.assertEqual(text.choices, [])
        services.question_remove(actor=self.olivia, question=text)
        self.assertEqual(self.program.questions.count(), 1)

    def test_others_may_not_and_an_open_program_keeps_its_questions(self):
        question = self.add()
        for outsider in (self.alice, self.charlie):
            with self.subTest(outsider=outsider.username), self.assertRaises(PermissionDenied):
                self.add(actor=outsider)
        self.program.status = "open"
        self.program.save()
        with self.assertRaises(InvalidTransition):
            self.add()
        with self.assertRaises(InvalidTransition):
            services.question_update(actor=self.olivia, question=question, label="Aims")
        with self.assertRaises(InvalidTransition):
            services.question_remove(actor=self.olivia, question=question)
        # A reader outside the department is refused before being told the state.
        with self.assertRaises(PermissionDenied):
            services.question_remove(actor=self.alice, question=question)

    def test_each_limit_is_a_field_error(self):
        cases = [
            ({"label": "x" * 256}, "label"),
            ({"label": "   "}, "label"),
            ({"help_text": "x" * 501}, "help_text"),
            ({"kind": "essay"}, "kind"),
            ({"choices": ["A", "B"]}, "choices"),  # options only for a choice
            ({"kind": "choice", "choices": ["A"]}, "choices"),
            ({"kind": "choice", "choices": [f"Option {n}" for n in range(51)]}, "choices"),
            ({"kind": "choice", "choices": ["A", "x" * 201]}, "choices"),
            ({"kind": "choice", "choices": ["A", "  "]}, "choices"),
            ({"kind": "choice", "choices": ["Yes", "yes "]}, "choices"),
            ({"kind": "choice", "choices": "A,B"}, "choices"),
        ]
        for fields, field in cases:
            with self.subTest(fields=str(fields)[:60]):
                with self.assertRaises(ValidationError) as error:
                    self.add(**fields)
                self.assertIn(field, error.exception.message_dict)
        self.assertEqual(self.program.questions.count(), 0)
        self.add(kind="choice", choices=[f"Option {n}" for n in range(50)])

    def test_a_program_asks_at_most_thirty_questions(self):
        for number in range(MAX_QUESTIONS):
            self.add(label=f"Question {number}")
        with self.assertRaises(ValidationError) as error:
            self.add(label="One too many")
        self.assertIn("at most 30", str(error.exception))


class TestAnswers(FundingCase):
    def setUp(self):
        self.program = make_program(self.bureau)
        self.questions = add_questions(self.program)
        self.application = make_application(self.program, self.college)

    def save(self, answers, actor=None):
        return services.application_update(
            actor=actor or self.bob, application=self.application, answers=answers
        )

    def stored(self) -> dict[str, str]:
        return {
            answer.question.kind: answer.value
            for answer in ApplicationAnswer.objects.filter(application=self.application)
        }

    def test_every_kind_is_kept_in_its_canonical_form(self):
        self.save({self.questions[kind].pk: raw for kind, (raw, _kept) in VALID.items()})
        self.assertEqual(self.stored(), {kind: kept for kind, (_raw, kept) in VALID.items()})

    def test_canonical_numbers_amounts_and_dates(self):
        cases = [
            ("number", "100", "100"),
            ("number", "-0", "0"),
            ("number", "1e3", "1000"),
            ("number", "-999999999999.5", "-999999999999.5"),
            ("number", Decimal("2.500000"), "2.5"),
            ("money", "0", "0.00"),
            ("money", "999999999999.99", "999999999999.99"),
            ("money", 12, "12.00"),
            ("date", date(2026, 3, 1), "2026-03-01"),
        ]
        for kind, raw, kept in cases:
            with self.subTest(kind=kind, raw=raw):
                self.assertEqual(clean_answer(self.questions[kind], raw), kept)

    def test_every_kind_refuses_what_it_cannot_hold_naming_the_question(self):
        for kind, values in INVALID.items():
            question = self.questions[kind]
            for value in values:
                with self.subTest(kind=kind, value=value[:20]):
                    with self.assertRaises(ValidationError) as error:
                        self.save({question.pk: value})
                    self.assertEqual(
                        list(error.exception.message_dict), [f"question_{question.pk}"]
                    )
        self.assertEqual(self.stored(), {})

    def test_one_bad_answer_keeps_the_others_unwritten(self):
        with self.assertRaises(ValidationError):
            self.save({self.questions["text"].pk: "Fine", self.questions["number"].pk: "many"})
        self.assertEqual(self.stored(), {})

    def test_a_blank_answer_removes_it_and_questions_left_out_keep_theirs(self):
        self.save({self.questions["text"].pk: "Robots", self.questions["number"].pk: "3"})
        self.save({self.questions["text"].pk: "  "})
        self.assertEqual(self.stored(), {"number": "3"})

    def test_a_question_of_another_program_is_refused(self):
        other = add_questions(make_program(self.bureau))
        with self.assertRaises(ValidationError) as error:
            self.save({other["text"].pk: "Robots"})
        self.assertIn(f"question_{other['text'].pk}", error.exception.message_dict)

    def test_a_file_answer_is_an_attachment_of_the_application_checked_as_any(self):
        question = self.questions["file"]
        self.save({question.pk: SimpleUploadedFile("plan.pdf", PDF)})
        answer = ApplicationAnswer.objects.get(application=self.application, question=question)
        self.assertEqual(answer.attachment.record, self.application)
        self.assertEqual((answer.attachment.original_name, answer.value), ("plan.pdf", ""))
        for upload in (
            SimpleUploadedFile("plan.exe", b"MZ"),
            SimpleUploadedFile("plan.pdf", b"not a pdf"),
        ):
            with self.subTest(name=upload.name), self.assertRaises(ValidationError):
                self.save({question.pk: upload})
        # An id names a file attached to this application, not another record's.
        other = make_application(make_program(self.bureau), self.college, title="Other")
        foreign = Attachment.objects.create(
            record=other,
            original_name="x.pdf",
            media_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=self.bob,
        )
        for value in (foreign.pk, "abc", 10**30):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                self.save({question.pk: value})
        self.save({question.pk: answer.attachment_id})  # the same file again: unchanged
        # While it answers a question, the file stays; answering None lets it go.
        with self.assertRaises(ValidationError):
            attachment_delete(actor=self.bob, attachment=answer.attachment)
        self.save({question.pk: None})
        self.assertFalse(ApplicationAnswer.objects.filter(question=question).exists())
        attachment_delete(actor=self.bob, attachment=answer.attachment)

    def test_only_the_applicant_answers_and_only_while_it_may_edit(self):
        with self.assertRaises(PermissionDenied):
            self.save({self.questions["text"].pk: "Robots"}, actor=self.victor)
        self.application.status = ApplicationStatus.SUBMITTED
        self.application.save()
        with self.assertRaises(InvalidTransition):
            self.save({self.questions["text"].pk: "Robots"})


class TestRequiredAnswersAtSubmission(FundingCase):
    def test_a_draft_may_be_incomplete_but_submitting_lists_every_missing_answer(self):
        program = make_program(self.bureau)
        questions = add_questions(program)
        ProgramQuestion.objects.filter(pk=questions["file"].pk).update(required=False)
        application = services.application_create(
            actor=self.bob,
            program=program,
            applicant=self.college,
            title="Lab",
            requested_amount=Decimal("100"),
            budget_lines=[("equipment", "Robots", Decimal("100"))],
            answers={questions["text"].pk: "Robots"},
        )
        with self.assertRaises(ValidationError) as error:
            services.application_submit(actor=self.bob, application=application)
        missing = error.exception.message_dict["answers"]
        self.assertEqual(len(missing), 5)
        self.assertIn("Answer “Question about number” before submitting.", missing)
        services.application_update(
            actor=self.bob,
            application=application,
            answers={questions[kind].pk: raw for kind, (raw, _kept) in VALID.items()},
        )
        services.application_submit(actor=self.bob, application=application)
        application.refresh_from_db()
        self.assertEqual((application.status, application.version), ("submitted", 1))
        content = application.versions.get().content
        self.assertEqual(len(content["answers"]), 6)
        self.assertEqual(content["lines"][0]["amount"], "100.00")
