"""The Django project: settings, URL routes, the WSGI entry point and the Celery app.

Apps (accounts, partnerships, funding, …) and the shared library they build on
(``portal``) never import from here; the project imports them.
"""

from config.celery import app as celery_app

__all__ = ["celery_app"]
