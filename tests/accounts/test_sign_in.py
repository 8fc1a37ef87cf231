"""Signing in with values no account could have, and how a locked-out username is told.

An over-long username used to reach django-axes, whose log column is shorter: on
PostgreSQL the insert failed and the caller got a 500.
"""

from axes.models import AccessAttempt
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import PASSWORD_MAX_LENGTH
from tests.factories import PASSWORD, UserFactory
from tests.people import People

LONG_USERNAME = "a" * 300
LONG_PASSWORD = "p" * (PASSWORD_MAX_LENGTH + 1)


class TestOverLongCredentials(People, TestCase):
    def obtain_token(self, username, password):
        return APIClient().post(
            reverse("api:token-obtain"), {"username": username, "password": password}
        )

    def sign_in(self, username, password):
        return self.client.post(reverse("login"), {"username": username, "password": password})

    def test_the_token_endpoint_refuses_an_over_long_username_with_a_field_error(self):
        response = self.obtain_token(LONG_USERNAME, "wrong")
        self.assertEqual(response.status_code, 400)
        self.assertIn("username", response.json())
        self.assertFalse(AccessAttempt.objects.exists())  # refused before authenticating

    def test_the_token_endpoint_refuses_an_over_long_password_with_a_field_error(self):
        response = self.obtain_token("alice", LONG_PASSWORD)
        self.assertEqual(response.status_code, 400)
        self.assertIn("password", response.json())
        self.assertFalse(AccessAttempt.objects.exists())

    def test_the_longest_allowed_password_is_still_checked(self):
        response = self.obtain_token("alice", "p" * PASSWORD_MAX_LENGTH)
        self.assertEqual(response.status_code, 401)

    def test_the_sign_in_page_shows_an_over_long_username_next_to_the_field(self):
        response = self.sign_in(LONG_USERNAME, "wrong")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="id_username_errors"')
        self.assertFalse(AccessAttempt.objects.exists())

    def test_the_sign_in_page_shows_an_over_long_password_next_to_the_field(self):
        response = self.sign_in("alice", LONG_PASSWORD)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="id_password_errors"')
        self.assertFalse(AccessAttempt.objects.exists())

    def test_the_sign_in_page_still_signs_people_in(self):
        self.assertRedirects(self.sign_in("alice", PASSWORD), reverse("home"))

    def test_the_admin_sign_in_logs_an_over_long_username_cut_to_size(self):
        response = self.client.post(
            reverse("admin:login"), {"username": LONG_USERNAME, "password": "wrong"}
        )
        self.assertEqual(response.status_code, 200)
        attempt = AccessAttempt.objects.get()
        self.assertEqual(attempt.username, LONG_USERNAME[:150])

    def test_the_sign_in_page_fills_in_the_username_it_is_given(self):
        UserFactory(username="dana+ops")
        response = self.client.get(reverse("login"), {"username": "dana+ops"})
        self.assertContains(response, 'value="dana+ops"')


class TestLockoutAnswers(People, TestCase):
    def fail_five_times(self, client, url):
        for _ in range(5):
            client.post(url, {"username": "alice", "password": "wrong"})

    def test_the_token_endpoint_answers_a_lockout_with_json(self):
        api = APIClient()
        url = reverse("api:token-obtain")
        self.fail_five_times(api, url)
        response = api.post(url, {"username": "alice", "password": PASSWORD})
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(
            response.json(),
            {"detail": "Too many failed sign-ins for this account; try again later."},
        )
        self.assertEqual(response["Retry-After"], "900")

    def test_the_sign_in_page_answers_a_lockout_with_the_lockout_page(self):
        self.fail_five_times(self.client, reverse("login"))
        response = self.client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
        self.assertEqual(response.status_code, 429)
        self.assertTemplateUsed(response, "accounts/locked_out.html")
        self.assertContains(response, "Too many failed sign-ins", status_code=429)
