"""Two admins removing each other at the same moment must not leave the organization
with no admin at all."""

from django.core.exceptions import ValidationError
from django.test import TransactionTestCase

from accounts import services
from accounts.models import Membership, Role
from tests.factories import OrganizationFactory, member
from tests.helpers.concurrency import requires_row_locks, run_concurrently


@requires_row_locks
class TestLastAdminUnderConcurrency(TransactionTestCase):
    def setUp(self):
        self.college = OrganizationFactory()
        self.alice = member(self.college, Role.ADMIN, "alice")
        self.anna = member(self.college, Role.ADMIN, "anna")

    def membership(self, user) -> Membership:
        return Membership.objects.get(user=user, organization=self.college)

    def test_simultaneous_deactivations_keep_one_admin(self):
        alice, anna = self.membership(self.alice), self.membership(self.anna)
        results = run_concurrently(
            lambda: services.membership_deactivate(actor=self.alice, membership=anna),
            lambda: services.membership_deactivate(actor=self.anna, membership=alice),
        )
        failures = [r for r in results if isinstance(r, Exception)]
        self.assertEqual(len(failures), 1, results)
        self.assertIsInstance(failures[0], ValidationError)
        active_admins = Membership.objects.filter(
            organization=self.college, role=Role.ADMIN, is_active=True
        ).count()
        self.assertEqual(active_admins, 1)

    def test_simultaneous_demotions_keep_one_admin(self):
        alice, anna = self.membership(self.alice), self.membership(self.anna)
        results = run_concurrently(
            lambda: services.membership_change_role(
                actor=self.alice, membership=alice, role=Role.STAFF
            ),
            lambda: services.membership_change_role(
                actor=self.anna, membership=anna, role=Role.STAFF
            ),
        )
        self.assertEqual(sum(isinstance(r, ValidationError) for r in results), 1, results)
        self.assertEqual(
            Membership.objects.filter(organization=self.college, role=Role.ADMIN).count(), 1
        )
