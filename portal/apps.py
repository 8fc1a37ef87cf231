from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        # Each app registers its dashboard items and cooperation sections (dashboard.py),
        # its searchable models (search.py) and its daily jobs (jobs.py). Celery finds the
        # tasks (tasks.py) itself.
        autodiscover_modules("dashboard", "search", "jobs")
