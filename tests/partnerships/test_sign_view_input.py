"""The sign button's ``organization`` comes from the browser: whatever it holds, the page
answers with a message, never a server error, and nothing is signed by mistake."""

from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse

from partnerships.models import AgreementStatus
from tests.factories import make_agreement
from tests.people import People

NOT_A_PARTY = "Choose one of the agreement's parties to sign for."


class TestSignViewInput(People, TestCase):
    def setUp(self):
        self.agreement = make_agreement(
            self.college, self.other_college, status=AgreementStatus.NEGOTIATING
        )
        self.client.force_login(self.alice)

    def sign(self, organization):
        """Post, and follow back to the agreement's page, which shows (and so uses up)
        the messages."""
        return self.client.post(
            reverse("agreement-sign", args=[self.agreement.pk]),
            {"organization": organization, "place": "Hangzhou"},
            follow=True,
        )

    def messages(self, response) -> list[str]:
        return [str(message) for message in get_messages(response.wsgi_request)]

    def test_a_non_integer_or_unknown_organization_is_a_message_not_an_error(self):
        for value in ("abc", "1.5", "-1", "0", "²", " ", "999999", "99999999999999999999999"):
            with self.subTest(organization=value):
                response = self.sign(value)
                self.assertRedirects(response, self.agreement.get_absolute_url())
                self.assertEqual(self.messages(response), [NOT_A_PARTY])
        self.assertFalse(self.agreement.parties.filter(signed_at__isnull=False).exists())

    def test_an_organization_that_is_not_a_party_is_a_message(self):
        response = self.sign(self.bureau.pk)
        self.assertRedirects(response, self.agreement.get_absolute_url())
        self.assertEqual(self.messages(response), [NOT_A_PARTY])
        self.assertFalse(self.agreement.parties.filter(signed_at__isnull=False).exists())

    def test_signing_for_another_party_is_still_forbidden(self):
        self.assertEqual(self.sign(self.other_college.pk).status_code, 403)

    def test_signing_for_ones_own_party_still_works(self):
        response = self.sign(self.college.pk)
        self.assertEqual(self.messages(response), ["Signed. Waiting for the other parties."])
        self.assertTrue(self.agreement.parties.get(organization=self.college).has_signed)
