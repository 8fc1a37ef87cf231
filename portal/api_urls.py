"""All API routes under /api/v1/: each app lists its own in ``<app>/api/urls.py``."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api import urls as accounts_api
from portal.attachments_api import AttachmentViewSet

router = DefaultRouter()
for prefix, viewset, basename in accounts_api.routes:
    router.register(prefix, viewset, basename=basename)
router.register("attachments", AttachmentViewSet, basename="attachment")

app_name = "api"
urlpatterns = [*accounts_api.urlpatterns, path("", include(router.urls))]
