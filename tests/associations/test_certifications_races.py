"""Certification steps at the same moment, on PostgreSQL: a certify and a revoke sent
at once leave one consistent state (certified, or certified then revoked — never a
revoked certificate without its dates, nor a certify that overwrote a revocation); so
do a certify and a refuse, two certifies, and two drafts of the same enterprise; and
every step locks in the portal's order."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TransactionTestCase

from accounts.models import OrganizationKind, Role
from associations.models import CertificationApplication
from associations.services import certifications as service
from portal.workflow import InvalidTransition
from tests.factories import OrganizationFactory, member
from tests.helpers.concurrency import requires_row_locks, run_concurrently
from tests.helpers.locks import assert_lock_order

from .certifications import S, investment_rows, make_application, make_review_entrustment


@requires_row_locks
class TestStepsAtOnce(TransactionTestCase):
    def setUp(self):
        self.bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT, name="Bureau")
        self.gary = member(self.bureau, Role.ADMIN, "gary")
        self.olivia = member(self.bureau, Role.STAFF, "olivia")
        self.association = OrganizationFactory(kind=OrganizationKind.ASSOCIATION, name="Assoc")
        self.huaxin = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        self.hua = member(self.huaxin, Role.ADMIN, "hua")
        self.entrustment = make_review_entrustment(
            self.bureau, self.association, scope=[self.huaxin]
        )

    def fresh_user(self, user):
        return get_user_model().objects.get(pk=user.pk)

    def fresh(self, application) -> CertificationApplication:
        return CertificationApplication.objects.get(pk=application.pk)

    def test_certify_and_revoke_at_once_leave_one_consistent_state(self):
        for _round in range(4):
            CertificationApplication.objects.all().delete()
            application = make_application(
                self.huaxin, status=S.UNDER_REVIEW, reviewer=self.entrustment
            )
            certifier, revoker = self.fresh_user(self.gary), self.fresh_user(self.gary)
            certified, revoked = run_concurrently(
                lambda a=application, u=certifier: service.certification_certify(
                    actor=u, application=a
                ),
                lambda a=application, u=revoker: service.certification_revoke(
                    actor=u, application=a, reasons="False figures."
                ),
            )
            self.assertNotIsInstance(certified, Exception, certified)
            final = self.fresh(application)
            self.assertIsNotNone(final.valid_from)
            self.assertIsNotNone(final.valid_until)
            if isinstance(revoked, InvalidTransition):
                # The revoke came first and found nothing to revoke.
                self.assertEqual(final.status, S.CERTIFIED)
                self.assertEqual(final.reasons, "")
            else:
                self.assertEqual(final.status, S.REVOKED, revoked)
                self.assertEqual(final.reasons, "False figures.")
                self.assertIsNotNone(final.revoked_at)

    def test_a_revoke_racing_another_revoke_and_a_certify_on_a_certificate(self):
        application = make_application(self.huaxin, status=S.CERTIFIED)
        results = run_concurrently(
            lambda: service.certification_revoke(
                actor=self.fresh_user(self.gary), application=application, reasons="One."
            ),
            lambda: service.certification_revoke(
                actor=self.fresh_user(self.gary), application=application, reasons="Two."
            ),
            lambda: service.certification_certify(
                actor=self.fresh_user(self.gary), application=application
            ),
        )
        done = [r for r in results if isinstance(r, CertificationApplication)]
        refused = [r for r in results if isinstance(r, InvalidTransition)]
        self.assertEqual((len(done), len(refused)), (1, 2), results)
        final = self.fresh(application)
        self.assertEqual(final.status, S.REVOKED)
        self.assertEqual(final.reasons, done[0].reasons)

    def test_certify_and_refuse_at_once_decide_once(self):
        application = make_application(
            self.huaxin, status=S.UNDER_REVIEW, reviewer=self.entrustment
        )
        results = run_concurrently(
            lambda: service.certification_certify(
                actor=self.fresh_user(self.gary), application=application
            ),
            lambda: service.certification_refuse(
                actor=self.fresh_user(self.gary), application=application, reasons="No."
            ),
        )
        done = [r for r in results if isinstance(r, CertificationApplication)]
        self.assertEqual(len(done), 1, results)
        self.assertEqual(self.fresh(application).status, done[0].status)

    def test_two_drafts_of_one_enterprise_at_once_leave_one(self):
        results = run_concurrently(
            *(
                lambda: service.certification_create(
                    actor=self.fresh_user(self.hua),
                    enterprise=self.huaxin,
                    investments=investment_rows(),
                )
                for _ in range(3)
            )
        )
        made = [r for r in results if isinstance(r, CertificationApplication)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        self.assertEqual((len(made), len(refused)), (1, 2), results)
        self.assertEqual(CertificationApplication.objects.count(), 1)
        self.assertEqual(made[0].investments.count(), 3)


@requires_row_locks
class TestLockOrder(TransactionTestCase):
    def setUp(self):
        TestStepsAtOnce.setUp(self)

    def test_every_step_locks_parent_before_child(self):
        application = make_application(self.huaxin)
        assert_lock_order(
            lambda: service.certification_update(
                actor=self.hua, application=application, investments=investment_rows()
            )
        )
        assert_lock_order(
            lambda: service.certification_submit(actor=self.hua, application=application)
        )
        tables = assert_lock_order(
            lambda: service.certification_start_review(
                actor=self.olivia, application=application, entrustment=self.entrustment
            )
        )
        self.assertEqual(
            tables[:2], ["associations_entrustment", "associations_certificationapplication"]
        )
        assert_lock_order(
            lambda: service.certification_certify(actor=self.gary, application=application)
        )
        assert_lock_order(
            lambda: service.certification_revoke(
                actor=self.gary, application=application, reasons="No."
            )
        )
