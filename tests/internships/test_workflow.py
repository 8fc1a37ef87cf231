"""Every transition table, the filled-slots CHECK, notifications and the lock order."""

import pytest
from django.db import IntegrityError, transaction
from django.test import TestCase

from accounts.models import OrganizationKind, Role
from internships import services
from internships.models import Placement, PlacementStatus, PracticeBase, PracticeBaseStatus
from portal.models import Notification
from portal.workflow import InvalidTransition
from tests.factories import OrganizationFactory, make_agreement, member
from tests.helpers.concurrency import requires_row_locks
from tests.helpers.locks import assert_lock_order
from tests.people import People

from .helpers import make_base, make_placement

PLACEMENT_VERBS = {
    PlacementStatus.PUBLISHED: lambda actor, p: services.placement_publish(
        actor=actor, placement=p
    ),
    PlacementStatus.CLOSED: lambda actor, p: services.placement_close(actor=actor, placement=p),
    PlacementStatus.CANCELLED: lambda actor, p: services.placement_cancel(
        actor=actor, placement=p, reason="Refit"
    ),
}


class Hosts(People):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.host, Role.ADMIN, "hua")
        cls.hstaff = member(cls.host, Role.STAFF, "hstaff")
        cls.hviewer = member(cls.host, Role.VIEWER, "hviewer")


class TestPlacementWorkflow(Hosts, TestCase):
    def test_every_verb_from_every_status(self):
        for current in PlacementStatus.values:
            for target, verb in PLACEMENT_VERBS.items():
                placement = make_placement(self.host, self.college, status=current)
                allowed = target in services.PLACEMENT_TRANSITIONS[current]
                if allowed:
                    self.assertEqual(verb(self.hstaff, placement).status, target)
                else:
                    with self.assertRaises(InvalidTransition, msg=f"{current} → {target}"):
                        verb(self.hstaff, placement)

    def test_viewers_and_other_organizations_cannot_move_it(self):
        from django.core.exceptions import PermissionDenied

        placement = make_placement(self.host, self.college)
        for outsider in (self.hviewer, self.alice, self.olivia):
            with self.assertRaises(PermissionDenied):
                services.placement_publish(actor=outsider, placement=placement)

    def test_only_drafts_are_edited(self):
        placement = make_placement(self.host, self.college, status="published")
        with self.assertRaises(InvalidTransition):
            services.placement_update(actor=self.hua, placement=placement, title="New")

    def test_publishing_tells_the_partner_colleges_and_cancelling_tells_them_again(self):
        college_admin = member(self.college, Role.ADMIN, "rv_admin")
        stranger = member(self.other_college, Role.ADMIN, "el_admin")
        make_agreement(self.host, self.college, status="signed")
        placement = make_placement(self.host, open_to="partners")
        services.placement_publish(actor=self.hua, placement=placement)
        self.assertTrue(Notification.objects.filter(recipient=college_admin).exists())
        self.assertFalse(Notification.objects.filter(recipient=stranger).exists())
        self.assertTrue(Placement.objects.visible_to(college_admin).filter(pk=placement.pk))
        self.assertFalse(Placement.objects.visible_to(stranger).filter(pk=placement.pk))
        services.placement_cancel(actor=self.hua, placement=placement, reason="Refit")
        self.assertEqual(Notification.objects.filter(recipient=college_admin).count(), 2)

    def test_a_practice_base_must_include_the_host(self):
        from django.core.exceptions import ValidationError

        other = OrganizationFactory(kind=OrganizationKind.ENTERPRISE)
        foreign = make_base(other, self.college)
        fields = {
            "title": "x",
            "internship_type": "observation",
            "slots": 1,
            "city": "H",
            "address": "a",
            "start_date": "2027-03-01",
            "end_date": "2027-03-02",
        }
        with self.assertRaises(ValidationError):
            services.placement_create(
                actor=self.hua, host=self.host, practice_base=foreign, **fields
            )
        own = make_base(self.host, self.college)
        placement = services.placement_create(
            actor=self.hua, host=self.host, practice_base=own, **fields
        )
        self.assertEqual(placement.practice_base, own)

    def test_only_enterprises_post(self):
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            services.placement_create(actor=self.alice, host=self.college, title="x")


class TestPracticeBaseWorkflow(Hosts, TestCase):
    def test_every_move_from_every_status(self):
        for current in PracticeBaseStatus.values:
            for target in PracticeBaseStatus.values:
                base = make_base(self.host, self.college, status=current)
                if target in services.PRACTICE_BASE_TRANSITIONS[current]:
                    services.practice_base_change_status(
                        actor=self.hua, practice_base=base, status=target
                    )
                    base.refresh_from_db()
                    self.assertEqual(base.status, target)
                else:
                    with self.assertRaises(InvalidTransition, msg=f"{current} → {target}"):
                        services.practice_base_change_status(
                            actor=self.hua, practice_base=base, status=target
                        )

    def test_staff_and_colleges_edit_but_only_host_admins_move_it(self):
        from django.core.exceptions import PermissionDenied

        base = make_base(self.host, self.college)
        services.practice_base_update(actor=self.alice, practice_base=base, stations=9)
        services.practice_base_update(actor=self.hstaff, practice_base=base, stations=10)
        for actor in (self.hstaff, self.alice):
            with self.assertRaises(PermissionDenied):
                services.practice_base_change_status(
                    actor=actor, practice_base=base, status="active"
                )
        self.assertEqual(
            services.practice_base_actions(self.hua, base), {"edit", "activate", "close"}
        )
        self.assertEqual(services.practice_base_actions(self.alice, base), {"edit"})
        self.assertEqual(services.practice_base_actions(self.victor, base), set())


@pytest.mark.django_db
def test_the_database_holds_filled_slots_within_slots():
    host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE)
    placement = make_placement(host, slots=2)
    Placement.objects.filter(pk=placement.pk).update(filled_slots=2)
    for wrong in (3, -1):
        with pytest.raises(IntegrityError), transaction.atomic():
            Placement.objects.filter(pk=placement.pk).update(filled_slots=wrong)


@requires_row_locks
class TestLockOrder(Hosts, TestCase):
    def test_services_lock_in_the_portals_order(self):
        base = make_base(self.host, self.college)
        placement = make_placement(self.host, self.college)
        steps = [
            lambda: services.practice_base_update(
                actor=self.hua, practice_base=base, stations=5, colleges=[self.other_college]
            ),
            lambda: services.practice_base_change_status(
                actor=self.hua, practice_base=base, status="active"
            ),
            lambda: services.placement_update(actor=self.hua, placement=placement, slots=4),
            lambda: services.placement_publish(actor=self.hua, placement=placement),
            lambda: services.placement_close(actor=self.hua, placement=placement),
        ]
        for step in steps:
            tables = assert_lock_order(step)
            self.assertTrue(tables)
        other = make_placement(self.host, self.college)
        self.assertEqual(
            assert_lock_order(
                lambda: services.placement_cancel(actor=self.hua, placement=other, reason="x")
            ),
            ["internships_placement", "internships_nomination"],
        )
        self.assertIsInstance(PracticeBase.objects.get(pk=base.pk), PracticeBase)
