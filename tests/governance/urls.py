"""The project's URLs plus stand-ins for governance's page names, which the services'
notifications link to, until governance has its pages (see conftest.py: used only
while the project's own URLs lack them)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def stand_in(request, pk):  # pragma: no cover - never requested
    return HttpResponse()


def _missing(name: str) -> bool:
    from django.urls import NoReverseMatch, get_resolver

    try:
        get_resolver("config.urls").reverse(name, pk=1)
    except NoReverseMatch:
        return True
    return False


urlpatterns = [
    *project_urlpatterns,
    *(
        path(f"governance-stand-in/{name}/<int:pk>/", stand_in, name=name)
        for name in (
            "articles-detail",
            "article-version-detail",
            "board-detail",
            "meeting-detail",
            "resolution-detail",
        )
        if _missing(name)
    ),
]
