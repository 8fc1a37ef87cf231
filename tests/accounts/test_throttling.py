"""The token endpoint's throttle: per client address, counted in the shared cache, with
X-Forwarded-For believed only from trusted proxies, and refusing (not failing) when the
cache is down. django-axes tells clients apart the same way."""

import socket
import time

from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.api.throttling import TokenObtainThrottle
from accounts.client_address import client_address
from tests.accounts.test_security import run_check
from tests.helpers.concurrency import run_concurrently
from tests.people import People


def token_rate(rate: str):
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": rate}}
    )


def address(remote: str, forwarded: str | None = None) -> str | None:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


class TestClientAddress(SimpleTestCase):
    def test_without_trusted_proxies_the_client_is_the_remote_address(self):
        self.assertEqual(address("198.51.100.4", "203.0.113.7"), "198.51.100.4")

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(self):
        self.assertEqual(address("198.51.100.4", "203.0.113.7"), "198.51.100.4")

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_behind_a_trusted_proxy_the_client_is_the_address_it_forwards(self):
        self.assertEqual(address("10.0.0.2", "203.0.113.7"), "203.0.113.7")

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_what_a_client_writes_before_the_proxys_entry_is_ignored(self):
        # The client sent "X-Forwarded-For: 192.0.2.1"; the proxy appended the real peer.
        self.assertEqual(address("10.0.0.2", "192.0.2.1, 203.0.113.7"), "203.0.113.7")

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "172.16.0.5"])
    def test_a_chain_of_trusted_proxies_is_followed_to_the_client(self):
        self.assertEqual(address("10.0.0.2", "203.0.113.7, 172.16.0.5"), "203.0.113.7")

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_garbage_stops_the_walk_at_the_last_trusted_proxy(self):
        self.assertEqual(address("10.0.0.2", "not-an-address"), "10.0.0.2")
        self.assertEqual(address("10.0.0.2", ""), "10.0.0.2")

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_ports_and_ipv6_brackets_are_understood(self):
        self.assertEqual(address("10.0.0.2", "203.0.113.7:51234"), "203.0.113.7")
        self.assertEqual(address("10.0.0.2", "[2001:db8::1]:443"), "2001:db8::1")

    def test_an_ipv4_client_on_an_ipv6_socket_counts_as_its_ipv4_address(self):
        self.assertEqual(address("::ffff:198.51.100.4"), "198.51.100.4")

    def test_no_remote_address_gives_none(self):
        self.assertIsNone(address(""))

    def test_settings_refuse_a_trusted_proxy_that_is_not_an_address(self):
        result = run_check({"SECRET_KEY": "x" * 60, "DEBUG": "1", "TRUSTED_PROXIES": "proxy.lan"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("TRUSTED_PROXIES", result.stderr)


class TestTokenThrottle(People, TestCase):
    def obtain(self, username="alice", remote="198.51.100.4", forwarded=None):
        meta = {"REMOTE_ADDR": remote}
        if forwarded:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        return APIClient().post(
            reverse("api:token-obtain"), {"username": username, "password": "wrong"}, **meta
        )

    @token_rate("3/minute")
    def test_the_token_endpoint_is_throttled(self):
        codes = [self.obtain().status_code for _ in range(4)]
        self.assertEqual(codes, [401, 401, 401, 429])
        response = self.obtain()
        self.assertIn("detail", response.json())
        self.assertEqual(response["Retry-After"], "60")

    @token_rate("3/minute")
    def test_spraying_many_usernames_with_forged_forwarded_addresses_is_one_client(self):
        codes = [
            self.obtain(username=f"user{n}", forwarded=f"203.0.113.{n}").status_code
            for n in range(4)
        ]
        self.assertEqual(codes, [401, 401, 401, 429])

    @token_rate("3/minute")
    def test_another_client_has_its_own_count(self):
        for _ in range(3):
            self.obtain()
        self.assertEqual(self.obtain(remote="198.51.100.5").status_code, 401)

    @token_rate("3/minute")
    def test_an_ipv6_client_cannot_escape_by_rotating_through_its_network(self):
        codes = [self.obtain(remote=f"2001:db8:1:2::{n}").status_code for n in range(1, 5)]
        self.assertEqual(codes, [401, 401, 401, 429])

    @token_rate("3/minute")
    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_behind_a_trusted_proxy_each_forwarded_client_is_counted_on_its_own(self):
        for _ in range(3):
            self.obtain(remote="10.0.0.2", forwarded="203.0.113.7")
        self.assertEqual(self.obtain(remote="10.0.0.2", forwarded="203.0.113.7").status_code, 429)
        self.assertEqual(self.obtain(remote="10.0.0.2", forwarded="203.0.113.8").status_code, 401)

    @token_rate("5/minute")
    def test_simultaneous_requests_from_one_client_get_exactly_the_rate(self):
        request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.9")
        throttle = TokenObtainThrottle()
        results = run_concurrently(
            *[lambda: throttle.allow_request(request, None) for _ in range(20)]
        )
        self.assertEqual(results.count(True), 5, results)

    @token_rate("3/minute")
    @override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            }
        }
    )
    def test_when_the_cache_is_down_it_refuses_quickly_with_503_and_logs_why(self):
        started = time.monotonic()
        with self.assertLogs("accounts.api.throttling", "WARNING") as logs:
            response = self.obtain()
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(response.status_code, 503)
        self.assertIn("detail", response.json())
        self.assertEqual(response["Retry-After"], "30")
        self.assertIn("cannot reach the cache", logs.output[0])
        self.assertFalse(AccessAttempt.objects.exists())  # refused before any password check

    @token_rate("3/minute")
    def test_when_the_cache_hangs_it_refuses_after_the_cache_timeout(self):
        # A Redis that accepts connections but never answers. Production sets the same
        # client timeouts from REDIS_TIMEOUT_SECONDS.
        with socket.socket() as frozen:
            frozen.bind(("127.0.0.1", 0))
            frozen.listen()
            port = frozen.getsockname()[1]
            cache_settings = {
                "default": {
                    "BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": f"redis://127.0.0.1:{port}/0",
                    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
                }
            }
            started = time.monotonic()
            with (
                override_settings(CACHES=cache_settings),
                self.assertLogs("accounts.api.throttling", "WARNING"),
            ):
                response = self.obtain()
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(response.status_code, 503)

    def test_axes_records_the_remote_address_not_a_forged_one(self):
        self.obtain(forwarded="203.0.113.7")
        self.assertEqual(AccessAttempt.objects.get().ip_address, "198.51.100.4")

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_axes_records_the_client_a_trusted_proxy_forwards(self):
        self.obtain(remote="10.0.0.2", forwarded="192.0.2.1, 203.0.113.7")
        self.assertEqual(AccessAttempt.objects.get().ip_address, "203.0.113.7")
