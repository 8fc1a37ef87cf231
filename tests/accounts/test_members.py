"""Inviting people, changing roles and deactivating members."""

import re
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import Invitation, Membership, Role, User
from tests.people import People


class TestInvitations(People, TestCase):
    def invite(self, email="dana@example.org", role=Role.STAFF):
        self.client.force_login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("invitation-create", args=[self.college.pk]), {"email": email, "role": role}
            )
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        return re.search(r"/invitations/([\w-]+)/", mail.outbox[-1].body).group(1)

    def test_an_invitation_is_made_even_while_the_broker_is_away(self):
        from accounts.tasks import send_invitation_email

        self.client.force_login(self.alice)
        with (
            mock.patch.object(send_invitation_email, "delay", side_effect=ConnectionError),
            self.captureOnCommitCallbacks(execute=True),
        ):
            response = self.client.post(
                reverse("invitation-create", args=[self.college.pk]),
                {"email": "dana@example.org", "role": Role.STAFF},
            )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Invitation.objects.filter(email="dana@example.org").exists())

    def test_an_admin_invites_and_the_person_sets_a_password_and_signs_in(self):
        token = self.invite()
        self.assertEqual(mail.outbox[-1].to, ["dana@example.org"])
        self.assertIn("Riverside College", mail.outbox[-1].subject)
        url = reverse("invitation-accept", args=[token])
        self.assertContains(self.client.get(url), "Join Riverside College")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                url,
                {
                    "username": "dana",
                    "password1": "a-long-pass-2026",
                    "password2": "a-long-pass-2026",
                },
            )
        self.assertEqual(response.status_code, 302)
        dana = User.objects.get(username="dana")
        self.assertEqual(dana.email, "dana@example.org")
        self.assertEqual(Membership.objects.get(user=dana).role, Role.STAFF)
        response = self.client.post(
            reverse("login"), {"username": "dana", "password": "a-long-pass-2026"}
        )
        self.assertRedirects(response, reverse("home"))
        self.assertTrue(self.alice.notifications.filter(title__contains="accepted").exists())

    def test_after_accepting_the_sign_in_page_is_given_the_username_encoded(self):
        token = self.invite()
        response = self.client.post(
            reverse("invitation-accept", args=[token]),
            {
                "username": "dana+ops",
                "password1": "a-long-pass-2026",
                "password2": "a-long-pass-2026",
            },
        )
        self.assertEqual(response["Location"], reverse("login") + "?username=dana%2Bops")
        self.assertContains(self.client.get(response["Location"]), 'value="dana+ops"')

    def test_the_link_works_once(self):
        token = self.invite()
        url = reverse("invitation-accept", args=[token])
        data = {
            "username": "dana",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
        }
        self.client.post(url, data)
        self.assertEqual(self.client.get(url).status_code, 410)
        self.assertEqual(self.client.post(url, {**data, "username": "eve"}).status_code, 410)
        self.assertFalse(User.objects.filter(username="eve").exists())

    def test_an_expired_link_does_not_work(self):
        token = self.invite()
        Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
        self.assertEqual(
            self.client.get(reverse("invitation-accept", args=[token])).status_code, 410
        )

    def test_only_the_token_hash_is_stored(self):
        token = self.invite()
        invitation = Invitation.objects.get()
        self.assertNotEqual(invitation.token_hash, token)
        self.assertNotIn(token, str(Invitation.history.values_list()))

    def test_a_weak_password_is_refused_next_to_the_field(self):
        token = self.invite()
        response = self.client.post(
            reverse("invitation-accept", args=[token]),
            {"username": "dana", "password1": "123", "password2": "123"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "id_password1_errors", status_code=400)
        self.assertFalse(User.objects.filter(username="dana").exists())

    def test_staff_and_other_organizations_cannot_invite(self):
        url = reverse("invitation-create", args=[self.college.pk])
        self.client.force_login(self.bob)
        self.assertEqual(
            self.client.post(url, {"email": "x@example.org", "role": "staff"}).status_code, 403
        )
        self.client.force_login(self.charlie)
        self.assertEqual(
            self.client.post(url, {"email": "x@example.org", "role": "staff"}).status_code, 404
        )
        self.assertFalse(Invitation.objects.exists())

    def test_a_bad_email_is_shown_next_to_the_field(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("invitation-create", args=[self.college.pk]),
            {"email": "not-an-email", "role": "staff"},
        )
        self.assertContains(response, "id_email_errors", status_code=400)


class TestRolesAndDeactivation(People, TestCase):
    def membership(self, user):
        return Membership.objects.get(user=user, organization=self.college)

    def test_an_admin_changes_a_role(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("membership-role", args=[self.membership(self.bob).pk]),
            {"role": "viewer"},
            follow=True,
        )
        self.assertEqual(self.membership(self.bob).role, Role.VIEWER)
        self.assertContains(response, "is now Viewer")

    def test_the_last_admin_cannot_step_down_or_be_deactivated(self):
        self.client.force_login(self.alice)
        mine = self.membership(self.alice)
        response = self.client.post(
            reverse("membership-role", args=[mine.pk]), {"role": "staff"}, follow=True
        )
        self.assertContains(response, "last admin")
        self.client.post(reverse("membership-deactivate", args=[mine.pk]))
        mine.refresh_from_db()
        self.assertEqual((mine.role, mine.is_active), (Role.ADMIN, True))

    def test_deactivation_ends_sessions_and_tokens_at_once(self):
        _token, key = services.api_token_create(user=self.bob, name="sync", days=30)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        self.assertEqual(api.get(reverse("api:me")).status_code, 200)
        bob_browser = self.client_class()
        bob_browser.force_login(self.bob)
        self.assertEqual(bob_browser.get(reverse("home")).status_code, 200)

        self.client.force_login(self.alice)
        self.client.post(reverse("membership-deactivate", args=[self.membership(self.bob).pk]))

        self.assertEqual(bob_browser.get(reverse("home")).status_code, 302)
        self.assertEqual(api.get(reverse("api:me")).status_code, 401)
        self.bob.refresh_from_db()
        self.assertFalse(self.bob.is_active)

    def test_a_person_in_another_organization_keeps_that_access(self):
        from tests.factories import MembershipFactory

        MembershipFactory(user=self.bob, organization=self.other_college, role=Role.STAFF)
        self.client.force_login(self.alice)
        self.client.post(reverse("membership-deactivate", args=[self.membership(self.bob).pk]))
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.is_active)
        self.client.force_login(self.bob)
        # Only the public profile is left to him: the members tab is not.
        url = reverse("organization-detail", args=[self.college.pk])
        self.assertEqual(self.client.get(url + "?tab=members").status_code, 404)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_reactivation_restores_access(self):
        membership = self.membership(self.bob)
        services.membership_deactivate(actor=self.alice, membership=membership)
        self.client.force_login(self.alice)
        self.client.post(reverse("membership-reactivate", args=[membership.pk]))
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.is_active)
        self.assertTrue(self.membership(self.bob).is_active)

    def test_history_records_who_changed_a_role(self):
        self.client.force_login(self.alice)
        self.client.post(
            reverse("membership-role", args=[self.membership(self.bob).pk]), {"role": "viewer"}
        )
        record = self.membership(self.bob).history.first()
        self.assertEqual(record.history_user, self.alice)


class TestAddingMembers(People, TestCase):
    def add(self, actor, username, organization=None):
        api = APIClient()
        api.force_authenticate(actor)
        return api.post(
            reverse("api:membership-list"),
            {
                "user": username,
                "organization": (organization or self.college).pk,
                "role": Role.STAFF,
            },
        )

    def test_an_outsider_gets_the_same_answer_whether_or_not_the_username_exists(self):
        known = self.add(self.charlie, "olivia")
        unknown = self.add(self.charlie, "nobody-by-this-name")
        self.assertEqual(known.status_code, 403)
        self.assertEqual((unknown.status_code, unknown.json()), (known.status_code, known.json()))
        self.assertFalse(Membership.objects.filter(user=self.olivia, organization=self.college))

    def test_an_admin_adding_an_unknown_username_gets_a_field_error(self):
        response = self.add(self.alice, "nobody-by-this-name")
        self.assertEqual(response.status_code, 400)
        self.assertIn("user", response.json())

    def test_an_admin_adds_a_person_by_username(self):
        response = self.add(self.alice, "olivia")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["user"], "olivia")
        self.assertTrue(Membership.objects.get(user=self.olivia, organization=self.college))

    def test_adding_a_member_twice_is_a_field_error(self):
        response = self.add(self.alice, "bob")
        self.assertEqual(response.status_code, 400)
        self.assertIn("user", response.json())

    def test_a_membership_made_at_the_same_moment_elsewhere_is_a_field_error(self):
        # As if another writer inserted bob's membership between our look and our insert:
        # the unique constraint refuses ours, and the caller is told, not given a 500.
        with mock.patch.object(services, "_lock_existing_membership", return_value=None):
            response = self.add(self.alice, "bob")
        self.assertEqual(response.status_code, 400)
        self.assertIn("user", response.json())
        self.assertEqual(Membership.objects.filter(user=self.bob).count(), 1)

    def test_a_token_stays_revoked_when_its_person_is_given_access_again(self):
        token, key = services.api_token_create(user=self.bob, name="sync", days=30)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        services.membership_deactivate(
            actor=self.alice, membership=Membership.objects.get(user=self.bob)
        )
        self.assertEqual(api.get(reverse("api:me")).status_code, 401)
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)

        self.assertEqual(self.add(self.charlie, "bob", self.other_college).status_code, 201)
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.is_active)
        self.assertEqual(api.get(reverse("api:me")).status_code, 401)
        _fresh, fresh_key = services.api_token_create(user=self.bob, name="new", days=30)
        api.credentials(HTTP_AUTHORIZATION=f"Token {fresh_key}")
        self.assertEqual(api.get(reverse("api:me")).status_code, 200)

    def test_reactivating_a_membership_does_not_revive_tokens(self):
        _token, key = services.api_token_create(user=self.bob, name="sync", days=30)
        membership = Membership.objects.get(user=self.bob)
        services.membership_deactivate(actor=self.alice, membership=membership)
        services.membership_reactivate(actor=self.alice, membership=membership)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        self.assertEqual(api.get(reverse("api:me")).status_code, 401)

    def test_a_browser_session_stays_ended_when_its_person_is_given_access_again(self):
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reverse("profile")).status_code, 200)
        membership = Membership.objects.get(user=self.bob)
        services.membership_deactivate(actor=self.alice, membership=membership)
        services.membership_reactivate(actor=self.alice, membership=membership)
        response = self.client.get(reverse("profile"))
        self.assertRedirects(response, f"{reverse('login')}?next={reverse('profile')}")
        # Signing in again works as ever.
        self.bob.refresh_from_db()
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reverse("profile")).status_code, 200)

    def test_deactivating_a_person_in_the_admin_site_revokes_their_tokens(self):
        from django.contrib import admin

        token, _key = services.api_token_create(user=self.bob, name="sync", days=30)
        self.bob.is_active = False
        admin.site._registry[User].save_model(
            request=SimpleNamespace(user=self.alice),
            obj=self.bob,
            form=SimpleNamespace(changed_data=["is_active"]),
            change=True,
        )
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)
