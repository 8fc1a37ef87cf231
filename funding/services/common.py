"""Helpers shared by the funding services."""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import User


def people(organization_ids: Iterable[int]):
    """Admins and staff of the organizations: whom to tell."""
    return User.objects.acting_for(organization_ids)
