import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from portal.middleware import SESSION_STARTED_KEY


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    """Start the 12-hour limit and apply the user's saved language at login."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = int(time.time())
        if user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
