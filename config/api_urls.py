"""All API routes under /api/v1/: each app lists its own in ``<app>/api/urls.py``."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api import urls as accounts_api
from associations.api import urls as associations_api
from discovery.api import urls as discovery_api
from funding.api import urls as funding_api
from governance.api import urls as governance_api
from internships.api import urls as internships_api
from partnerships.api import urls as partnerships_api
from portal.attachments_api import AttachmentViewSet

APPS = [
    accounts_api,
    partnerships_api,
    funding_api,
    internships_api,
    governance_api,
    associations_api,
    discovery_api,
]

router = DefaultRouter()
for app in APPS:
    for prefix, viewset, basename in app.routes:
        router.register(prefix, viewset, basename=basename)
router.register("attachments", AttachmentViewSet, basename="attachment")

app_name = "api"
urlpatterns = [*(p for app in APPS for p in app.urlpatterns), path("", include(router.urls))]
