"""Memberships in the API: what the detail carries (status, grace end, actions,
renewals, dues paid), renewing, recording dues, the filters (status by date,
updated_after), and hostile input answered 400, never 500."""

from datetime import date, timedelta

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from associations.models import AssociationMembership, DuesPayment, MembershipType
from tests.people import People

from .memberships import (
    TODAY,
    AssociationPeople,
    make_membership,
    make_payment,
    make_type,
    membership_data,
)


class ApiCase(AssociationPeople, People, TestCase):
    def setUp(self):
        self.api = APIClient()
        self.api.force_authenticate(self.amy)

    def detail(self, membership) -> str:
        return reverse("api:association-membership-detail", args=[membership.pk])

    def renew(self, membership) -> str:
        return reverse("api:association-membership-renew", args=[membership.pk])


class TestMembershipResource(ApiCase):
    def test_the_detail_carries_status_grace_end_actions_renewals_and_dues(self):
        membership = make_membership(
            self.association,
            self.college,
            self.ordinary,
            start=date(2025, 1, 1),
            end=TODAY - timedelta(days=3),
        )
        make_payment(membership, "1500.00")
        body = self.api.get(self.detail(membership)).json()
        self.assertEqual(body["status"], "grace")
        self.assertEqual(body["grace_ends"], membership.grace_ends.isoformat())
        self.assertEqual(body["actions"], ["edit", "record_payment", "renew"])
        self.assertEqual(body["dues_paid"], "1500.00")
        self.assertEqual(body["member_name"], "Riverside College")
        self.assertEqual(body["number"], membership.number)
        self.assertEqual(body["renewals"], [])

    def test_an_admin_of_one_association_need_not_name_it(self):
        response = self.api.post(
            reverse("api:association-membership-list"),
            membership_data(self.enterprise, self.ordinary),
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["association"], self.association.pk)
        self.assertRegex(body["number"], rf"^M-{TODAY.year}-\d{{5}}$")
        self.assertEqual(body["status"], "active")

    def test_the_number_association_and_member_do_not_change(self):
        membership = make_membership(self.association, self.college, self.ordinary)
        response = self.api.patch(
            self.detail(membership),
            {
                "number": "X-1",
                "member": self.enterprise.pk,
                "association": self.other_association.pk,
                "membership_type": self.council.pk,
            },
            format="json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        membership.refresh_from_db()
        self.assertEqual(
            (membership.number[:2], membership.member, membership.association),
            ("M-", self.college, self.association),
        )
        self.assertEqual(membership.membership_type, self.council)

    def test_renew_extends_and_answers_the_membership(self):
        membership = make_membership(
            self.association,
            self.college,
            self.ordinary,
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
        )
        response = self.api.post(self.renew(membership), {}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["end_date"], "2027-12-31")
        response = self.api.post(self.renew(membership), {"years": 3}, format="json")
        body = response.json()
        self.assertEqual(body["end_date"], "2030-12-31")
        self.assertEqual(
            [(r["previous_end"], r["new_end"], r["renewed_by"]) for r in body["renewals"]],
            [("2026-12-31", "2027-12-31", "as_amy"), ("2027-12-31", "2030-12-31", "as_amy")],
        )

    def test_overlap_answers_400(self):
        make_membership(self.association, self.college, self.ordinary)
        response = self.api.post(
            reverse("api:association-membership-list"),
            membership_data(self.college, self.ordinary),
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("may not overlap", response.json()["start_date"][0])

    def test_filters(self):
        active = make_membership(self.association, self.college, self.ordinary)
        pending = make_membership(
            self.association, self.enterprise, self.council, start=TODAY + timedelta(days=1)
        )
        grace = make_membership(
            self.association,
            self.other_college,
            self.ordinary,
            start=TODAY - timedelta(days=200),
            end=TODAY - timedelta(days=30),
        )
        lapsed = make_membership(
            self.association,
            self.other_college,
            self.ordinary,
            start=TODAY - timedelta(days=400),
            end=TODAY - timedelta(days=300),
        )
        url = reverse("api:association-membership-list")

        def ids(**query):
            response = self.api.get(url, query)
            self.assertEqual(response.status_code, 200, response.content)
            return {row["id"] for row in response.json()["results"]}

        self.assertEqual(ids(status="active"), {active.pk})
        self.assertEqual(ids(status="pending"), {pending.pk})
        self.assertEqual(ids(status="grace"), {grace.pk})
        self.assertEqual(ids(status="lapsed"), {lapsed.pk})
        self.assertEqual(ids(member=self.other_college.pk), {grace.pk, lapsed.pk})
        self.assertEqual(ids(membership_type=self.council.pk), {pending.pk})
        self.assertEqual(
            ids(association=self.association.pk), {active.pk, pending.pk, grace.pk, lapsed.pk}
        )
        self.assertEqual(ids(search="Huax"), {pending.pk})
        self.assertEqual(
            ids(ends_before=(TODAY - timedelta(days=1)).isoformat()), {grace.pk, lapsed.pk}
        )
        self.assertEqual(ids(updated_after="2999-01-01T00:00:00Z"), set())
        self.assertEqual(len(ids(updated_after="2000-01-01T00:00:00+08:00")), 4)
        response = self.api.get(url, {"ordering": "-end_date"})
        self.assertEqual(response.json()["results"][0]["id"], pending.pk)

    def test_payments_and_types_filters(self):
        membership = make_membership(self.association, self.college, self.ordinary)
        other = make_membership(self.association, self.enterprise, self.ordinary)
        early = make_payment(membership, paid_on=date(2026, 1, 5))
        late = make_payment(other, paid_on=date(2026, 6, 5), reference="BANK-9")
        url = reverse("api:dues-payment-list")

        def ids(**query):
            return {row["id"] for row in self.api.get(url, query).json()["results"]}

        self.assertEqual(ids(membership=membership.pk), {early.pk})
        self.assertEqual(ids(member=self.enterprise.pk), {late.pk})
        self.assertEqual(ids(association=self.association.pk), {early.pk, late.pk})
        self.assertEqual(ids(paid_after="2026-03-01"), {late.pk})
        self.assertEqual(ids(paid_before="2026-03-01"), {early.pk})
        self.assertEqual(ids(search="BANK-9"), {late.pk})
        self.assertEqual(ids(updated_after="2999-01-01T00:00:00Z"), set())
        make_type(self.association, "Founding member", is_active=False)
        rows = self.api.get(reverse("api:membership-type-list"), {"is_active": "false"}).json()
        self.assertEqual([row["name"] for row in rows["results"]], ["Founding member"])
        rows = self.api.get(reverse("api:membership-type-list"), {"ordering": "name"}).json()
        self.assertEqual(
            [(row["name"], row["membership_count"]) for row in rows["results"]],
            [("Council member", 0), ("Founding member", 0), ("Ordinary member", 2)],
        )

    def test_recording_a_payment(self):
        membership = make_membership(self.association, self.college, self.ordinary)
        self.api.force_authenticate(self.sam)
        response = self.api.post(
            reverse("api:dues-payment-list"),
            {"membership": membership.pk, "amount": "2000.5", "paid_on": "2026-03-01"},
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["amount"], body["recorded_by"]), ("2000.50", "as_sam"))
        self.assertEqual(self.api.get(self.detail(membership)).json()["dues_paid"], "2000.50")

    def test_a_type_name_taken_answers_400_on_the_name(self):
        response = self.api.post(
            reverse("api:membership-type-list"),
            {"name": "Ordinary member", "annual_dues": "1.00"},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["name"], ["The association already offers a type of this name."]
        )


class TestHostileInput(ApiCase):
    """Huge numbers, wild dates and ids beyond any record: 400 with the field named."""

    def setUp(self):
        super().setUp()
        self.membership = make_membership(self.association, self.college, self.ordinary)

    def assert_400(self, response, field: str):
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn(field, response.json())

    def test_renewing(self):
        for years, field in [
            (10**30, "years"),
            (0, "years"),
            (11, "years"),
            ("many", "years"),
            (1.5, "years"),
            (None, "years"),
            ([1], "years"),
        ]:
            with self.subTest(years=years):
                response = self.api.post(
                    self.renew(self.membership), {"years": years}, format="json"
                )
                self.assert_400(response, field)
        far = make_membership(
            self.association,
            self.enterprise,
            self.ordinary,
            start=date(2199, 1, 1),
            end=date(2200, 6, 30),
        )
        self.assert_400(self.api.post(self.renew(far), {"years": 1}, format="json"), "years")
        for wild in (10**30, -1, "abc"):
            url = reverse("api:association-membership-renew", args=[wild])
            self.assertEqual(self.api.post(url, {}).status_code, 404, wild)

    def test_admitting(self):
        url = reverse("api:association-membership-list")
        for change, field in [
            ({"member": 10**30}, "member"),
            ({"member": -1}, "member"),
            ({"member": "1e3"}, "member"),
            ({"member": self.bureau.pk}, "member"),
            ({"membership_type": 10**30}, "membership_type"),
            ({"association": 10**30}, "association"),
            ({"start_date": "9999-12-31"}, "start_date"),
            ({"start_date": "0001-01-01"}, "start_date"),
            ({"start_date": "2026-02-30"}, "start_date"),
            ({"end_date": "1989-12-31"}, "end_date"),
            ({"end_date": (TODAY - timedelta(days=1)).isoformat()}, "end_date"),
            ({"notes": "x" * 20_001}, "notes"),
        ]:
            with self.subTest(change):
                data = {**membership_data(self.enterprise, self.ordinary), **change}
                self.assert_400(self.api.post(url, data, format="json"), field)
        self.assertEqual(AssociationMembership.objects.count(), 1)

    def test_editing(self):
        for change, field in [
            ({"end_date": "12345-01-01"}, "end_date"),
            ({"membership_type": 10**30}, "membership_type"),
            ({"membership_type": "abc"}, "membership_type"),
        ]:
            with self.subTest(change):
                self.assert_400(
                    self.api.patch(self.detail(self.membership), change, format="json"), field
                )

    def test_paying(self):
        url = reverse("api:dues-payment-list")
        for change, field in [
            ({"amount": "1" * 40}, "amount"),
            ({"amount": 10**30}, "amount"),
            ({"amount": "NaN"}, "amount"),
            ({"amount": "Infinity"}, "amount"),
            ({"amount": "-3"}, "amount"),
            ({"amount": "0.001"}, "amount"),
            ({"paid_on": "1000-01-01"}, "paid_on"),
            ({"membership": 10**30}, "membership"),
            ({"reference": "r" * 101}, "reference"),
        ]:
            with self.subTest(change):
                data = {
                    "membership": self.membership.pk,
                    "amount": "100.00",
                    "paid_on": TODAY.isoformat(),
                    **change,
                }
                self.assert_400(self.api.post(url, data, format="json"), field)
        self.assertFalse(DuesPayment.objects.exists())

    def test_types(self):
        url = reverse("api:membership-type-list")
        for change, field in [
            ({"annual_dues": "9" * 20}, "annual_dues"),
            ({"annual_dues": "-0.01"}, "annual_dues"),
            ({"name": "n" * 101}, "name"),
            ({"association": 10**30}, "association"),
        ]:
            with self.subTest(change):
                data = {"name": "New type", "annual_dues": "1.00", **change}
                self.assert_400(self.api.post(url, data, format="json"), field)
        self.assertEqual(MembershipType.objects.count(), 2)

    def test_filters(self):
        for resource, query in [
            ("association-membership", {"status": "sleeping"}),
            ("association-membership", {"member": 10**30}),
            ("association-membership", {"association": "x"}),
            ("association-membership", {"ends_after": "2026-13-01"}),
            ("association-membership", {"updated_after": "yesterday"}),
            ("association-membership", {"updated_after": "99999-01-01T00:00:00Z"}),
            ("dues-payment", {"membership": 10**30}),
            ("dues-payment", {"paid_after": "0"}),
            ("membership-type", {"association": 10**30}),
        ]:
            with self.subTest(resource=resource, query=query):
                response = self.api.get(reverse(f"api:{resource}-list"), query)
                self.assertEqual(response.status_code, 400, response.content)
