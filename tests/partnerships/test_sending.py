"""Sending for signature needs at least one clause and a role for every party (field
errors naming what is missing, page and API); a party's role is set on the agreement's
page or through the API while the terms may change."""

from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from partnerships import services
from partnerships.models import AgreementParty, AgreementStatus, Clause
from tests.factories import OrganizationFactory, make_agreement, member
from tests.people import People


class SendingCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.enterprise, Role.ADMIN, "hua")

    def setUp(self):
        self.api = APIClient()

    def draft(self, *, clauses=1, roles=True, status=AgreementStatus.DRAFT):
        agreement = make_agreement(self.college, self.enterprise, status=status, clauses=clauses)
        if not roles:
            agreement.parties.filter(organization=self.enterprise).update(role="")
        return agreement

    def send_api(self, user, agreement):
        self.api.force_authenticate(user)
        return self.api.post(reverse("api:agreement-send", args=[agreement.pk]))


class TestSendingRules(SendingCase):
    def test_without_clauses_the_api_answers_400_naming_the_clauses(self):
        agreement = self.draft(clauses=0)
        response = self.send_api(self.bob, agreement)
        self.assertEqual(response.status_code, 400, response.content)
        self.assertEqual(list(response.json()), ["clauses"])
        agreement.refresh_from_db()
        self.assertEqual(agreement.status, AgreementStatus.DRAFT)

    def test_a_party_without_a_role_is_named(self):
        agreement = self.draft(roles=False)
        response = self.send_api(self.bob, agreement)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(response.json()), ["parties"])
        self.assertIn("Huaxin", response.json()["parties"][0])
        self.assertNotIn("Riverside", response.json()["parties"][0])

    def test_both_missing_are_both_named(self):
        agreement = self.draft(clauses=0, roles=False)
        body = self.send_api(self.bob, agreement).json()
        self.assertEqual(sorted(body), ["clauses", "parties"])

    def test_a_role_of_blanks_is_no_role(self):
        agreement = self.draft()
        agreement.parties.filter(organization=self.enterprise).update(role="   ")
        self.assertEqual(self.send_api(self.bob, agreement).status_code, 400)

    def test_a_complete_draft_is_sent(self):
        agreement = self.draft()
        response = self.send_api(self.bob, agreement)
        self.assertEqual(response.json()["status"], AgreementStatus.NEGOTIATING)

    def test_the_service_says_the_same(self):
        from django.core.exceptions import ValidationError

        agreement = self.draft(clauses=0, roles=False)
        with self.assertRaises(ValidationError) as raised:
            services.agreement_send(actor=self.alice, agreement=agreement)
        self.assertEqual(sorted(raised.exception.message_dict), ["clauses", "parties"])

    def test_the_page_says_what_is_missing_before_and_after_pressing_send(self):
        agreement = self.draft(clauses=0, roles=False)
        self.client.force_login(self.bob)
        page = self.client.get(agreement.get_absolute_url())
        self.assertContains(page, 'data-testid="send-missing"')
        self.assertContains(page, "Add at least one right or responsibility before sending.")
        response = self.client.post(reverse("agreement-send", args=[agreement.pk]), follow=True)
        texts = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertEqual(len(texts), 2, texts)
        self.assertTrue(any("Huaxin" in text for text in texts))
        agreement.refresh_from_db()
        self.assertEqual(agreement.status, AgreementStatus.DRAFT)

    def test_a_ready_draft_shows_no_checklist(self):
        self.client.force_login(self.bob)
        page = self.client.get(self.draft().get_absolute_url())
        self.assertNotContains(page, 'data-testid="send-missing"')


class TestPartyRoles(SendingCase):
    def role_url(self, party):
        return reverse("agreement-party-role", args=[party.pk])

    def test_a_party_without_a_role_gets_one_on_the_page_and_then_it_can_be_sent(self):
        agreement = self.draft(roles=False)
        party = agreement.parties.get(organization=self.enterprise)
        self.client.force_login(self.bob)
        page = self.client.get(agreement.get_absolute_url())
        self.assertContains(page, f'action="{self.role_url(party)}"')
        response = self.client.post(self.role_url(party), {"role": " Host enterprise "})
        self.assertRedirects(response, agreement.get_absolute_url(), fetch_redirect_response=False)
        party.refresh_from_db()
        self.assertEqual(party.role, "Host enterprise")
        self.assertEqual(self.send_api(self.bob, agreement).status_code, 200)

    def test_while_negotiating_a_new_role_clears_the_signatures(self):
        agreement = self.draft(status=AgreementStatus.NEGOTIATING)
        party = agreement.parties.get(organization=self.enterprise)
        self.client.force_login(self.bob)
        self.client.post(self.role_url(party), {"role": "Employer"})
        party.refresh_from_db()
        self.assertEqual(party.role, "Employer")
        self.assertFalse(agreement.parties.filter(signed_at__isnull=False).exists())

    def test_an_empty_or_long_role_is_a_message_and_changes_nothing(self):
        agreement = self.draft()
        party = agreement.parties.get(organization=self.enterprise)
        self.client.force_login(self.bob)
        for role in ("", "   ", "x" * 101):
            with self.subTest(role=role[:5]):
                response = self.client.post(self.role_url(party), {"role": role}, follow=True)
                self.assertTrue(list(get_messages(response.wsgi_request)))
                self.assertEqual(AgreementParty.objects.get(pk=party.pk).role, "Party B")

    def test_frozen_terms_keep_their_roles(self):
        agreement = self.draft(status=AgreementStatus.ACTIVE)
        party = agreement.parties.get(organization=self.enterprise)
        self.client.force_login(self.alice)
        response = self.client.post(self.role_url(party), {"role": "Employer"}, follow=True)
        self.assertContains(response, "are frozen")
        self.api.force_authenticate(self.alice)
        response = self.api.post(
            reverse("api:agreement-party-role", args=[agreement.pk]),
            {"organization": self.enterprise.pk, "role": "Employer"},
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(AgreementParty.objects.get(pk=party.pk).role, "Party B")

    def test_the_page_permission_matrix(self):
        agreement = self.draft()
        party = agreement.parties.get(organization=self.enterprise)
        url = self.role_url(party)
        response = self.client.post(url, {"role": "Employer"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        for user, status in ((self.charlie, 404), (self.victor, 403), (self.olivia, 403)):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.post(url, {"role": "Employer"}).status_code, status)
        self.assertEqual(AgreementParty.objects.get(pk=party.pk).role, "Party B")
        self.client.force_login(self.hua)  # the party's own admin
        self.client.post(url, {"role": "Employer"})
        self.assertEqual(AgreementParty.objects.get(pk=party.pk).role, "Employer")

    def test_the_api_permission_matrix_and_answer(self):
        agreement = self.draft(roles=False)
        url = reverse("api:agreement-party-role", args=[agreement.pk])
        data = {"organization": self.enterprise.pk, "role": "Host enterprise"}
        self.assertEqual(self.api.post(url, data).status_code, 401)
        for user, status in ((self.charlie, 404), (self.victor, 403), (self.olivia, 403)):
            with self.subTest(user=user.username):
                self.api.force_authenticate(user)
                self.assertEqual(self.api.post(url, data).status_code, status)
        self.api.force_authenticate(self.bob)
        body = self.api.post(url, data).json()
        roles = {p["organization"]: p["role"] for p in body["parties"]}
        self.assertEqual(roles[self.enterprise.pk], "Host enterprise")
        self.assertIn("send", body["actions"])

    def test_the_api_names_bad_input_by_field(self):
        agreement = self.draft()
        url = reverse("api:agreement-party-role", args=[agreement.pk])
        self.api.force_authenticate(self.bob)
        cases = [
            ({"organization": self.bureau.pk, "role": "Supervisor"}, "organization"),
            ({"organization": "abc", "role": "Supervisor"}, "organization"),
            ({"organization": self.enterprise.pk, "role": ""}, "role"),
            ({"organization": self.enterprise.pk, "role": "x" * 101}, "role"),
            ({"role": "Supervisor"}, "organization"),
        ]
        for data, field in cases:
            with self.subTest(data=data):
                response = self.api.post(url, data)
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(field, response.json())

    def test_a_clause_kept_its_party(self):
        agreement = self.draft(roles=False)
        party = agreement.parties.get(organization=self.enterprise)
        services.party_set_role(actor=self.bob, party=party, role="Employer")
        self.assertEqual(Clause.objects.filter(party=party).count(), 1)
