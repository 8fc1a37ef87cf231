"""A signature records the signatory's name and title and the place of signing (page,
prefilled from the profile, and API); the printable agreement shows them with the
parties' credit codes, the clauses by party and the terms hash, in English and Chinese."""

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from partnerships import services
from partnerships.models import AgreementStatus, Clause, ClauseKind
from tests.factories import OrganizationFactory, make_agreement, member
from tests.helpers import permissions
from tests.helpers.queries import assert_constant_queries
from tests.people import People


class SignatureCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(
            kind=OrganizationKind.ENTERPRISE, name="Huaxin", region="Hangzhou"
        )
        cls.hua = member(cls.enterprise, Role.ADMIN, "hua")
        cls.hua.first_name, cls.hua.last_name = "Hua", "Chen"
        cls.hua.save()

    def negotiating(self):
        return make_agreement(
            self.college, self.enterprise, status=AgreementStatus.NEGOTIATING, signed=False
        )


class TestSignatures(SignatureCase):
    def test_the_sign_form_is_prefilled_from_the_profile_and_the_organization(self):
        agreement = self.negotiating()
        self.client.force_login(self.hua)
        page = self.client.get(agreement.get_absolute_url())
        form = page.context["sign_form"]
        self.assertEqual(form.initial["signatory_name"], "Hua Chen")
        self.assertEqual(form.initial["place"], "Hangzhou")
        self.assertEqual(form.initial.get("signatory_title", ""), "")  # no job title on profiles
        self.assertContains(page, 'value="Hua Chen"')
        self.assertContains(page, "Sign for Huaxin")

    def test_the_page_records_name_title_and_place(self):
        agreement = self.negotiating()
        self.client.force_login(self.hua)
        self.client.post(
            reverse("agreement-sign", args=[agreement.pk]),
            {
                "organization": self.enterprise.pk,
                "signatory_name": "Chen Hua",
                "signatory_title": "General Manager",
                "place": "Hangzhou",
            },
        )
        party = agreement.parties.get(organization=self.enterprise)
        self.assertEqual(
            (party.signatory_name, party.signatory_title, party.signed_place, party.signed_by),
            ("Chen Hua", "General Manager", "Hangzhou", self.hua),
        )
        page = self.client.get(agreement.get_absolute_url())
        self.assertContains(page, "Chen Hua, General Manager · at Hangzhou")

    def test_a_signature_without_a_place_is_refused_with_a_message(self):
        agreement = self.negotiating()
        self.client.force_login(self.hua)
        response = self.client.post(
            reverse("agreement-sign", args=[agreement.pk]),
            {"signatory_name": "Chen Hua", "place": " "},
            follow=True,
        )
        self.assertContains(response, "Say where you sign")
        self.assertFalse(agreement.parties.get(organization=self.enterprise).has_signed)

    def test_the_api_records_them_and_names_the_signatory_by_default(self):
        agreement = self.negotiating()
        api = APIClient()
        api.force_authenticate(self.hua)
        url = reverse("api:agreement-sign", args=[agreement.pk])
        response = api.post(url, {})
        self.assertEqual(response.status_code, 400)
        self.assertIn("place", response.json())
        response = api.post(url, {"place": "x" * 201})
        self.assertEqual(response.status_code, 400)
        self.assertIn("place", response.json())
        body = api.post(url, {"place": "Hangzhou", "signatory_title": "General Manager"}).json()
        party = next(p for p in body["parties"] if p["organization"] == self.enterprise.pk)
        self.assertEqual(
            (party["signatory_name"], party["signatory_title"], party["signed_place"]),
            ("Hua Chen", "General Manager", "Hangzhou"),
        )
        self.assertEqual(party["signed_by"], "hua")
        self.assertEqual(len(body["terms_hash"]), 64)
        self.assertTrue(body["print_url"].endswith(reverse("agreement-print", args=[agreement.pk])))

    def test_a_change_of_terms_clears_the_signatory_with_the_signature(self):
        agreement = self.negotiating()
        services.agreement_sign(
            actor=self.hua, agreement=agreement, signatory_title="GM", place="Hangzhou"
        )
        services.agreement_update_terms(actor=self.alice, agreement=agreement, title="Renamed")
        party = agreement.parties.get(organization=self.enterprise)
        self.assertEqual(
            (party.signed_at, party.signatory_name, party.signatory_title, party.signed_place),
            (None, "", "", ""),
        )


class TestPrintableAgreement(SignatureCase):
    def signed(self):
        agreement = self.negotiating()
        agreement.summary = "To train robot technicians together."
        agreement.legal_basis = "Vocational Education Law, art. 40"
        agreement.save()
        Clause.objects.create(
            agreement=agreement,
            party=agreement.parties.get(organization=self.enterprise),
            kind=ClauseKind.RIGHT,
            category="employment",
            text="Offer jobs first to the trainees.",
        )
        services.agreement_sign(
            actor=self.alice, agreement=agreement, signatory_title="President", place="Hangzhou"
        )
        services.agreement_sign(
            actor=self.hua, agreement=agreement, signatory_title="General Manager", place="Ningbo"
        )
        agreement.refresh_from_db()
        return agreement

    def test_the_document_holds_everything_a_paper_copy_needs(self):
        agreement = self.signed()
        self.client.force_login(self.victor)
        detail = self.client.get(agreement.get_absolute_url())
        url = reverse("agreement-print", args=[agreement.pk])
        self.assertContains(detail, f'href="{url}"')
        self.assertContains(detail, "Print / save as PDF")
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        for text in (
            agreement.title,
            agreement.reference,
            self.college.credit_code,
            self.enterprise.credit_code,
            "Party A",
            "To train robot technicians together.",
            "Vocational Education Law, art. 40",
            "Responsibility 1 of Huaxin",
            "Offer jobs first to the trainees.",
            "General Manager",
            "President",
            "Ningbo",
            "Hua Chen",
            agreement.terms_hash(),
            "partnerships/agreement_print.css",
        ):
            self.assertContains(page, text, msg_prefix=text)
        self.assertContains(page, 'data-testid="signature"', count=2)
        self.assertContains(page, "Signed in the portal, binding the terms below.", count=2)
        # Clauses are numbered across the parties, grouped by party.
        self.assertContains(page, "Article 3")

    def test_an_unsigned_party_has_blank_lines(self):
        agreement = self.negotiating()
        self.client.force_login(self.alice)
        page = self.client.get(reverse("agreement-print", args=[agreement.pk]))
        self.assertContains(page, "Not signed yet.", count=2)

    def test_the_document_in_chinese(self):
        agreement = self.signed()
        self.client.force_login(self.alice)
        page = self.client.get(
            reverse("agreement-print", args=[agreement.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'lang="zh-hans"')
        self.assertContains(page, "权利与义务")  # "Rights and responsibilities"
        self.assertContains(page, self.enterprise.credit_code)
        self.assertContains(page, agreement.terms_hash())

    def test_the_stylesheet_hides_the_portal_when_printing_and_has_chinese_fonts(self):
        from django.contrib.staticfiles import finders

        with open(finders.find("partnerships/agreement_print.css"), encoding="utf-8") as file:
            css = file.read()
        self.assertIn("@media print", css)
        self.assertIn('"Noto Sans CJK SC"', css)
        self.assertIn('"Noto Serif CJK SC"', css)
        self.assertIn("serif;", css)
        printed = css[css.index("@media print") :]
        for hidden in ("header.navbar", ".sidebar", ".btn"):
            self.assertIn(hidden, printed)

    def test_query_count_does_not_grow_with_parties_and_clauses(self):
        agreement = self.signed()
        self.client.force_login(self.alice)

        def add(count):
            from partnerships.models import AgreementParty

            for _ in range(count):
                party = AgreementParty.objects.create(
                    agreement=agreement, organization=OrganizationFactory(), role="Party C"
                )
                Clause.objects.create(
                    agreement=agreement,
                    party=party,
                    kind=ClauseKind.RESPONSIBILITY,
                    category="other",
                    text="A responsibility",
                )

        assert_constant_queries(
            self, lambda: self.client.get(reverse("agreement-print", args=[agreement.pk])), add
        )


class TestPrintablePermissions(permissions.PagePermissionCases):
    list_url_name = "agreement-list"
    detail_url_name = "agreement-print"

    def make_record(self):
        self.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        return make_agreement(self.college, self.enterprise)

    def test_a_viewer_reads_but_cannot_edit(self):
        self.client.force_login(self.victor)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 200)

    def test_a_member_reads_and_edits(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
