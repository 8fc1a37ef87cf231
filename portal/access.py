"""Access control, decided in one place.

A record belongs to one or more organizations; its model names the lookups that lead
from it to them (``access_organization_paths``). Members of those organizations see it;
their admins and staff change it; viewers only read. Government members see every
record (oversight) and change only their own. Pages and the API both ask these
functions, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q

from portal.roles import WRITE_ROLES, OrganizationKind, Role

__all__ = [
    "WRITE_ROLES",
    "AccessQuerySet",
    "acts_for_government",
    "can_administer",
    "can_change",
    "grants",
    "is_government",
    "note_reads",
    "organization_ids",
    "register_membership_source",
    "register_scope_logger",
    "register_scope_source",
    "require",
    "scope_organizations",
    "sees_everything",
]

# Where a user's memberships come from: registered by the app that stores them
# (accounts, in its AppConfig.ready), so that this module depends on no app.
MembershipSource = Callable[[object], Iterable[tuple[int, str, str]]]
_membership_source: MembershipSource | None = None


def register_membership_source(source: MembershipSource) -> None:
    """``source(user)`` yields (organization id, role, organization kind) for each of
    the user's active memberships in an active organization."""
    global _membership_source
    _membership_source = source


@dataclass(frozen=True)
class MembershipGrant:
    organization_id: int
    role: str
    kind: str


def grants(user) -> dict[int, MembershipGrant]:
    """The user's active memberships in active organizations, keyed by organization id.

    Loaded once per user object (one query per request), since every list, page and
    service asks.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, "_portal_grants", None)
    if cached is None:
        if _membership_source is None:
            raise ImproperlyConfigured("No membership source is registered with portal.access.")
        cached = {
            org_id: MembershipGrant(org_id, role, kind)
            for org_id, role, kind in _membership_source(user)
        }
        user._portal_grants = cached
    return cached


def forget_grants(user) -> None:
    """Drop the cached memberships after they change within one request."""
    for cached in ("_portal_grants", "_portal_scopes", "_portal_noted_reads"):
        if hasattr(user, cached):
            delattr(user, cached)


# --- reads through a scope ------------------------------------------------------------
#
# An organization may read some records of others for a while: an industry association
# working under a government entrustment reads exactly the kinds of record in its scope,
# of the organizations in its scope, and each such read is logged. The app that keeps
# entrustments registers where the scopes come from and where the reads go, so that
# this module depends on no app.

# ``source(user)`` → {model label: {organization id: (the ids of the grants)}}
ScopeSource = Callable[[object], dict[str, dict[int, tuple[int, ...]]]]
# ``logger(user, [(entrustment id, model label, record id, record name), ...])``
ScopeLogger = Callable[[object, list[tuple[int, str, int, str]]], None]
_scope_source: ScopeSource | None = None
_scope_logger: ScopeLogger | None = None


def register_scope_source(source: ScopeSource) -> None:
    global _scope_source
    _scope_source = source


def register_scope_logger(logger: ScopeLogger) -> None:
    global _scope_logger
    _scope_logger = logger


def scopes(user) -> dict[str, dict[int, tuple[int, ...]]]:
    """The records of other organizations the user reads for now, by model label:
    ``{label: {organization id: (ids of the grants, e.g. entrustments)}}``. Loaded once
    per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, "_portal_scopes", None)
    if cached is None:
        cached = _scope_source(user) if _scope_source is not None else {}
        user._portal_scopes = cached
    return cached


def scope_organizations(user, model: type[models.Model]) -> set[int]:
    """The organizations whose records of this model the user reads through a scope."""
    return set(scopes(user).get(model._meta.label_lower, {}))


def _organizations_of(model: type[models.Model], pks: list[int]) -> dict[int, set[int]]:
    """Each record's organizations, one query per access path whatever the number of
    records."""
    found: dict[int, set[int]] = {pk: set() for pk in pks}
    for path in model.access_organization_paths:
        if path in ("pk", "id"):
            for pk in pks:
                found[pk].add(pk)
            continue
        rows = model._default_manager.filter(pk__in=pks).values_list("pk", path)
        for pk, organization_id in rows:
            if organization_id is not None:
                found[pk].add(organization_id)
    return found


def note_reads(user, records) -> None:
    """Log the records the user read only through a scope (a detail, or a page of a
    list): none of their own organizations' and at least one of an organization in the
    scope; once under each grant that lets them read it, and once per request (the user
    object) however often the request shows it. Nothing to do (and no query) for anyone
    without a scope."""
    scoped = scopes(user)
    if not scoped or _scope_logger is None:
        return
    # A file stands for the record it is attached to (``read_as``).
    records = [getattr(record, "read_as", record) for record in records if record is not None]
    records = [record for record in records if record is not None]
    if not records:
        return
    own = organization_ids(user)
    noted = user.__dict__.setdefault("_portal_noted_reads", set())
    entries = []
    by_model: dict[type[models.Model], list] = {}
    for record in records:
        if type(record)._meta.label_lower in scoped:
            by_model.setdefault(type(record), []).append(record)
    for model, rows in by_model.items():
        in_scope = scoped[model._meta.label_lower]
        owners = _organizations_of(model, [row.pk for row in rows])
        for row in rows:
            organizations = owners.get(row.pk, set())
            if organizations & own:
                continue
            grants = sorted(
                {grant for org in organizations & in_scope.keys() for grant in in_scope[org]}
            )
            for grant in grants:
                key = (grant, model._meta.label_lower, row.pk)
                if key not in noted:
                    noted.add(key)
                    entries.append((*key, str(row)))
    if entries:
        _scope_logger(user, entries)


def organization_ids(
    user, roles: Iterable[str] | None = None, kinds: Iterable[str] | None = None
) -> set[int]:
    """The user's organizations, those where they hold one of ``roles`` and of one of
    ``kinds`` when given. No query: memberships are cached on the user."""
    allowed = set(roles) if roles is not None else None
    of_kind = set(kinds) if kinds is not None else None
    return {
        org_id
        for org_id, grant in grants(user).items()
        if (allowed is None or grant.role in allowed) and (of_kind is None or grant.kind in of_kind)
    }


def is_government(user) -> bool:
    return any(grant.kind == OrganizationKind.GOVERNMENT for grant in grants(user).values())


def acts_for_government(user) -> bool:
    """An admin or staff member of a government department (not a viewer), or a
    superuser: who registers organizations and drafts fund programs."""
    return bool(getattr(user, "is_superuser", False)) or any(
        grant.kind == OrganizationKind.GOVERNMENT and grant.role in WRITE_ROLES
        for grant in grants(user).values()
    )


def sees_everything(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or is_government(user)


def seen(user, record):
    """A linked record if the user sees it, else None (one query): a page names no
    record its reader could not open, so a hidden one reads as no record at all."""
    if record is None:
        return None
    manager = type(record)._default_manager
    return record if manager.visible_to(user).filter(pk=record.pk).exists() else None


def record_organization_ids(obj: models.Model) -> set[int]:
    """The organizations a record belongs to, following its model's access paths."""
    method = getattr(obj, "access_organization_ids", None)
    if method is not None:
        return set(method())
    paths = type(obj).access_organization_paths
    ids: set[int] = set()
    for path in paths:
        if path in ("pk", "id"):
            ids.add(obj.pk)
            continue
        if "__" not in path:
            value = getattr(obj, f"{path}_id", None)
            if value is not None:
                ids.add(value)
            continue
        ids.update(
            v
            for v in type(obj)._default_manager.filter(pk=obj.pk).values_list(path, flat=True)
            if v is not None
        )
    return ids


def has_role(user, obj: models.Model, roles: Iterable[str]) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return bool(record_organization_ids(obj) & organization_ids(user, roles))


def can_change(user, obj: models.Model) -> bool:
    """Admins and staff of an organization the record belongs to."""
    return has_role(user, obj, WRITE_ROLES)


def can_administer(user, obj: models.Model) -> bool:
    """Admins of an organization the record belongs to."""
    return has_role(user, obj, {Role.ADMIN})


def require(allowed: bool, message: str = "") -> None:
    """Raise PermissionDenied (403) unless allowed."""
    if not allowed:
        raise PermissionDenied(message or "You do not have permission to do this.")


class AccessQuerySet(models.QuerySet):
    """QuerySet base of every record that belongs to organizations."""

    def visible_to(self, user) -> AccessQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if sees_everything(user):
            return self
        ids = organization_ids(user) | scope_organizations(user, self.model)
        return self.for_organizations(ids)

    def linkable_by(self, user) -> AccessQuerySet:
        """The records the user may tie their own work to (a partnership an agreement
        belongs to, the base a placement is at): their own organizations' (government:
        all). Unlike ``visible_to``, never those a scope only lets them read."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if sees_everything(user):
            return self
        return self.for_organizations(organization_ids(user))

    def for_organizations(self, ids: Iterable[int]) -> AccessQuerySet:
        ids = list(ids)
        if not ids:
            return self.none()
        paths = self.model.access_organization_paths
        condition = Q()
        for path in paths:
            lookup = "pk" if path in ("pk", "id") else path
            condition |= Q(**{f"{lookup}__in": ids})
        if any("__" in path for path in paths):
            # Paths through many-valued relations would repeat rows; a subquery keeps
            # one row per record without DISTINCT (which breaks ordering by annotations).
            return self.filter(pk__in=self.model._default_manager.filter(condition).values("pk"))
        return self.filter(condition)
