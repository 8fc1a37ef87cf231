"""Memberships under load, on PostgreSQL: two renewals at once extend twice, one after
the other, with renewal rows that chain; two admissions of the same member at once
admit one; and every service locks in the portal's order."""

import re
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext

from accounts.models import OrganizationKind, Role
from associations.models import AssociationMembership, MembershipRenewal
from associations.services import memberships as service
from tests.factories import OrganizationFactory, member
from tests.helpers.concurrency import requires_row_locks, run_concurrently
from tests.helpers.locks import assert_lock_order
from tests.people import People

from .memberships import TODAY, AssociationPeople, make_membership, make_type


@requires_row_locks
class TestMembershipsAtOnce(TransactionTestCase):
    def setUp(self):
        self.association = OrganizationFactory(
            kind=OrganizationKind.ASSOCIATION, name="Manufacturing Association"
        )
        self.amy = member(self.association, Role.ADMIN, "as_amy")
        self.sam = member(self.association, Role.STAFF, "as_sam")
        self.college = OrganizationFactory(kind=OrganizationKind.COLLEGE, name="Riverside")
        self.ordinary = make_type(self.association)
        self.membership = make_membership(
            self.association,
            self.college,
            self.ordinary,
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
        )

    def fresh(self, user):
        return get_user_model().objects.get(pk=user.pk)

    def test_two_renewals_at_once_extend_twice_one_after_the_other(self):
        for round_ in range(3):
            before = AssociationMembership.objects.get(pk=self.membership.pk).end_date
            results = run_concurrently(
                lambda: service.membership_renew(
                    actor=self.fresh(self.amy), membership=self.membership
                ),
                lambda: service.membership_renew(
                    actor=self.fresh(self.sam), membership=self.membership
                ),
            )
            self.assertTrue(all(isinstance(r, AssociationMembership) for r in results), results)
            after = AssociationMembership.objects.get(pk=self.membership.pk).end_date
            self.assertEqual(after, before.replace(year=before.year + 2))
            renewals = list(
                MembershipRenewal.objects.filter(membership=self.membership).order_by("pk")
            )[2 * round_ :]
            self.assertEqual(len(renewals), 2)
            first, second = renewals
            # The second renewal read the end the first one wrote, never the same end.
            self.assertEqual(first.previous_end, before)
            self.assertEqual(first.new_end, second.previous_end)
            self.assertEqual(second.new_end, after)
            self.assertEqual(
                {first.renewed_by_id, second.renewed_by_id}, {self.amy.pk, self.sam.pk}
            )

    def test_two_admissions_of_the_same_member_at_once_admit_one(self):
        enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")

        def admit(user):
            return lambda: service.membership_create(
                actor=self.fresh(user),
                association=self.association,
                member=enterprise,
                membership_type=self.ordinary,
                start_date=TODAY,
                end_date=TODAY.replace(year=TODAY.year + 1),
            )

        results = run_concurrently(admit(self.amy), admit(self.sam))
        self.assertEqual(sum(isinstance(r, AssociationMembership) for r in results), 1, results)
        self.assertEqual(sum(isinstance(r, ValidationError) for r in results), 1, results)
        self.assertEqual(AssociationMembership.objects.filter(member=enterprise).count(), 1)


@requires_row_locks
class TestMembershipLockOrder(AssociationPeople, People, TestCase):
    def setUp(self):
        self.membership = make_membership(self.association, self.college, self.ordinary)

    def test_renewing_and_editing_lock_the_member_then_the_membership(self):
        for call in (
            lambda: service.membership_renew(actor=self.amy, membership=self.membership),
            lambda: service.membership_update(
                actor=self.amy, membership=self.membership, notes="Council next year."
            ),
        ):
            self.assertEqual(
                assert_lock_order(call),
                ["accounts_organization", "associations_associationmembership"],
            )

    def test_admitting_locks_the_member_then_the_counter(self):
        # The reference counter locks its one row without OF (portal.references), so
        # the order is read from the statements themselves.
        with CaptureQueriesContext(connection) as captured:
            service.membership_create(
                actor=self.amy,
                association=self.association,
                member=self.enterprise,
                membership_type=self.ordinary,
                start_date=TODAY,
                end_date=TODAY,
            )
        locked = [
            re.search(r'FROM "(\w+)"', query["sql"]).group(1)
            for query in captured.captured_queries
            if "FOR UPDATE" in query["sql"]
        ]
        self.assertEqual(locked, ["accounts_organization", "portal_referencecounter"])

    def test_recording_dues_locks_the_membership_and_a_type_change_the_type(self):
        self.assertEqual(
            assert_lock_order(
                lambda: service.dues_payment_record(
                    actor=self.amy, membership=self.membership, amount=Decimal("1"), paid_on=TODAY
                )
            ),
            ["associations_associationmembership"],
        )
        self.assertEqual(
            assert_lock_order(
                lambda: service.membership_type_update(
                    actor=self.amy, membership_type=self.ordinary, annual_dues=Decimal("1")
                )
            ),
            ["associations_membershiptype"],
        )
