"""Error pages, and JSON errors for the API: a client of ``/api/`` gets ``{"detail": ...}``
whatever failed, even outside DRF (a body Django refused, an unknown path, a crash)."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from portal.parsers import body_too_large_message


def is_api_request(request) -> bool:
    """Whether the request is the API's (JSON answers), whatever the view."""
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    if is_api_request(request) and isinstance(exception, RequestDataTooBig):
        return JsonResponse({"detail": body_too_large_message()}, status=413)
    if is_api_request(request):
        return JsonResponse({"detail": _("The request could not be read.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api_request(request):
        return JsonResponse({"detail": _("You do not have permission to do this.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api_request(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api_request(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side; please try again later.")},
            status=500,
        )
    return defaults.server_error(request)
