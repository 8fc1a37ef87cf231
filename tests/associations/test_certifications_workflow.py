"""Certification's workflow through its services: every transition of the table (and
every one it refuses), who may take each step, what each step checks, the surtax credit
figure, and the daily job that reminds of and expires certificates, each once."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from associations.models import CertificationApplication, EntrustmentStatus
from associations.models.certifications import surtax_credit
from associations.services import certifications as service
from associations.services.certifications import TRANSITIONS, default_validity
from portal.daily import run_daily_jobs
from portal.models import Notification
from portal.workflow import InvalidTransition
from tests.people import People

from .certifications import (
    ROWS,
    CertificationPeople,
    S,
    investment_rows,
    make_application,
    make_review_entrustment,
)
from .entrustments import TODAY


class CertificationCase(CertificationPeople, People, TestCase):
    def setUp(self):
        self.entrustment = make_review_entrustment(
            self.bureau, self.association, scope=[self.huaxin]
        )

    def fresh(self, application) -> CertificationApplication:
        return CertificationApplication.objects.get(pk=application.pk)


class TestDrafting(CertificationCase):
    def test_the_enterprises_staff_draft_with_a_number_and_rows(self):
        application = service.certification_create(
            actor=self.hugo,
            enterprise=self.huaxin,
            statement="  We train students.  ",
            investments=investment_rows(),
        )
        self.assertRegex(application.number, rf"^IEC-{TODAY.year}-\d{{5}}$")
        self.assertEqual(application.status, S.DRAFT)
        self.assertEqual(application.statement, "We train students.")
        self.assertEqual(application.investments.count(), 3)

    def test_only_the_enterprises_admins_and_staff_draft(self):
        for person in (self.hana, self.lan, self.alice, self.olivia, self.gary, self.asa):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                service.certification_create(actor=person, enterprise=self.huaxin)
        with self.assertRaises(PermissionDenied):  # a college is not certified
            service.certification_create(actor=self.alice, enterprise=self.college)
        self.assertFalse(CertificationApplication.objects.exists())

    def test_a_second_live_application_is_a_clear_error(self):
        first = make_application(self.huaxin, status=S.CERTIFIED)
        with self.assertRaises(ValidationError) as caught:
            service.certification_create(actor=self.hua, enterprise=self.huaxin)
        self.assertIn(first.number, caught.exception.messages[0])
        self.assertIn("one application or certificate at a time", caught.exception.messages[0])
        # Once it is revoked the enterprise applies again.
        CertificationApplication.objects.filter(pk=first.pk).update(status=S.REVOKED)
        service.certification_create(actor=self.hua, enterprise=self.huaxin)

    def test_rows_are_checked_each_by_its_number(self):
        rows = investment_rows()
        rows[0]["amount"] = "0"
        rows[1]["kind"] = "bribes"
        rows[2]["year"] = TODAY.year + 1
        with self.assertRaises(ValidationError) as caught:
            service.certification_create(actor=self.hua, enterprise=self.huaxin, investments=rows)
        messages = caught.exception.message_dict["investments"]
        self.assertTrue(messages[0].startswith("Row 1:"), messages)
        self.assertTrue(any(m.startswith("Row 2:") for m in messages), messages)
        self.assertTrue(any(m.startswith("Row 3:") for m in messages), messages)
        too_many = investment_rows() * 34  # 102
        with self.assertRaises(ValidationError):
            service.certification_create(
                actor=self.hua, enterprise=self.huaxin, investments=too_many
            )

    def test_editing_replaces_the_rows_whole_and_only_in_a_draft(self):
        application = make_application(self.huaxin)
        service.certification_update(
            actor=self.hua, application=application, investments=investment_rows(ROWS[:1])
        )
        self.assertEqual(list(application.investments.values_list("year", flat=True)), [2024])
        service.certification_update(actor=self.hua, application=application, statement="New")
        self.assertEqual(application.investments.count(), 1)  # rows left as they were
        with self.assertRaises(PermissionDenied):
            service.certification_update(actor=self.hana, application=application, statement="x")
        service.certification_submit(actor=self.hua, application=application)
        with self.assertRaises(InvalidTransition):
            service.certification_update(actor=self.hua, application=application, statement="x")


class TestEveryTransition(CertificationCase):
    """Each status × each target: the table's moves succeed, every other one is refused
    with the one error type."""

    def step(self, application, target):
        if target == S.SUBMITTED:
            return service.certification_submit(actor=self.hua, application=application)
        if target == S.UNDER_REVIEW:
            return service.certification_start_review(
                actor=self.olivia, application=application, entrustment=self.entrustment
            )
        if target == S.CERTIFIED:
            return service.certification_certify(actor=self.gary, application=application)
        if target == S.REFUSED:
            return service.certification_refuse(
                actor=self.gary, application=application, reasons="Too little evidence."
            )
        if target == S.REVOKED:
            return service.certification_revoke(
                actor=self.gary, application=application, reasons="False declaration."
            )
        if target == S.EXPIRED:
            moved = service.certification_expire(
                application=application,
                today=(application.valid_until or TODAY) + timedelta(days=1),
            )
            if moved is None:
                raise InvalidTransition("not expiring")
            return moved
        raise AssertionError(target)

    def test_the_table(self):
        targets = [S.SUBMITTED, S.UNDER_REVIEW, S.CERTIFIED, S.REFUSED, S.REVOKED, S.EXPIRED]
        for status in S.values:
            for target in targets:
                with self.subTest(status=status, target=target):
                    CertificationApplication.objects.all().delete()
                    application = make_application(self.huaxin, status=status)
                    if target in TRANSITIONS[status]:
                        moved = self.step(application, target)
                        self.assertEqual(self.fresh(moved).status, target)
                    else:
                        with self.assertRaises(InvalidTransition):
                            self.step(application, target)
                        self.assertEqual(self.fresh(application).status, status)


class TestSubmitting(CertificationCase):
    def test_it_needs_a_statement_and_a_row(self):
        application = make_application(self.huaxin, statement=" ", rows=())
        with self.assertRaises(ValidationError) as caught:
            service.certification_submit(actor=self.hugo, application=application)
        self.assertEqual(set(caught.exception.message_dict), {"statement", "investments"})
        self.assertEqual(self.fresh(application).status, S.DRAFT)

    def test_government_is_told(self):
        application = make_application(self.huaxin)
        service.certification_submit(actor=self.hugo, application=application)
        self.assertEqual(
            set(Notification.objects.values_list("recipient__username", flat=True)),
            {"olivia", "gary"},
        )

    def test_only_the_enterprises_admins_and_staff_submit(self):
        application = make_application(self.huaxin)
        for person in (self.hana, self.lan, self.olivia, self.gary, self.asa):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                service.certification_submit(actor=person, application=application)


class TestStartingTheReview(CertificationCase):
    def setUp(self):
        super().setUp()
        self.application = make_application(self.huaxin, status=S.SUBMITTED)

    def start(self, entrustment=None, actor=None):
        return service.certification_start_review(
            actor=actor or self.olivia,
            application=self.application,
            entrustment=entrustment or self.entrustment,
        )

    def refusal(self, entrustment) -> str:
        with self.assertRaises(ValidationError) as caught:
            self.start(entrustment)
        self.assertEqual(self.fresh(self.application).status, S.SUBMITTED)
        return caught.exception.message_dict["entrustment"][0]

    def test_government_staff_start_it_under_the_entrustment(self):
        application = self.start()
        self.assertEqual(application.status, S.UNDER_REVIEW)
        self.assertEqual(application.reviewer, self.entrustment)
        told = set(Notification.objects.values_list("recipient__username", flat=True))
        self.assertEqual(told, {"hua", "hx_hugo", "asa", "sam"})

    def test_an_enterprise_or_an_association_cannot_start_it(self):
        for person in (self.hua, self.asa, self.alice):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                self.start(actor=person)

    def test_the_entrustment_must_be_a_certification_review(self):
        other = make_review_entrustment(
            self.bureau, self.association, scope=[self.huaxin], kind="evaluation"
        )
        self.assertIn("not a certification review", self.refusal(other))

    def test_the_entrustment_must_be_accepted_and_running(self):
        proposed = make_review_entrustment(
            self.bureau, self.association, scope=[self.huaxin], status=EntrustmentStatus.PROPOSED
        )
        self.assertIn("has accepted", self.refusal(proposed))
        over = make_review_entrustment(
            self.bureau, self.association, scope=[self.huaxin], starts=-100, ends=-1
        )
        self.assertIn("not today", self.refusal(over))

    def test_the_scope_must_take_in_the_enterprise_and_the_kind(self):
        elsewhere = make_review_entrustment(self.bureau, self.association, scope=[self.lanting])
        self.assertIn("does not include Huaxin", self.refusal(elsewhere))
        agreements_only = make_review_entrustment(
            self.bureau, self.association, scope=[self.huaxin], kinds=("partnerships.agreement",)
        )
        self.assertIn("does not include certification applications", self.refusal(agreements_only))

    def test_the_choices_offered_are_those_that_fit(self):
        make_review_entrustment(self.bureau, self.association, scope=[self.lanting])
        make_review_entrustment(
            self.bureau, self.association, scope=[self.huaxin], kinds=("partnerships.agreement",)
        )
        self.assertEqual(
            service.review_entrustments(self.olivia, self.application), [self.entrustment]
        )


class TestDeciding(CertificationCase):
    def setUp(self):
        super().setUp()
        self.application = make_application(
            self.huaxin, status=S.UNDER_REVIEW, reviewer=self.entrustment
        )

    def test_a_government_admin_certifies_for_three_years_from_today(self):
        application = service.certification_certify(actor=self.gary, application=self.application)
        self.assertEqual(application.status, S.CERTIFIED)
        self.assertEqual(application.valid_from, TODAY)
        self.assertEqual(application.valid_until, default_validity(TODAY))
        self.assertEqual(application.valid_until.year, TODAY.year + 3)
        self.assertEqual(application.decided_by, self.gary)
        self.assertEqual(
            set(Notification.objects.values_list("recipient__username", flat=True)),
            {"hua", "hx_hugo"},
        )

    def test_dates_are_sane(self):
        cases = {
            "valid_until": [
                {"valid_until": TODAY},  # ends when it starts
                {"valid_from": TODAY - timedelta(days=20), "valid_until": TODAY - timedelta(1)},
                {"valid_until": TODAY + timedelta(days=4 * 366)},  # longer than three years
            ],
            "valid_from": [
                {"valid_from": TODAY - timedelta(days=60)},  # before it was applied for
            ],
        }
        for field, attempts in cases.items():
            for dates in attempts:
                with self.subTest(dates=dates), self.assertRaises(ValidationError) as caught:
                    service.certification_certify(
                        actor=self.gary, application=self.application, **dates
                    )
                self.assertIn(field, caught.exception.message_dict)
        self.assertEqual(self.fresh(self.application).status, S.UNDER_REVIEW)
        application = service.certification_certify(
            actor=self.gary,
            application=self.application,
            valid_from=TODAY + timedelta(days=10),
            valid_until=TODAY + timedelta(days=400),
        )
        self.assertEqual(application.valid_until, TODAY + timedelta(days=400))

    def test_staff_an_association_and_the_enterprise_cannot_decide(self):
        for person in (self.olivia, self.asa, self.hua, self.alice):
            for step in ("certify", "refuse"):
                with (
                    self.subTest(person=person.username, step=step),
                    self.assertRaises(PermissionDenied),
                ):
                    if step == "certify":
                        service.certification_certify(actor=person, application=self.application)
                    else:
                        service.certification_refuse(
                            actor=person, application=self.application, reasons="No."
                        )
        self.assertEqual(self.fresh(self.application).status, S.UNDER_REVIEW)

    def test_refusing_needs_reasons_and_frees_the_enterprise_to_apply_again(self):
        with self.assertRaises(ValidationError):
            service.certification_refuse(actor=self.gary, application=self.application, reasons=" ")
        refused = service.certification_refuse(
            actor=self.gary, application=self.application, reasons="Investment not shown."
        )
        self.assertEqual((refused.status, refused.reasons), (S.REFUSED, "Investment not shown."))
        service.certification_create(actor=self.hua, enterprise=self.huaxin)

    def test_a_government_admin_revokes_with_reasons_at_any_time(self):
        certified = service.certification_certify(actor=self.gary, application=self.application)
        for person in (self.olivia, self.hua, self.asa):
            with self.assertRaises(PermissionDenied):
                service.certification_revoke(actor=person, application=certified, reasons="x")
        with self.assertRaises(ValidationError):
            service.certification_revoke(actor=self.gary, application=certified, reasons="")
        revoked = service.certification_revoke(
            actor=self.gary, application=certified, reasons="The declaration was false."
        )
        self.assertEqual(revoked.status, S.REVOKED)
        self.assertEqual(revoked.revoked_by, self.gary)
        self.assertFalse(CertificationApplication.objects.valid_on(TODAY).exists())


class TestActions(CertificationCase):
    def test_each_person_is_offered_their_steps(self):
        expected = {
            S.DRAFT: {"hua": {"edit", "submit"}, "hx_hugo": {"edit", "submit"}},
            S.SUBMITTED: {"olivia": {"start_review"}, "gary": {"start_review"}},
            S.UNDER_REVIEW: {"gary": {"certify", "refuse"}},
            S.CERTIFIED: {"gary": {"revoke"}},
            S.REFUSED: {},
            S.EXPIRED: {},
            S.REVOKED: {},
        }
        people = (self.hua, self.hugo, self.hana, self.olivia, self.gary, self.asa, self.alice)
        for status, offered in expected.items():
            application = make_application(self.huaxin, status=status)
            for person in people:
                with self.subTest(status=status, person=person.username):
                    self.assertEqual(
                        service.certification_actions(person, application),
                        offered.get(person.username, set()),
                    )
            application.delete()


class TestSurtaxCredit(CertificationCase):
    def test_thirty_percent_of_the_qualifying_rows_to_the_fen(self):
        application = make_application(self.huaxin)  # 1,200,000 + 300,000 qualify
        annotated = CertificationApplication.objects.with_qualifying_investment().get(
            pk=application.pk
        )
        self.assertEqual(annotated.qualifying_investment, Decimal("1500000.00"))
        self.assertEqual(service.surtax_credit_of(annotated), Decimal("450000.00"))
        self.assertEqual(service.surtax_credit_of(application), Decimal("450000.00"))
        self.assertEqual(surtax_credit(Decimal("0.05")), Decimal("0.02"))  # 0.015 rounds up
        self.assertEqual(surtax_credit(None), Decimal("0.00"))


class TestTheDailyJob(CertificationCase):
    def told(self) -> list[tuple[str, str]]:
        return list(Notification.objects.order_by("pk").values_list("recipient__username", "title"))

    def test_the_admins_are_reminded_sixty_days_ahead_once(self):
        huaxin = make_application(
            self.huaxin, status=S.CERTIFIED, valid_until=TODAY + timedelta(days=60)
        )
        lanting = make_application(
            self.lanting, status=S.CERTIFIED, valid_until=TODAY + timedelta(days=61)
        )
        run_daily_jobs(TODAY)
        run_daily_jobs(TODAY)
        self.assertEqual(
            self.told(),
            [("hua", f"Certificate {huaxin.number} of Huaxin ends on {huaxin.valid_until}")],
        )
        run_daily_jobs(TODAY + timedelta(days=1))  # Lanting's turn; Huaxin's went out
        self.assertEqual(
            self.told()[1:],
            [("lt_lan", f"Certificate {lanting.number} of Lanting ends on {lanting.valid_until}")],
        )

    def test_a_certificate_past_its_last_day_expires_and_the_admins_are_told_once(self):
        application = make_application(
            self.huaxin,
            status=S.CERTIFIED,
            valid_from=TODAY - timedelta(days=400),
            valid_until=TODAY - timedelta(days=1),
        )
        last_day = make_application(self.lanting, status=S.CERTIFIED, valid_until=TODAY)
        reports = run_daily_jobs(TODAY)
        report = reports["associations.jobs.certifications_daily"]
        self.assertEqual(report["certificates_expired"], 1)
        run_daily_jobs(TODAY)
        self.assertEqual(self.fresh(application).status, S.EXPIRED)
        self.assertIsNotNone(self.fresh(application).expired_at)
        self.assertEqual(self.fresh(last_day).status, S.CERTIFIED)  # its last day is today
        expired = [row for row in self.told() if "has expired" in row[1]]
        self.assertEqual(
            expired, [("hua", f"Certificate {application.number} of Huaxin has expired")]
        )

    def test_a_revoked_certificate_neither_expires_nor_is_reminded(self):
        make_application(self.huaxin, status=S.REVOKED, valid_until=TODAY - timedelta(days=1))
        make_application(self.lanting, status=S.REVOKED, valid_until=TODAY + timedelta(days=10))
        run_daily_jobs(TODAY)
        self.assertEqual(self.told(), [])


class TestTheDashboard(CertificationCase):
    def waiting(self, user) -> list[str]:
        from portal.dashboard import registry

        return [item.label for item in registry.collect("waiting", user)]

    def test_each_side_sees_what_waits_on_it(self):
        from associations.models import Assessment

        draft = make_application(self.huaxin)
        submitted = make_application(self.lanting, status=S.SUBMITTED)
        self.assertIn(
            f"Submit {draft.number}, Huaxin's certification application", self.waiting(self.hugo)
        )
        for person in (self.olivia, self.gary):
            self.assertIn(
                f"Start the review of {submitted.number}, Lanting's certification",
                self.waiting(person),
            )
        CertificationApplication.objects.filter(pk=submitted.pk).update(status=S.UNDER_REVIEW)
        self.assertFalse(any("Decide on" in label for label in self.waiting(self.gary)))
        Assessment.objects.create(
            assessor=self.association,
            organization=self.lanting,
            certification=submitted,
            title="Review of Lanting",
            status="published",
            published_at=timezone.now(),
        )
        decide = f"Decide on {submitted.number}, Lanting's certification: assessed"
        self.assertIn(decide, self.waiting(self.gary))
        self.assertNotIn(decide, self.waiting(self.olivia))  # staff do not decide
        CertificationApplication.objects.filter(pk=draft.pk).update(
            status=S.CERTIFIED,
            valid_from=TODAY - timedelta(days=1000),
            valid_until=TODAY + timedelta(days=59),
        )
        self.assertIn(
            f"Certificate {draft.number} of Huaxin ends on "
            f"{(TODAY + timedelta(days=59)).isoformat()}",
            self.waiting(self.hua),
        )
