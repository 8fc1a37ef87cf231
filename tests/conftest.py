import tempfile

import pytest


def pytest_configure(config):
    """Settings for the whole run, before any test class builds its data: fast password
    hashing, attachments in a temporary folder, email kept in memory."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-files-")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """No throttle counts or lockouts carried from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in English: a request in Chinese leaves its language active in
    the thread (LocaleMiddleware activates it and nothing resets it)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
