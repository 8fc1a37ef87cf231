"""How django-axes answers a locked-out sign-in, and which username it records
(``AXES_LOCKOUT_CALLABLE`` and ``AXES_USERNAME_CALLABLE`` in settings)."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.errors import is_api_request

from .models import USERNAME_MAX_LENGTH


def lockout_detail() -> str:
    return _("Too many failed sign-ins for this account; try again later.")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """429 for a locked-out username: ``{"detail": ...}`` on the API, where campus
    systems read JSON; the lockout page everywhere else."""
    cool_off = get_cool_off(request)
    if is_api_request(request):
        response = JsonResponse({"detail": lockout_detail()}, status=429)
    else:
        response = render(
            request,
            settings.AXES_LOCKOUT_TEMPLATE,
            {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_timedelta": cool_off},
            status=429,
        )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def axes_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The username axes counts failures for and writes to its log.

    The sign-in form and the token endpoint refuse over-long usernames before they
    authenticate; this cut covers any other way in (the admin's sign-in form): axes' log
    column is shorter than what a client may send, and PostgreSQL refuses the insert
    rather than truncate. No username is longer than the cut, so real accounts are
    counted exactly as before.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = (getattr(request, "data", None) or request.POST).get(field)
    if isinstance(username, str):
        return username[:USERNAME_MAX_LENGTH]
    return username
