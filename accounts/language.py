"""The language a person reads the portal in: saved on their profile, applied when they
sign in, and remembered when they change it with the language switcher.

The pages follow the language cookie (``LocaleMiddleware``); notifications and emails
follow the profile (``portal.notifications.notify``), so both are kept the same.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def known_language(code: str | None) -> str | None:
    """The code if the portal speaks it, else None."""
    return code if code in dict(settings.LANGUAGES) else None


def set_language_cookie(response, code: str) -> None:
    """The cookie ``LocaleMiddleware`` reads, set as Django's ``set_language`` sets it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def apply_profile_language(request, response, user) -> None:
    """At sign-in: the rest of this request and every page after it in the language
    saved on the person's profile."""
    code = known_language(getattr(user, "language", None))
    if code is None:
        return
    translation.activate(code)
    request.LANGUAGE_CODE = code
    set_language_cookie(response, code)
