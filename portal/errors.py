"""Error pages, and JSON errors for the API: a client of ``/api/`` gets ``{"detail": ...}``
whatever failed, even outside DRF (a body Django refused, an unknown path, a crash)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    if _is_api(request) and isinstance(exception, RequestDataTooBig):
        return JsonResponse(
            {
                "detail": _("The request body is larger than %(size)d bytes.")
                % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
            },
            status=413,
        )
    if _is_api(request):
        return JsonResponse({"detail": _("The request could not be read.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("You do not have permission to do this.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side; please try again later.")},
            status=500,
        )
    return defaults.server_error(request)
