"""Member changes made at the same moment: each one waits for the organization's lock
and then sees what the one before it did, so the organization keeps an admin, a person
is added once, and a person's being active always matches their memberships."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase, TransactionTestCase

from accounts import services
from accounts.models import Membership, Role, User
from tests.factories import OrganizationFactory, UserFactory, member
from tests.helpers.concurrency import requires_row_locks, run_concurrently
from tests.helpers.locks import locks_taken
from tests.people import People

ORGANIZATION, USER, MEMBERSHIP, INVITATION = (
    "accounts_organization",
    "accounts_user",
    "accounts_membership",
    "accounts_invitation",
)


@requires_row_locks
class TestMembersUnderConcurrency(TransactionTestCase):
    def setUp(self):
        self.college = OrganizationFactory()
        self.alice = member(self.college, Role.ADMIN, "alice")
        self.anna = member(self.college, Role.ADMIN, "anna")

    def membership(self, user) -> Membership:
        return Membership.objects.get(user=user, organization=self.college)

    def active_admins(self) -> int:
        return Membership.objects.filter(
            organization=self.college, role=Role.ADMIN, is_active=True
        ).count()

    def test_simultaneous_deactivations_keep_one_admin(self):
        alice, anna = self.membership(self.alice), self.membership(self.anna)
        results = run_concurrently(
            lambda: services.membership_deactivate(actor=self.alice, membership=anna),
            lambda: services.membership_deactivate(actor=self.anna, membership=alice),
        )
        # Whoever locks the organization first removes the other, who is then no longer
        # an admin: the second request is refused for that, every time.
        failures = [r for r in results if isinstance(r, Exception)]
        self.assertEqual(len(failures), 1, results)
        self.assertIsInstance(failures[0], PermissionDenied, results)
        self.assertEqual(self.active_admins(), 1)
        winner = next(r for r in results if isinstance(r, Membership))
        self.assertFalse(winner.is_active)

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
        self.assertEqual(sum(isinstance(r, Membership) for r in results), 1, results)
        self.assertEqual(self.active_admins(), 1)

    def test_two_admins_adding_the_same_person_at_once_make_one_membership(self):
        UserFactory(username="dana")
        results = run_concurrently(
            lambda: services.membership_add(
                actor=self.alice, organization=self.college, username="dana", role=Role.STAFF
            ),
            lambda: services.membership_add(
                actor=self.anna, organization=self.college, username="dana", role=Role.VIEWER
            ),
        )
        failures = [r for r in results if isinstance(r, Exception)]
        self.assertEqual(len(failures), 1, results)
        self.assertIsInstance(failures[0], ValidationError, results)
        self.assertIn("user", failures[0].message_dict)
        self.assertEqual(Membership.objects.filter(user__username="dana").count(), 1)

    def test_a_person_removed_here_while_added_elsewhere_stays_active(self):
        bob = member(self.college, Role.STAFF, "bob")
        other = OrganizationFactory()
        otto = member(other, Role.ADMIN, "otto")
        results = run_concurrently(
            lambda: services.membership_deactivate(
                actor=self.alice, membership=self.membership(bob)
            ),
            lambda: services.membership_add(
                actor=otto, organization=other, username="bob", role=Role.STAFF
            ),
        )
        self.assertFalse(any(isinstance(r, Exception) for r in results), results)
        bob.refresh_from_db()
        self.assertTrue(bob.is_active)
        self.assertTrue(Membership.objects.get(user=bob, organization=other).is_active)

    def test_a_former_member_added_back_at_once_by_two_admins_is_active_once(self):
        bob = member(self.college, Role.STAFF, "bob")
        services.membership_deactivate(actor=self.alice, membership=self.membership(bob))
        results = run_concurrently(
            lambda: services.membership_add(
                actor=self.alice, organization=self.college, username="bob", role=Role.STAFF
            ),
            lambda: services.membership_add(
                actor=self.anna, organization=self.college, username="bob", role=Role.STAFF
            ),
        )
        self.assertEqual(sum(isinstance(r, ValidationError) for r in results), 1, results)
        self.assertTrue(User.objects.get(username="bob").is_active)


@requires_row_locks
class TestLockOrder(People, TestCase):
    """Each service locks organization, then person, then memberships, then invitations
    (read from the SQL it sends), so no two of them can wait for each other in a circle."""

    def bobs_membership(self) -> Membership:
        return Membership.objects.get(user=self.bob, organization=self.college)

    def test_adding_a_member(self):
        locks = locks_taken(
            lambda: services.membership_add(
                actor=self.alice, organization=self.college, username="olivia", role=Role.STAFF
            )
        )
        self.assertEqual(locks, [ORGANIZATION, USER, MEMBERSHIP])

    def test_changing_a_role(self):
        locks = locks_taken(
            lambda: services.membership_change_role(
                actor=self.alice, membership=self.bobs_membership(), role=Role.VIEWER
            )
        )
        self.assertEqual(locks, [ORGANIZATION, MEMBERSHIP])

    def test_deactivating_and_reactivating_a_member(self):
        membership = self.bobs_membership()
        locks = locks_taken(
            lambda: services.membership_deactivate(actor=self.alice, membership=membership)
        )
        self.assertEqual(locks, [ORGANIZATION, USER, MEMBERSHIP])
        locks = locks_taken(
            lambda: services.membership_reactivate(actor=self.alice, membership=membership)
        )
        self.assertEqual(locks, [ORGANIZATION, USER, MEMBERSHIP])

    def test_accepting_an_invitation_while_signed_in(self):
        with self.captureOnCommitCallbacks(execute=True):
            _invitation, token = services.invitation_create(
                actor=self.alice,
                organization=self.college,
                email=self.charlie.email,
                role=Role.STAFF,
            )
        locks = locks_taken(lambda: services.invitation_accept(token=token, user=self.charlie))
        self.assertEqual(locks, [ORGANIZATION, USER, MEMBERSHIP, INVITATION])

    def test_making_a_token(self):
        locks = locks_taken(lambda: services.api_token_create(user=self.bob, name="x", days=1))
        self.assertEqual(locks, [USER])


def test_run_concurrently_fails_when_a_function_is_still_running_after_the_timeout():
    release = threading.Event()
    try:
        with pytest.raises(AssertionError, match="still running"):
            run_concurrently(lambda: "done", lambda: release.wait(10), timeout=0.5)
    finally:
        release.set()


def test_run_concurrently_returns_results_and_exceptions_in_order():
    def refuse():
        raise ValidationError("no")

    results = run_concurrently(lambda: 1, refuse)
    assert results[0] == 1
    assert isinstance(results[1], ValidationError)
