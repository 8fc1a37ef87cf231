"""Sign-in lockout, session limits, and settings that refuse to start unsafely."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from portal.middleware import SESSION_STARTED_KEY
from tests.factories import PASSWORD
from tests.people import People

ROOT = Path(__file__).resolve().parents[2]


class TestLockout(People, TestCase):
    def sign_in(self, password):
        return self.client.post(reverse("login"), {"username": "alice", "password": password})

    def test_five_wrong_passwords_lock_the_username_for_fifteen_minutes(self):
        for _ in range(4):
            self.assertEqual(self.sign_in("wrong").status_code, 200)
        locked = self.sign_in("wrong")
        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, "15 minutes", status_code=429)
        # Even the right password is refused while locked.
        self.assertEqual(self.sign_in(PASSWORD).status_code, 429)
        self.assertEqual(settings.AXES_COOLOFF_TIME.total_seconds(), 15 * 60)

    def test_the_lockout_is_per_username(self):
        for _ in range(5):
            self.sign_in("wrong")
        response = self.client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
        self.assertRedirects(response, reverse("home"))

    def test_the_token_endpoint_shares_the_lockout(self):
        api = APIClient()
        for _ in range(5):
            api.post(reverse("api:token-obtain"), {"username": "alice", "password": "wrong"})
        response = api.post(
            reverse("api:token-obtain"), {"username": "alice", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 429)


class TestSessions(People, TestCase):
    def test_a_session_ends_after_thirty_idle_minutes(self):
        self.client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
        self.assertEqual(self.client.session.get_expiry_age(), 30 * 60)
        self.assertTrue(settings.SESSION_SAVE_EVERY_REQUEST)  # each request restarts the idle clock

    def test_a_session_ends_twelve_hours_after_sign_in_however_active(self):
        self.client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        session = self.client.session
        session[SESSION_STARTED_KEY] = int(time.time()) - 12 * 3600 - 1
        session.save()
        response = self.client.get(reverse("home"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        self.assertEqual(self.client.get(reverse("home")).status_code, 302)


def run_check(env_changes: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")}
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_settings_refuse_to_start_without_a_secret_key():
    result = run_check({"ALLOWED_HOSTS": "portal.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_settings_refuse_to_start_without_allowed_hosts_unless_debugging():
    result = run_check({"SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr
    assert run_check({"SECRET_KEY": "x" * 60, "DEBUG": "1"}).returncode == 0


def test_debug_is_off_unless_asked_for():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; "
            "django.setup(); print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DEBUG"},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "portal.example.org",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "False True", result.stderr
