"""The shared permission cases for memberships, dues payments and membership types (API
and pages), and the rules of their own: only the association's admins and staff keep
them; the member organization reads its own memberships and their payments, never
another member's; another association, or an organization that is not a member, gets
404; government reads everything and changes nothing.

People: see tests/associations/memberships.py (amy admin, sam staff, vera viewer of the
association; Riverside College, alice/bob/victor, is the member)."""

from django.urls import reverse

from associations.models import AssociationMembership, DuesPayment
from tests.helpers import permissions

from .memberships import (
    TODAY,
    AssociationPeople,
    make_membership,
    make_payment,
    make_type,
    membership_data,
)


class TestMembershipApi(AssociationPeople, permissions.ApiPermissionCases):
    basename = "association-membership"
    member_name = "amy"
    creator_name = "amy"

    def make_record(self):
        return make_membership(self.association, self.college, self.ordinary)

    def create_data(self):
        return membership_data(self.enterprise, self.ordinary)

    def update_data(self):
        return {"notes": "Moves to the council next year."}

    def renew_url(self, record=None) -> str:
        return reverse("api:association-membership-renew", args=[(record or self.record).pk])

    def test_the_associations_staff_keep_memberships(self):
        self.as_user("sam")
        response = self.client.post(self.list_url(), self.create_data())
        self.assertEqual(response.status_code, 201, response.content)
        detail = self.client.get(response.json()["url"]).json()
        self.assertEqual(detail["actions"], ["edit", "record_payment", "renew"])
        self.assertEqual(self.client.post(self.renew_url(), {"years": 1}).status_code, 200)

    def test_the_member_reads_its_membership_but_changes_nothing(self):
        for name in ("alice", "bob", "victor"):
            self.as_user(name)
            response = self.client.get(self.detail_url())
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.json()["actions"], [])
            self.assertIn(self.record.pk, self.listed_ids())
            self.assertEqual(
                self.client.patch(self.detail_url(), self.update_data()).status_code, 403
            )
            self.assertEqual(self.client.post(self.renew_url(), {"years": 1}).status_code, 403)
            self.assertEqual(self.client.post(self.list_url(), self.create_data()).status_code, 403)
        self.record.refresh_from_db()
        self.assertEqual(self.record.renewals.count(), 0)

    def test_the_associations_viewer_reads_but_cannot_write(self):
        self.as_user("vera")
        self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
        self.assertEqual(self.client.patch(self.detail_url(), self.update_data()).status_code, 403)
        self.assertEqual(self.client.post(self.renew_url(), {"years": 1}).status_code, 403)
        self.assertEqual(self.client.post(self.list_url(), self.create_data()).status_code, 403)

    def test_a_member_does_not_see_another_members_membership(self):
        theirs = make_membership(self.association, self.enterprise, self.ordinary)
        self.as_user("alice")
        self.assertEqual(self.client.get(self.detail_url(theirs)).status_code, 404)
        self.assertEqual(self.listed_ids(), {self.record.pk})
        self.client.force_authenticate(self.hua)
        self.assertEqual(self.listed_ids(), {theirs.pk})

    def test_another_association_and_a_non_member_get_404(self):
        for person in (self.otto, self.hua):
            self.client.force_authenticate(person)
            self.assert_hidden()
            self.assertEqual(self.client.post(self.renew_url(), {"years": 1}).status_code, 404)

    def test_another_associations_admin_cannot_admit_to_this_one(self):
        self.client.force_authenticate(self.otto)
        data = {**self.create_data(), "association": self.association.pk}
        self.assertEqual(self.client.post(self.list_url(), data).status_code, 400)  # the type
        other_type = make_type(self.other_association, "Member")
        data = {**data, "membership_type": other_type.pk}
        self.assertEqual(self.client.post(self.list_url(), data).status_code, 403)
        self.assertFalse(AssociationMembership.objects.filter(member=self.enterprise).exists())

    def test_government_cannot_renew(self):
        self.as_user("olivia")
        self.assertEqual(self.client.post(self.renew_url(), {"years": 1}).status_code, 403)


class TestDuesPaymentApi(AssociationPeople, permissions.ApiPermissionCases):
    basename = "dues-payment"
    member_name = "amy"
    creator_name = "amy"
    can_update = False  # a payment is recorded, never changed

    def make_record(self):
        membership = make_membership(self.association, self.college, self.ordinary)
        return make_payment(membership, reference="BANK-1")

    def create_data(self):
        return {
            "membership": self.record.membership_id,
            "amount": "500.00",
            "paid_on": TODAY.isoformat(),
            "reference": "BANK-2",
        }

    def test_the_member_reads_its_payments_but_records_none(self):
        self.as_user("alice")
        response = self.client.get(self.detail_url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["amount"], "2000.00")
        self.assertEqual(self.client.post(self.list_url(), self.create_data()).status_code, 403)
        self.assertEqual(DuesPayment.objects.count(), 1)

    def test_a_member_does_not_see_another_members_payments(self):
        theirs = make_payment(make_membership(self.association, self.enterprise, self.ordinary))
        self.as_user("alice")
        self.assertEqual(self.listed_ids(), {self.record.pk})
        self.assertEqual(self.client.get(self.detail_url(theirs)).status_code, 404)
        # Naming another member's membership reads as naming none.
        data = {**self.create_data(), "membership": theirs.membership_id}
        response = self.client.post(self.list_url(), data)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["membership"], ["No such record, or not one you can see."])

    def test_payments_cannot_be_changed_or_removed(self):
        self.as_user("amy")
        self.assertEqual(self.client.patch(self.detail_url(), {"amount": "1.00"}).status_code, 405)
        self.assertEqual(self.client.delete(self.detail_url()).status_code, 405)

    def test_another_association_gets_404(self):
        self.client.force_authenticate(self.otto)
        self.assert_hidden()


class TestMembershipTypeApi(AssociationPeople, permissions.ApiPermissionCases):
    """Types are the association's alone: here the viewer is the association's (vera);
    the member organization does not see them."""

    basename = "membership-type"
    member_name = "amy"
    creator_name = "amy"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.victor = cls.vera

    def make_record(self):
        return make_type(self.association, "Supporting member", "500.00")

    def create_data(self):
        return {"name": "Honorary member", "annual_dues": "0.00"}

    def update_data(self):
        return {"annual_dues": "600.00", "is_active": False}

    def test_the_member_organization_does_not_see_the_types(self):
        self.as_user("alice")
        self.assert_hidden()

    def test_another_association_gets_404(self):
        self.client.force_authenticate(self.otto)
        self.assert_hidden()
        self.assertEqual(self.client.patch(self.detail_url(), self.update_data()).status_code, 404)


class TestMembershipPages(AssociationPeople, permissions.PagePermissionCases):
    list_url_name = "association-membership-list"
    detail_url_name = "association-membership-detail"
    edit_url_name = "association-membership-edit"
    member_name = "amy"

    def make_record(self):
        return make_membership(self.association, self.college, self.ordinary)

    def edit_data(self):
        return {
            "membership_type": self.council.pk,
            "start_date": self.record.start_date.isoformat(),
            "end_date": self.record.end_date.isoformat(),
            "notes": "Elected to the council.",
        }

    def action_urls(self) -> list[str]:
        return [
            reverse(name, args=[self.record.pk])
            for name in ("association-membership-renew", "association-membership-pay")
        ]

    def test_the_member_reads_its_membership_and_certificate_but_changes_nothing(self):
        for person in (self.alice, self.bob, self.victor):
            self.client.force_login(person)
            response = self.client.get(self.detail_url())
            self.assertContains(response, self.record.number)
            self.assertNotContains(response, self.edit_url())
            for url in [self.edit_url(), *self.action_urls()]:
                self.assertEqual(self.client.get(url).status_code, 403, url)
                self.assertEqual(self.client.post(url, {"years": 1}).status_code, 403, url)
            certificate = reverse("association-membership-certificate", args=[self.record.pk])
            self.assertEqual(self.client.get(certificate).status_code, 200)
            create = reverse("association-membership-create")
            self.assertEqual(self.client.get(create).status_code, 403)

    def test_the_associations_staff_reach_every_form(self):
        self.client.force_login(self.sam)
        for url in [self.edit_url(), *self.action_urls(), reverse("association-membership-create")]:
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_another_association_and_a_non_member_get_404_everywhere(self):
        certificate = reverse("association-membership-certificate", args=[self.record.pk])
        for person in (self.otto, self.hua, self.charlie):
            self.client.force_login(person)
            for url in [self.detail_url(), self.edit_url(), certificate, *self.action_urls()]:
                self.assertEqual(self.client.get(url).status_code, 404, (person, url))
            self.assertEqual(self.client.post(self.action_urls()[0], {"years": 1}).status_code, 404)
        self.record.refresh_from_db()
        self.assertEqual(self.record.renewals.count(), 0)

    def test_a_member_sees_only_its_own_memberships_listed(self):
        theirs = make_membership(self.association, self.enterprise, self.ordinary)
        self.client.force_login(self.alice)
        response = self.client.get(reverse(self.list_url_name))
        self.assertContains(response, self.detail_url())
        self.assertNotContains(response, theirs.get_absolute_url() + '"')

    def test_government_reads_but_neither_renews_nor_records_payments(self):
        self.client.force_login(self.olivia)
        for url in self.action_urls():
            self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.get(reverse("association-membership-create")).status_code, 403)


class TestMembershipTypePages(AssociationPeople, permissions.PagePermissionCases):
    """Here the viewer is the association's (vera): types are the association's alone."""

    list_url_name = "membership-type-list"
    detail_url_name = "membership-type-detail"
    edit_url_name = "membership-type-edit"
    member_name = "amy"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.victor = cls.vera

    def make_record(self):
        return make_type(self.association, "Supporting member", "500.00")

    def edit_data(self):
        return {"name": "Supporting member", "annual_dues": "800.00", "description": ""}

    def test_the_member_organization_and_another_association_get_404(self):
        for person in (self.alice, self.otto):
            self.client.force_login(person)
            self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
            self.assertEqual(self.client.get(self.edit_url()).status_code, 404)
            self.assertNotContains(self.client.get(reverse(self.list_url_name)), self.detail_url())

    def test_only_keepers_offer_types(self):
        create = reverse("membership-type-create")
        for person in (self.vera, self.alice, self.olivia):
            self.client.force_login(person)
            self.assertEqual(self.client.get(create).status_code, 403)
        self.client.force_login(self.sam)
        self.assertEqual(self.client.get(create).status_code, 200)
