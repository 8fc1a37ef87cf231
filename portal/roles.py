"""The kinds of organization and the roles people hold in them.

Owned here, where access is decided; ``accounts`` stores them on its models and every
app compares against these names, never against bare strings.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    COLLEGE = "college", _("College")
    ENTERPRISE = "enterprise", _("Enterprise")
    GOVERNMENT = "government", _("Government department")
    ASSOCIATION = "association", _("Industry association")


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    STAFF = "staff", _("Staff")
    VIEWER = "viewer", _("Viewer")


# Admins and staff change what their organization owns; viewers only read.
WRITE_ROLES = frozenset({Role.ADMIN, Role.STAFF})
