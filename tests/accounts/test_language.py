"""The language saved on the profile applies at sign-in and is remembered when changed;
the API is not touched by it; an invitation is written in the invited person's language
when the portal knows it."""

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services
from accounts.models import Role, User
from tests.factories import PASSWORD, member
from tests.people import People

COOKIE = settings.LANGUAGE_COOKIE_NAME


class TestLanguageAtSignIn(People, TestCase):
    def sign_in(self, username: str):
        return self.client.post(reverse("login"), {"username": username, "password": PASSWORD})

    def set_language(self, user: User, language: str) -> None:
        User.objects.filter(pk=user.pk).update(language=language)

    def test_the_profile_language_applies_at_sign_in(self):
        self.set_language(self.alice, "zh-hans")
        response = self.sign_in("alice")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(response.cookies[COOKIE].value, "zh-hans")
        home = self.client.get(reverse("home"))
        self.assertContains(home, '<html lang="zh-hans">')
        self.assertContains(home, "等待您处理")

    def test_the_profile_wins_over_the_language_chosen_before_signing_in(self):
        self.client.post(reverse("set-language"), {"language": "zh-hans", "next": "/"})
        self.assertEqual(self.client.cookies[COOKIE].value, "zh-hans")
        self.sign_in("alice")  # alice reads English
        self.assertEqual(self.client.cookies[COOKIE].value, "en")
        self.assertContains(self.client.get(reverse("home")), "Waiting on you")
        self.assertEqual(User.objects.get(pk=self.alice.pk).language, "en")

    def test_a_failed_sign_in_sets_no_language(self):
        self.set_language(self.alice, "zh-hans")
        response = self.client.post(reverse("login"), {"username": "alice", "password": "no"})
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(COOKIE, response.cookies)

    def test_switching_language_signed_in_is_remembered_at_the_next_sign_in(self):
        self.sign_in("alice")
        self.client.post(reverse("set-language"), {"language": "zh-hans", "next": "/"})
        self.assertEqual(User.objects.get(pk=self.alice.pk).language, "zh-hans")
        self.client.post(reverse("logout"))
        self.client.cookies.pop(COOKIE, None)  # another browser, say
        self.sign_in("alice")
        self.assertContains(self.client.get(reverse("home")), "等待您处理")

    def test_switching_signed_out_or_to_an_unknown_language_saves_nothing(self):
        self.client.post(reverse("set-language"), {"language": "zh-hans", "next": "/"})
        self.assertEqual(User.objects.get(pk=self.alice.pk).language, "en")
        self.client.force_login(self.alice)
        self.client.post(reverse("set-language"), {"language": "fr", "next": "/"})
        self.assertEqual(User.objects.get(pk=self.alice.pk).language, "en")

    def test_the_profile_form_sets_the_language_too(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("profile"),
            {
                "first_name": "Alice",
                "last_name": "Li",
                "email": "alice@example.org",
                "language": "zh-hans",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response.cookies[COOKIE].value, "zh-hans")
        self.assertEqual(User.objects.get(pk=self.alice.pk).language, "zh-hans")

    def test_the_api_is_unaffected(self):
        self.set_language(self.alice, "zh-hans")
        api = APIClient()
        response = api.post(
            reverse("api:token-obtain"), {"username": "alice", "password": PASSWORD}
        )
        self.assertIn(response.status_code, (200, 201), response.content)
        self.assertNotIn(COOKIE, response.cookies)


class TestInvitationLanguage(People, TestCase):
    def invite(self, email: str):
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            services.invitation_create(
                actor=self.alice, organization=self.college, email=email, role=Role.STAFF
            )
        return mail.outbox[-1]

    def test_a_person_the_portal_knows_is_invited_in_their_own_language(self):
        known = member(self.other_college, Role.STAFF, "known-person")
        User.objects.filter(pk=known.pk).update(language="zh-hans")
        email = self.invite(known.email)
        self.assertIn("邀请", email.subject + email.body)

    def test_a_newcomer_is_invited_in_the_inviters_language(self):
        email = self.invite("newcomer@example.org")
        self.assertIn("invites you to join", email.body)
        User.objects.filter(pk=self.alice.pk).update(language="zh-hans")
        self.alice.refresh_from_db()
        email = self.invite("another@example.org")
        self.assertNotIn("invites you to join", email.body)
