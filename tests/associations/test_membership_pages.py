"""The membership pages: admitting, editing, renewing and recording dues with errors
next to their fields; the list's filters, sorting and CSV; the membership's page; the
printable certificate; membership types; and memberships on the home page, in the
search box, the navigation and an organization's cooperation tab."""

from datetime import date, timedelta

from django.test import TestCase
from django.urls import reverse

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


class PageCase(AssociationPeople, People, TestCase):
    def form_errors(self, response) -> dict:
        self.assertEqual(response.status_code, 200)
        return response.context["form"].errors


class TestAdmittingAndEditing(PageCase):
    def test_the_admin_admits_a_member(self):
        self.client.force_login(self.amy)
        url = reverse("association-membership-create")
        self.assertContains(self.client.get(url), '<label class="form-label" for="id_member">')
        data = membership_data(self.enterprise, self.council)
        response = self.client.post(url, {**data, "association": self.association.pk})
        membership = AssociationMembership.objects.get()
        self.assertRedirects(response, membership.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(membership.member, self.enterprise)
        self.assertEqual(membership.membership_type, self.council)
        page = self.client.get(membership.get_absolute_url())
        self.assertContains(page, f"Huaxin is a member: number {membership.number}.")

    def test_errors_are_next_to_their_fields(self):
        make_membership(self.association, self.college, self.ordinary, start=TODAY, end=TODAY)
        foreign = make_type(self.other_association, "Member")
        self.client.force_login(self.amy)
        url = reverse("association-membership-create")
        cases = [
            ({"member": self.bureau.pk}, "member"),
            ({"member": 10**30}, "member"),
            ({"membership_type": foreign.pk}, "membership_type"),
            ({"start_date": "2026-02-30"}, "start_date"),
            ({"end_date": "9999-12-31"}, "end_date"),
            ({"end_date": (TODAY - timedelta(days=1)).isoformat()}, "end_date"),
            ({"member": self.college.pk}, "start_date"),  # overlaps its membership
            ({"association": self.other_association.pk}, "association"),
        ]
        for change, field in cases:
            with self.subTest(change):
                data = {
                    **membership_data(self.enterprise, self.ordinary),
                    "association": self.association.pk,
                    **change,
                }
                errors = self.form_errors(self.client.post(url, data))
                self.assertIn(field, errors)
        self.assertEqual(AssociationMembership.objects.count(), 1)
        data = membership_data(self.college, self.ordinary, association=self.association.pk)
        response = self.client.post(url, data)
        self.assertContains(response, 'id="id_start_date_errors"')
        self.assertContains(response, "may not overlap")

    def test_the_admin_edits_type_and_dates(self):
        membership = make_membership(self.association, self.college, self.ordinary)
        self.client.force_login(self.sam)
        url = reverse("association-membership-edit", args=[membership.pk])
        data = {
            "membership_type": self.council.pk,
            "start_date": membership.start_date.isoformat(),
            "end_date": (membership.end_date + timedelta(days=10)).isoformat(),
            "notes": "",
        }
        self.assertRedirects(self.client.post(url, data), membership.get_absolute_url())
        membership.refresh_from_db()
        self.assertEqual(membership.membership_type, self.council)
        errors = self.form_errors(self.client.post(url, {**data, "end_date": "1900-01-01"}))
        self.assertIn("end_date", errors)

    def test_a_membership_type_no_longer_offered_is_not_offered(self):
        retired = make_type(self.association, "Founding member", is_active=False)
        self.client.force_login(self.amy)
        page = self.client.get(reverse("association-membership-create"))
        self.assertContains(page, "Council member")
        self.assertNotContains(page, "Founding member")
        self.assertNotContains(page, retired.name)


class TestRenewingAndPaying(PageCase):
    def setUp(self):
        self.membership = make_membership(
            self.association,
            self.college,
            self.ordinary,
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
        )
        self.client.force_login(self.amy)

    def test_renewing_extends_the_end_and_lists_the_renewal(self):
        url = reverse("association-membership-renew", args=[self.membership.pk])
        self.assertContains(self.client.get(url), "It ends on 2026-12-31")
        response = self.client.post(url, {"years": "2"}, follow=True)
        self.assertContains(response, "Membership renewed: it now ends on 2028-12-31.")
        self.assertContains(response, 'data-testid="renewals"')
        self.membership.refresh_from_db()
        self.assertEqual(self.membership.end_date, date(2028, 12, 31))

    def test_wild_years_are_form_errors(self):
        url = reverse("association-membership-renew", args=[self.membership.pk])
        for years in ("0", "11", str(10**30), "abc", "", "1.5"):
            with self.subTest(years=years):
                self.assertIn("years", self.form_errors(self.client.post(url, {"years": years})))
        make_membership(
            self.association, self.college, self.ordinary, start=date(2027, 3, 1), end=None
        )
        errors = self.form_errors(self.client.post(url, {"years": "1"}))
        self.assertIn("may not overlap", errors["years"][0])
        self.assertFalse(self.membership.renewals.exists())

    def test_recording_a_payment(self):
        url = reverse("association-membership-pay", args=[self.membership.pk])
        data = {"amount": "2000.00", "paid_on": "2026-01-15", "reference": "BANK-7781"}
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "Payment recorded.")
        self.assertContains(response, "BANK-7781")
        self.assertContains(response, "¥2,000.00")
        payment = DuesPayment.objects.get()
        self.assertEqual(payment.recorded_by, self.amy)
        for change, field in [
            ({"amount": "0"}, "amount"),
            ({"amount": "1" * 30}, "amount"),
            ({"amount": "NaN"}, "amount"),
            ({"paid_on": "2026-13-01"}, "paid_on"),
            ({"paid_on": "0001-01-01"}, "paid_on"),
            ({"reference": "x" * 101}, "reference"),
        ]:
            with self.subTest(change):
                errors = self.form_errors(self.client.post(url, {**data, **change}))
                self.assertIn(field, errors)
        self.assertEqual(DuesPayment.objects.count(), 1)


class TestMembershipPage(PageCase):
    def test_the_overview_shows_status_dates_grace_renewals_and_payments(self):
        membership = make_membership(
            self.association,
            self.college,
            self.ordinary,
            start=TODAY - timedelta(days=400),
            end=TODAY - timedelta(days=5),
        )
        make_payment(membership, "2000.00", reference="BANK-1")
        make_payment(membership, "500.50", reference="BANK-2")
        self.client.force_login(self.victor)
        response = self.client.get(membership.get_absolute_url())
        self.assertContains(response, 'data-status="grace"')
        self.assertContains(response, 'data-testid="grace-notice"')
        self.assertContains(response, membership.grace_ends.isoformat())
        self.assertContains(response, "¥2,500.50")
        self.assertContains(response, "BANK-2")
        self.assertContains(response, "Not renewed yet.")
        self.assertContains(response, 'data-testid="certificate-link"')

    def test_history_and_attachments_tabs(self):
        membership = make_membership(self.association, self.college, self.ordinary)
        self.client.force_login(self.amy)
        response = self.client.get(membership.get_absolute_url() + "?tab=attachments")
        self.assertContains(response, "Attach a file")
        self.client.force_login(self.alice)  # the member reads the files, adds none
        response = self.client.get(membership.get_absolute_url() + "?tab=attachments")
        self.assertNotContains(response, "Attach a file")
        self.assertEqual(
            self.client.get(membership.get_absolute_url() + "?tab=history").status_code, 200
        )


class TestCertificate(PageCase):
    def certificate(self, membership):
        return self.client.get(reverse("association-membership-certificate", args=[membership.pk]))

    def test_an_active_membership_has_a_printable_certificate(self):
        membership = make_membership(
            self.association,
            self.college,
            self.council,
            start=TODAY - timedelta(days=10),
            end=TODAY + timedelta(days=355),
        )
        for person in (self.amy, self.alice, self.olivia):
            self.client.force_login(person)
            response = self.certificate(membership)
            self.assertContains(response, "Certificate of membership")
            self.assertContains(response, "Riverside College")
            self.assertContains(response, "Manufacturing Association")
            self.assertContains(response, "Council member")
            self.assertContains(response, membership.number)
            self.assertContains(
                response,
                f"{membership.start_date.isoformat()} – {membership.end_date.isoformat()}",
            )
            self.assertContains(response, '<dd data-testid="certificate-status">Active</dd>')
            self.assertContains(response, "associations/certificate.css")
            self.assertNotContains(response, "sidebar")  # no portal chrome to print

    def test_a_membership_in_grace_says_until_when(self):
        membership = make_membership(
            self.association,
            self.college,
            self.ordinary,
            start=TODAY - timedelta(days=400),
            end=TODAY - timedelta(days=1),
        )
        self.client.force_login(self.alice)
        response = self.certificate(membership)
        self.assertContains(response, "In grace")
        self.assertContains(response, f"in good standing until {membership.grace_ends}")

    def test_a_pending_or_lapsed_membership_has_none(self):
        pending = make_membership(
            self.association, self.college, self.ordinary, start=TODAY + timedelta(days=1)
        )
        lapsed = make_membership(
            self.association,
            self.enterprise,
            self.ordinary,
            start=TODAY - timedelta(days=400),
            end=TODAY - timedelta(days=31),
        )
        self.client.force_login(self.amy)
        for membership in (pending, lapsed):
            self.assertEqual(self.certificate(membership).status_code, 404)
            response = self.client.get(membership.get_absolute_url())
            self.assertNotContains(response, 'data-testid="certificate-link"')

    def test_someone_who_does_not_see_the_membership_gets_404(self):
        membership = make_membership(self.association, self.college, self.ordinary)
        for person in (self.charlie, self.hua, self.otto):
            self.client.force_login(person)
            self.assertEqual(self.certificate(membership).status_code, 404)
        self.client.logout()
        self.assertEqual(self.certificate(membership).status_code, 302)


class TestMembershipList(PageCase):
    def setUp(self):
        self.active = make_membership(self.association, self.college, self.ordinary)
        self.pending = make_membership(
            self.association, self.enterprise, self.council, start=TODAY + timedelta(days=3)
        )
        self.lapsed = make_membership(
            self.association,
            self.other_college,
            self.ordinary,
            start=TODAY - timedelta(days=500),
            end=TODAY - timedelta(days=100),
        )
        self.client.force_login(self.amy)

    def listed(self, **query) -> list[str]:
        response = self.client.get(reverse("association-membership-list"), query)
        self.assertEqual(response.status_code, 200)
        return [row.number for row in response.context["memberships"]]

    def test_filters(self):
        everyone = {self.active.number, self.pending.number, self.lapsed.number}
        self.assertEqual(set(self.listed()), everyone)
        self.assertEqual(self.listed(status="active"), [self.active.number])
        self.assertEqual(self.listed(status="pending"), [self.pending.number])
        self.assertEqual(self.listed(status="lapsed"), [self.lapsed.number])
        self.assertEqual(self.listed(status="grace"), [])
        self.assertEqual(self.listed(member=self.enterprise.pk), [self.pending.number])
        self.assertEqual(self.listed(membership_type=self.council.pk), [self.pending.number])
        self.assertEqual(set(self.listed(association=self.association.pk)), everyone)
        self.assertEqual(self.listed(q="Huax"), [self.pending.number])
        self.assertEqual(self.listed(q=self.lapsed.number), [self.lapsed.number])
        for wild in ({"status": "gone"}, {"member": 10**30}, {"ends_before": "2026-99-01"}):
            with self.subTest(wild):
                response = self.client.get(reverse("association-membership-list"), wild)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["filterset"].errors)

    def test_sorting(self):
        self.assertEqual(
            self.listed(ordering="end"),
            [self.lapsed.number, self.active.number, self.pending.number],
        )
        self.assertEqual(
            self.listed(ordering="-member"),  # Riverside, Huaxin, Eastlake
            [self.active.number, self.pending.number, self.lapsed.number],
        )

    def test_csv_export(self):
        response = self.client.get(reverse("association-membership-list"), {"export": "csv"})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        text = response.content.decode("utf-8-sig")
        header = text.splitlines()[0]
        self.assertEqual(
            header,
            "id,number,member,association,membership_type,start_date,end_date,status,"
            "grace_ends,updated_at",
        )
        self.assertIn(f"{self.pending.number},Huaxin,Manufacturing Association,Council", text)
        self.assertIn(",Pending,", text)


class TestMembershipTypePages(PageCase):
    def test_the_admin_offers_and_edits_a_type(self):
        self.client.force_login(self.amy)
        url = reverse("membership-type-create")
        data = {
            "association": self.association.pk,
            "name": "Honorary member",
            "annual_dues": "0.00",
            "description": "For retired engineers.",
            "is_active": "on",
        }
        response = self.client.post(url, data)
        made = MembershipType.objects.get(name="Honorary member")
        self.assertRedirects(response, made.get_absolute_url())
        errors = self.form_errors(self.client.post(url, data))
        self.assertEqual(errors["name"], ["The association already offers a type of this name."])
        errors = self.form_errors(self.client.post(url, {**data, "annual_dues": "-1"}))
        self.assertIn("annual_dues", errors)
        errors = self.form_errors(self.client.post(url, {**data, "annual_dues": "9" * 20}))
        self.assertIn("annual_dues", errors)
        edit = reverse("membership-type-edit", args=[made.pk])
        response = self.client.post(edit, {**data, "annual_dues": "100.00"})
        self.assertRedirects(response, made.get_absolute_url())
        made.refresh_from_db()
        self.assertEqual(str(made.annual_dues), "100.00")
        self.assertFalse(made.is_active is False)

    def test_the_list_counts_memberships_of_each_type(self):
        make_membership(self.association, self.college, self.ordinary)
        make_membership(self.association, self.enterprise, self.ordinary)
        self.client.force_login(self.vera)
        response = self.client.get(reverse("membership-type-list"))
        rows = {t.name: t.membership_count for t in response.context["membership_types"]}
        self.assertEqual(rows, {"Ordinary member": 2, "Council member": 0})
        response = self.client.get(reverse("association-membership-list"))
        self.assertContains(response, reverse("membership-type-list"))


class TestMembershipsElsewhere(PageCase):
    def test_memberships_to_renew_wait_on_the_associations_keepers(self):
        ending = make_membership(
            self.association,
            self.college,
            self.ordinary,
            start=TODAY - timedelta(days=300),
            end=TODAY + timedelta(days=30),
        )
        in_grace = make_membership(
            self.association,
            self.enterprise,
            self.ordinary,
            start=TODAY - timedelta(days=300),
            end=TODAY - timedelta(days=30),
        )
        make_membership(  # ends later
            self.association, self.other_college, self.ordinary, end=TODAY + timedelta(days=31)
        )
        for person in (self.amy, self.sam):
            self.client.force_login(person)
            response = self.client.get(reverse("home"))
            waiting = [item.url for item in response.context["waiting"]]
            self.assertIn(ending.get_absolute_url(), waiting)
            self.assertIn(in_grace.get_absolute_url(), waiting)
            self.assertEqual(len([u for u in waiting if "association-memberships" in u]), 2)
            self.assertContains(response, f"in grace until {in_grace.grace_ends}")
        for person in (self.vera, self.alice, self.olivia):
            self.client.force_login(person)
            waiting = [item.url for item in self.client.get(reverse("home")).context["waiting"]]
            self.assertNotIn(ending.get_absolute_url(), waiting)

    def test_a_membership_followed_by_another_is_not_to_renew(self):
        ending = make_membership(
            self.association, self.college, self.ordinary, end=TODAY + timedelta(days=5)
        )
        make_membership(
            self.association, self.college, self.ordinary, start=TODAY + timedelta(days=6)
        )
        self.client.force_login(self.amy)
        waiting = [item.url for item in self.client.get(reverse("home")).context["waiting"]]
        self.assertNotIn(ending.get_absolute_url(), waiting)

    def test_the_search_box_finds_memberships_by_member_name_for_those_who_see_them(self):
        membership = make_membership(self.association, self.college, self.ordinary)
        for person in (self.amy, self.vera, self.alice, self.olivia):
            self.client.force_login(person)
            response = self.client.get(reverse("search"), {"q": "Riverside"})
            self.assertContains(response, membership.get_absolute_url())
        for person in (self.charlie, self.otto, self.hua):
            self.client.force_login(person)
            response = self.client.get(reverse("search"), {"q": "Riverside"})
            self.assertNotContains(response, membership.get_absolute_url())

    def test_the_navigation_links_the_memberships(self):
        self.client.force_login(self.victor)
        self.assertContains(
            self.client.get(reverse("home")), reverse("association-membership-list")
        )

    def test_the_cooperation_tab_lists_memberships_on_both_sides(self):
        membership = make_membership(self.association, self.college, self.ordinary)
        self.client.force_login(self.alice)
        page = reverse("organization-detail", args=[self.college.pk]) + "?tab=cooperation"
        response = self.client.get(page)
        self.assertContains(response, "Association memberships")
        self.assertContains(response, membership.get_absolute_url())
        self.client.force_login(self.amy)
        page = reverse("organization-detail", args=[self.association.pk]) + "?tab=cooperation"
        response = self.client.get(page)
        self.assertContains(response, "Association members")
        self.assertContains(response, membership.get_absolute_url())


class TestWildAddresses(PageCase):
    def test_ids_beyond_any_record_answer_404(self):
        self.client.force_login(self.amy)
        for name in (
            "association-membership-detail",
            "association-membership-edit",
            "association-membership-renew",
            "association-membership-pay",
            "association-membership-certificate",
            "membership-type-detail",
            "membership-type-edit",
        ):
            with self.subTest(name):
                url = reverse(name, args=[10**30])
                self.assertEqual(self.client.get(url).status_code, 404)
                if "detail" not in name and "certificate" not in name:
                    self.assertEqual(self.client.post(url, {"years": "1"}).status_code, 404)
