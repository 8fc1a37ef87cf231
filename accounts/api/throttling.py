"""The throttle on ``POST /api/v1/auth/token/``, counted per client address in the shared
cache (Redis in production), so every web process enforces one limit together."""

from __future__ import annotations

import ipaddress
import logging

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.client_address import client_address

logger = logging.getLogger(__name__)


class ThrottleUnavailable(APIException):
    """The cache that keeps the counts did not answer."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("Signing in through the API is unavailable for a moment; try again soon.")
    default_code = "throttle_unavailable"
    wait = 30  # sent as Retry-After


def client_bucket(request) -> str:
    """What the count is kept for: the client's address, or its /64 network for IPv6,
    since one IPv6 subscriber usually holds a whole /64 and could rotate through it."""
    address = client_address(request)
    if address is None:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


class TokenObtainThrottle(SimpleRateThrottle):
    """At most ``DEFAULT_THROTTLE_RATES["token"]`` requests per client address, whatever
    usernames they try, so one client cannot spray a password across many accounts
    (django-axes separately locks each username after repeated failures).

    DRF's rate parsing, with a fixed window counted by the cache's atomic ``add`` and
    ``incr`` in place of its history: DRF reads a list, appends and writes it back, so
    simultaneous requests on several workers each see the old count and all get through;
    and its client identity believes any ``X-Forwarded-For``.

    If the cache does not answer, the request is refused (503 with Retry-After) rather
    than let through uncounted: this endpoint is where passwords are guessed, campus
    systems call it rarely (tokens last months), and tokens already issued keep working.
    """

    scope = "token"

    def get_rate(self) -> str | None:
        # Read when the throttle is made, not when DRF's module was imported, so a
        # changed setting takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        limit, duration = self.num_requests, self.duration
        key = f"throttle:{self.scope}:{client_bucket(request)}"
        try:
            # add() starts the window only if none is running; incr() is atomic in Redis
            # and keeps the window's expiry.
            cache.add(key, 0, timeout=duration)
            try:
                count = cache.incr(key)
            except ValueError:  # the window ended between the two calls
                cache.set(key, 1, timeout=duration)
                count = 1
        except Exception as error:  # any cache failure: refuse, and say so in the log
            logger.warning(
                "Token endpoint throttle cannot reach the cache (%s: %s); refusing the request.",
                error.__class__.__name__,
                error,
            )
            raise ThrottleUnavailable from error
        self.retry_after = duration
        return count <= limit

    def wait(self) -> float | None:
        return getattr(self, "retry_after", None)
