"""Row locks of the questions, answers and more-information steps (PostgreSQL): each
keeps the portal's order, two resubmissions at once make one version, and two questions
added at once stay within thirty."""

from django.core.exceptions import ValidationError
from django.test import TransactionTestCase

from accounts.models import OrganizationKind, Role
from funding import services
from funding.models import ApplicationVersion, FundApplication, ProgramQuestion
from funding.services.questions import MAX_QUESTIONS
from portal.workflow import InvalidTransition
from tests.factories import OrganizationFactory, make_application, make_program, member
from tests.funding.test_info_request_api import QUESTIONS, submitted
from tests.funding.test_money import FundingCase
from tests.helpers.concurrency import requires_row_locks, run_concurrently
from tests.helpers.locks import assert_lock_order


@requires_row_locks
class TestLockOrder(FundingCase):
    def test_question_steps_lock_the_program_then_the_question(self):
        program = make_program(self.bureau, status="draft")
        added = assert_lock_order(
            lambda: services.question_add(
                actor=self.olivia, program=program, label="Goals", kind="text"
            )
        )
        self.assertEqual(added, ["funding_fundprogram"])
        question = program.questions.get()
        changed = assert_lock_order(
            lambda: services.question_update(actor=self.olivia, question=question, label="Aims")
        )
        self.assertEqual(changed, ["funding_fundprogram", "funding_programquestion"])
        assert_lock_order(lambda: services.question_remove(actor=self.olivia, question=question))

    def test_the_more_information_loop_keeps_the_order(self):
        application, questions = submitted(self)
        assert_lock_order(
            lambda: services.application_request_info(
                actor=self.olivia, application=application, questions=QUESTIONS
            )
        )
        assert_lock_order(
            lambda: services.application_update(
                actor=self.bob, application=application, answers={questions["number"].pk: "8"}
            )
        )
        assert_lock_order(
            lambda: services.application_resubmit(actor=self.bob, application=application)
        )


@requires_row_locks
class TestRaces(TransactionTestCase):
    def setUp(self):
        self.bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        self.college = OrganizationFactory(kind=OrganizationKind.COLLEGE)
        self.olivia = member(self.bureau, Role.STAFF, "olivia")
        self.bob = member(self.college, Role.STAFF, "bob")
        self.alice = member(self.college, Role.ADMIN, "alice")

    def test_two_resubmissions_at_once_make_one_version(self):
        application = make_application(make_program(self.bureau), self.college)
        services.application_submit(actor=self.bob, application=application)
        FundApplication.objects.filter(pk=application.pk).update(status="under_review")
        services.application_request_info(
            actor=self.olivia, application=application, questions=QUESTIONS
        )
        results = run_concurrently(
            *(
                lambda user=user: services.application_resubmit(actor=user, application=application)
                for user in (self.bob, self.alice)
            )
        )
        self.assertEqual(sum(isinstance(r, InvalidTransition) for r in results), 1, results)
        self.assertEqual(
            list(
                ApplicationVersion.objects.filter(application=application).values_list(
                    "number", flat=True
                )
            ),
            [2, 1],
        )
        self.assertEqual(FundApplication.objects.get(pk=application.pk).version, 2)

    def test_two_questions_added_at_once_stay_within_thirty(self):
        program = make_program(self.bureau, status="draft")
        for number in range(MAX_QUESTIONS - 1):
            ProgramQuestion.objects.create(program=program, label=f"Q{number}", kind="text")
        results = run_concurrently(
            *(
                lambda label=label: services.question_add(
                    actor=self.olivia, program=program, label=label, kind="text"
                )
                for label in ("Last", "One too many")
            )
        )
        self.assertEqual(sum(isinstance(r, ValidationError) for r in results), 1, results)
        self.assertEqual(program.questions.count(), MAX_QUESTIONS)
