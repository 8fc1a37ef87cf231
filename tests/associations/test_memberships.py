"""Memberships through their services: the status at each date boundary, numbering,
who may be a member, one membership of a member at a time, renewals that chain from
the current end, dues, and membership types."""

from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from accounts.models import OrganizationKind
from associations.models import (
    GRACE_DAYS,
    AssociationMembership,
    MembershipRenewal,
    MembershipStatus,
    status_on,
)
from associations.services import memberships as service
from portal.history import history_entries
from tests.factories import OrganizationFactory
from tests.people import People

from .memberships import TODAY, AssociationPeople, make_membership, make_type

S = MembershipStatus


class MembershipCase(AssociationPeople, People, TestCase):
    def admit(self, member=None, **fields):
        fields.setdefault("membership_type", self.ordinary)
        fields.setdefault("start_date", TODAY)
        fields.setdefault("end_date", TODAY + timedelta(days=364))
        return service.membership_create(
            actor=self.amy,
            association=self.association,
            member=member or self.college,
            **fields,
        )

    def assert_field_error(self, field: str, call) -> ValidationError:
        with self.assertRaises(ValidationError) as raised:
            call()
        self.assertIn(field, raised.exception.message_dict)
        return raised.exception


class TestStatusByDate(MembershipCase):
    START = date(2026, 1, 1)
    END = date(2026, 12, 31)

    BOUNDARIES = [
        ("the day before the start", START - timedelta(days=1), S.PENDING),
        ("the start", START, S.ACTIVE),
        ("the end", END, S.ACTIVE),
        ("the day after the end", END + timedelta(days=1), S.GRACE),
        ("the last day of grace", END + timedelta(days=GRACE_DAYS), S.GRACE),
        ("the day after the grace", END + timedelta(days=GRACE_DAYS + 1), S.LAPSED),
    ]

    def test_the_status_at_each_boundary(self):
        for name, day, expected in self.BOUNDARIES:
            with self.subTest(name):
                self.assertEqual(status_on(self.START, self.END, day), expected)

    def test_the_date_conditions_agree_with_the_status_at_each_boundary(self):
        membership = make_membership(
            self.association, self.college, self.ordinary, start=self.START, end=self.END
        )
        for name, day, expected in self.BOUNDARIES:
            with self.subTest(name):
                found = {
                    status
                    for status in S.values
                    if AssociationMembership.objects.in_status(status, day)
                    .filter(pk=membership.pk)
                    .exists()
                }
                self.assertEqual(found, {expected})

    def test_grace_ends_thirty_days_after_the_end(self):
        membership = make_membership(
            self.association, self.college, self.ordinary, start=self.START, end=self.END
        )
        self.assertEqual(membership.grace_ends, date(2027, 1, 30))

    def test_the_status_today_follows_the_dates(self):
        cases = {
            S.PENDING: (TODAY + timedelta(days=1), TODAY + timedelta(days=30)),
            S.ACTIVE: (TODAY, TODAY),
            S.GRACE: (TODAY - timedelta(days=60), TODAY - timedelta(days=30)),
            S.LAPSED: (TODAY - timedelta(days=60), TODAY - timedelta(days=31)),
        }
        for expected, (start, end) in cases.items():
            with self.subTest(expected):
                membership = AssociationMembership(start_date=start, end_date=end)
                self.assertEqual(membership.status, expected)


class TestAdmitting(MembershipCase):
    def test_a_membership_is_numbered_like_other_references(self):
        first, second = self.admit(), self.admit(self.enterprise)
        year = TODAY.year
        self.assertRegex(first.number, rf"^M-{year}-\d{{5}}$")
        self.assertEqual(int(second.number[-5:]), int(first.number[-5:]) + 1)
        self.assertEqual(first.history.count(), 1)

    def test_a_college_and_an_enterprise_may_join(self):
        self.admit(self.college)
        self.admit(self.enterprise)
        self.assertEqual(AssociationMembership.objects.count(), 2)

    def test_only_an_active_college_or_enterprise_may_join(self):
        closed = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, is_active=False)
        for member in (self.bureau, self.other_association, closed):
            with self.subTest(member.kind):
                error = self.assert_field_error("member", lambda m=member: self.admit(m))
                self.assertEqual(
                    error.message_dict["member"], ["No such record, or not one you can see."]
                )
        self.assertFalse(AssociationMembership.objects.exists())

    def test_the_type_must_be_the_associations_and_still_offered(self):
        foreign = make_type(self.other_association, "Member")
        self.assert_field_error("membership_type", lambda: self.admit(membership_type=foreign))
        retired = make_type(self.association, "Founding member", is_active=False)
        error = self.assert_field_error(
            "membership_type", lambda: self.admit(membership_type=retired)
        )
        self.assertIn("no longer offers", error.message_dict["membership_type"][0])

    def test_only_the_associations_admins_and_staff_admit(self):
        self.assertEqual(self.admit().association, self.association)
        for person in (self.vera, self.alice, self.olivia, self.otto):
            with self.subTest(person.username), self.assertRaises(PermissionDenied):
                service.membership_create(
                    actor=person,
                    association=self.association,
                    member=self.enterprise,
                    membership_type=self.ordinary,
                    start_date=TODAY,
                    end_date=TODAY,
                )

    def test_dates_in_the_wrong_order_or_out_of_range_are_field_errors(self):
        self.assert_field_error("end_date", lambda: self.admit(end_date=TODAY - timedelta(days=1)))
        self.assert_field_error("start_date", lambda: self.admit(start_date=date(1000, 1, 1)))
        self.assert_field_error("end_date", lambda: self.admit(end_date=date(9999, 12, 31)))
        self.assertFalse(AssociationMembership.objects.exists())


class TestOneMembershipAtATime(MembershipCase):
    def setUp(self):
        self.current = self.admit(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))

    def test_overlapping_dates_are_refused(self):
        for start, end in [
            (date(2026, 12, 31), date(2027, 12, 31)),  # one day in common
            (date(2025, 1, 1), date(2026, 1, 1)),
            (date(2026, 3, 1), date(2026, 4, 1)),
            (date(2025, 1, 1), date(2028, 1, 1)),
        ]:
            with self.subTest(f"{start}–{end}"):
                error = self.assert_field_error(
                    "start_date", lambda s=start, e=end: self.admit(start_date=s, end_date=e)
                )
                self.assertIn(self.current.number, error.message_dict["start_date"][0])
        self.assertEqual(AssociationMembership.objects.count(), 1)

    def test_a_following_membership_another_member_or_another_association_is_fine(self):
        self.admit(start_date=date(2027, 1, 1), end_date=date(2027, 12, 31))
        self.admit(self.enterprise, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
        other_type = make_type(self.other_association, "Member")
        service.membership_create(
            actor=self.otto,
            association=self.other_association,
            member=self.college,
            membership_type=other_type,
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
        )
        self.assertEqual(AssociationMembership.objects.count(), 4)

    def test_an_edit_into_another_membership_is_refused(self):
        following = self.admit(start_date=date(2027, 1, 1), end_date=date(2027, 12, 31))
        self.assert_field_error(
            "start_date",
            lambda: service.membership_update(
                actor=self.amy, membership=following, start_date=date(2026, 12, 1)
            ),
        )
        following.refresh_from_db()
        self.assertEqual(following.start_date, date(2027, 1, 1))

    def test_a_renewal_into_a_following_membership_is_refused(self):
        self.admit(start_date=date(2027, 6, 1), end_date=date(2027, 12, 31))
        self.assert_field_error(
            "years", lambda: service.membership_renew(actor=self.amy, membership=self.current)
        )
        self.current.refresh_from_db()
        self.assertEqual(self.current.end_date, date(2026, 12, 31))
        self.assertFalse(MembershipRenewal.objects.exists())


class TestEditing(MembershipCase):
    def test_the_associations_staff_change_the_type_dates_and_notes(self):
        membership = self.admit()
        service.membership_update(
            actor=self.sam,
            membership=membership,
            membership_type=self.council,
            end_date=TODAY + timedelta(days=700),
            notes="Elected to the council.",
        )
        membership.refresh_from_db()
        self.assertEqual(membership.membership_type, self.council)
        self.assertEqual(membership.end_date, TODAY + timedelta(days=700))
        self.assertEqual(membership.history.count(), 2)

    def test_a_type_no_longer_offered_stays_but_cannot_be_chosen(self):
        membership = self.admit()
        self.ordinary.is_active = False
        self.ordinary.save()
        service.membership_update(actor=self.amy, membership=membership, notes="Still ordinary.")
        retired = make_type(self.association, "Founding member", is_active=False)
        self.assert_field_error(
            "membership_type",
            lambda: service.membership_update(
                actor=self.amy, membership=membership, membership_type=retired
            ),
        )

    def test_the_member_and_government_cannot_change_it(self):
        membership = self.admit()
        for person in (self.alice, self.olivia, self.vera, self.otto):
            with self.subTest(person.username), self.assertRaises(PermissionDenied):
                service.membership_update(actor=person, membership=membership, notes="Mine now")


class TestRenewing(MembershipCase):
    def test_a_renewal_extends_from_the_current_end_and_is_recorded(self):
        membership = self.admit(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
        service.membership_renew(actor=self.amy, membership=membership)
        service.membership_renew(actor=self.sam, membership=membership, years=2)
        membership.refresh_from_db()
        self.assertEqual(membership.end_date, date(2029, 12, 31))
        renewals = list(membership.renewals.order_by("pk"))
        self.assertEqual(
            [(r.previous_end, r.new_end, r.renewed_by) for r in renewals],
            [
                (date(2026, 12, 31), date(2027, 12, 31), self.amy),
                (date(2027, 12, 31), date(2029, 12, 31), self.sam),
            ],
        )
        self.assertEqual(membership.history.count(), 3)

    def test_a_membership_in_grace_renews_from_its_end_and_is_active_again(self):
        membership = self.admit(
            start_date=TODAY - timedelta(days=400), end_date=TODAY - timedelta(days=10)
        )
        self.assertEqual(membership.status, S.GRACE)
        renewed = service.membership_renew(actor=self.amy, membership=membership)
        self.assertEqual(renewed.end_date, membership.end_date + relativedelta(years=1))
        self.assertEqual(renewed.status, S.ACTIVE)

    def test_29_february_renews_to_28_february(self):
        membership = self.admit(start_date=date(2027, 3, 1), end_date=date(2028, 2, 29))
        renewed = service.membership_renew(actor=self.amy, membership=membership)
        self.assertEqual(renewed.end_date, date(2029, 2, 28))

    def test_years_must_be_1_to_10_and_the_end_stay_in_range(self):
        membership = self.admit(start_date=date(2190, 1, 1), end_date=date(2195, 12, 31))
        for years in (0, -1, 11, 10**30, True, "2", 1.5):
            with self.subTest(years=years):
                self.assert_field_error(
                    "years",
                    lambda y=years: service.membership_renew(
                        actor=self.amy, membership=membership, years=y
                    ),
                )
        self.assert_field_error(
            "years",
            lambda: service.membership_renew(actor=self.amy, membership=membership, years=10),
        )
        membership.refresh_from_db()
        self.assertEqual(membership.end_date, date(2195, 12, 31))
        self.assertFalse(membership.renewals.exists())

    def test_the_member_cannot_renew(self):
        membership = self.admit()
        for person in (self.alice, self.olivia, self.vera):
            with self.subTest(person.username), self.assertRaises(PermissionDenied):
                service.membership_renew(actor=person, membership=membership)


class TestDues(MembershipCase):
    def test_the_associations_staff_record_payments(self):
        membership = self.admit()
        payment = service.dues_payment_record(
            actor=self.sam,
            membership=membership,
            amount=Decimal("2000.00"),
            paid_on=TODAY,
            reference="BANK-7781",
        )
        service.dues_payment_record(
            actor=self.amy, membership=membership, amount=Decimal("0.01"), paid_on=TODAY
        )
        self.assertEqual(payment.recorded_by, self.sam)
        self.assertEqual(service.dues_paid(membership), Decimal("2000.01"))
        self.assertEqual(payment.history.count(), 1)

    def test_amounts_and_dates_out_of_bounds_are_field_errors(self):
        membership = self.admit()
        for field, amount, paid_on in [
            ("amount", Decimal("0"), TODAY),
            ("amount", Decimal("-5"), TODAY),
            ("amount", Decimal("1e20"), TODAY),
            ("amount", Decimal("0.001"), TODAY),
            ("paid_on", Decimal("10"), date(1900, 1, 1)),
        ]:
            with self.subTest(amount=amount, paid_on=paid_on):
                self.assert_field_error(
                    field,
                    lambda a=amount, p=paid_on: service.dues_payment_record(
                        actor=self.amy, membership=membership, amount=a, paid_on=p
                    ),
                )
        self.assertFalse(membership.payments.exists())

    def test_only_keepers_record_payments(self):
        membership = self.admit()
        for person in (self.alice, self.vera, self.olivia, self.otto):
            with self.subTest(person.username), self.assertRaises(PermissionDenied):
                service.dues_payment_record(
                    actor=person, membership=membership, amount=Decimal("1"), paid_on=TODAY
                )

    def test_payments_show_in_the_memberships_history(self):
        membership = self.admit()
        service.dues_payment_record(
            actor=self.amy, membership=membership, amount=Decimal("5"), paid_on=date(2026, 3, 1)
        )
        subjects = [entry.subject for entry in history_entries(membership)]
        self.assertIn("Dues payment of 2026-03-01", subjects)


class TestMembershipTypes(MembershipCase):
    def test_a_name_is_offered_once_per_association(self):
        made = service.membership_type_create(
            actor=self.amy, association=self.association, name="Honorary", annual_dues=0
        )
        self.assertEqual(made.annual_dues, 0)
        self.assert_field_error(
            "name",
            lambda: service.membership_type_create(
                actor=self.sam, association=self.association, name="Honorary", annual_dues=1
            ),
        )
        self.assert_field_error(
            "name",
            lambda: service.membership_type_update(
                actor=self.amy, membership_type=made, name="Ordinary member"
            ),
        )
        other = service.membership_type_create(
            actor=self.otto, association=self.other_association, name="Honorary", annual_dues=0
        )
        self.assertEqual(other.association, self.other_association)

    def test_dues_are_not_negative(self):
        self.assert_field_error(
            "annual_dues",
            lambda: service.membership_type_create(
                actor=self.amy, association=self.association, name="Odd", annual_dues=-1
            ),
        )

    def test_only_keepers_offer_and_change_types(self):
        for person in (self.vera, self.alice, self.olivia, self.otto):
            with self.subTest(person.username):
                with self.assertRaises(PermissionDenied):
                    service.membership_type_create(
                        actor=person, association=self.association, name="X", annual_dues=1
                    )
                with self.assertRaises(PermissionDenied):
                    service.membership_type_update(
                        actor=person, membership_type=self.ordinary, annual_dues=1
                    )
