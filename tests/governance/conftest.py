import pytest
from django.urls import NoReverseMatch, reverse


@pytest.fixture(autouse=True)
def _governance_page_names(settings):
    """Notifications link to governance's pages; until they exist, stand-in URLs give
    the names (tests/governance/urls.py). Once the pages are in, this does nothing."""
    try:
        reverse("board-detail", args=[1])
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.governance.urls"
