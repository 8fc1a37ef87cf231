"""API tokens: made on the profile page or by POST /api/v1/auth/token/, shown once,
stored hashed, expiring, revocable, with the time they were last used."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken, hash_secret
from tests.factories import PASSWORD
from tests.people import People


class TestApiTokens(People, TestCase):
    def api(self, key=None):
        client = APIClient()
        if key:
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    def test_the_profile_page_shows_a_new_token_once_and_stores_its_hash(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("token-create"), {"name": "Student records sync", "days": 30}, follow=True
        )
        key = response.context["new_key"]
        self.assertContains(response, key)
        token = ApiToken.objects.get(user=self.alice)
        self.assertEqual(token.key_hash, hash_secret(key))
        self.assertNotContains(self.client.get(reverse("profile")), key)
        self.assertAlmostEqual(
            token.expires_at, timezone.now() + timedelta(days=30), delta=timedelta(minutes=1)
        )

    def test_a_token_acts_as_its_user_and_records_last_use(self):
        token, key = services.api_token_create(user=self.alice, name="sync", days=30)
        response = self.api(key).get(reverse("api:me"))
        self.assertEqual(response.json()["username"], "alice")
        token.refresh_from_db()
        self.assertIsNotNone(token.last_used_at)

    def test_expired_and_revoked_tokens_answer_401(self):
        token, key = services.api_token_create(user=self.alice, name="sync", days=30)
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        self.assertEqual(self.api(key).get(reverse("api:me")).status_code, 401)
        token, key = services.api_token_create(user=self.alice, name="sync2", days=0)
        self.assertIsNone(token.expires_at)
        self.client.force_login(self.alice)
        self.client.post(reverse("token-revoke", args=[token.pk]))
        self.assertEqual(self.api(key).get(reverse("api:me")).status_code, 401)

    def test_nobody_revokes_another_persons_token(self):
        token, key = services.api_token_create(user=self.alice, name="sync", days=30)
        self.client.force_login(self.bob)
        self.assertEqual(
            self.client.post(reverse("token-revoke", args=[token.pk])).status_code, 404
        )
        self.assertEqual(self.api(key).get(reverse("api:me")).status_code, 200)

    def test_the_api_lists_and_revokes_only_my_tokens(self):
        mine, key = services.api_token_create(user=self.alice, name="mine", days=30)
        services.api_token_create(user=self.bob, name="bobs", days=30)
        client = self.api(key)
        names = [row["name"] for row in client.get(reverse("api:api-token-list")).json()["results"]]
        self.assertEqual(names, ["mine"])
        self.assertEqual(
            client.delete(reverse("api:api-token-detail", args=[mine.pk])).status_code, 204
        )
        self.assertEqual(client.get(reverse("api:me")).status_code, 401)

    def test_the_token_endpoint_exchanges_a_password_for_a_token(self):
        response = self.api().post(
            reverse("api:token-obtain"), {"username": "alice", "password": PASSWORD, "name": "sync"}
        )
        self.assertEqual(response.status_code, 201)
        key = response.json()["token"]
        self.assertEqual(self.api(key).get(reverse("api:me")).json()["username"], "alice")

    def test_the_token_endpoint_refuses_a_wrong_password_with_401(self):
        response = self.api().post(
            reverse("api:token-obtain"), {"username": "alice", "password": "nope"}
        )
        self.assertEqual(response.status_code, 401)
        self.assertIn("detail", response.json())

    def test_the_token_endpoint_gives_field_errors(self):
        response = self.api().post(reverse("api:token-obtain"), {"username": "alice"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("password", response.json())

    def test_a_deactivated_user_cannot_get_a_token(self):
        self.alice.is_active = False
        self.alice.save()
        response = self.api().post(
            reverse("api:token-obtain"), {"username": "alice", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 401)
