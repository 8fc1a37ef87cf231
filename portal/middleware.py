import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

SESSION_STARTED_KEY = "portal_session_started"


class HealthCheckMiddleware:
    """Answers /healthz before host validation and the HTTPS redirect, so that a load
    balancer can ask any instance by its internal address over plain HTTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            from portal.views import healthz

            return healthz(request)
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """Ends a browser session 12 hours after login, however active it has been.

    The 30-minute idle limit is Django's own (SESSION_COOKIE_AGE renewed on each request);
    this caps the total so a session left open on a shared campus computer cannot live on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            started = request.session.get(SESSION_STARTED_KEY)
            now = int(time.time())
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                if not request.path.startswith("/api/"):
                    return redirect_to_login(request.get_full_path())
        return self.get_response(request)
