"""Two parties signing at the same moment, on PostgreSQL with real row locks."""

from django.test import TransactionTestCase

from accounts.models import OrganizationKind, Role
from partnerships import services
from partnerships.models import Agreement, AgreementStatus
from portal.models import Notification
from tests.factories import OrganizationFactory, make_agreement, member
from tests.helpers.concurrency import requires_row_locks, run_concurrently


@requires_row_locks
class TestSimultaneousSignatures(TransactionTestCase):
    def setUp(self):
        self.college = OrganizationFactory(kind=OrganizationKind.COLLEGE)
        self.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE)
        self.alice = member(self.college, Role.ADMIN, "alice")
        self.hua = member(self.enterprise, Role.ADMIN, "hua")

    def test_both_signatures_are_kept_and_it_is_signed_exactly_once(self):
        for attempt in range(5):  # a race that passes once may be luck; five times is not
            agreement = make_agreement(
                self.college,
                self.enterprise,
                status=AgreementStatus.NEGOTIATING,
                signed=False,
                title=f"Agreement {attempt}",
            )
            results = run_concurrently(
                lambda a=agreement: services.agreement_sign(
                    actor=self.alice, agreement=a, place="Hangzhou"
                ),
                lambda a=agreement: services.agreement_sign(
                    actor=self.hua, agreement=a, place="Ningbo"
                ),
            )
            self.assertFalse([r for r in results if isinstance(r, Exception)], results)
            agreement = Agreement.objects.get(pk=agreement.pk)
            self.assertEqual(agreement.status, AgreementStatus.SIGNED)
            self.assertEqual(agreement.parties.filter(signed_at__isnull=False).count(), 2)
            # Exactly one transition: one history record moving to "signed".
            moves = [
                r
                for r in agreement.history.order_by("history_date")
                if r.status == AgreementStatus.SIGNED
            ]
            self.assertEqual(len(moves), 1)
            all_signed = Notification.objects.filter(
                title=f"All parties signed {agreement.reference}"
            )
            self.assertEqual(
                sorted(all_signed.values_list("recipient__username", flat=True)), ["alice", "hua"]
            )
