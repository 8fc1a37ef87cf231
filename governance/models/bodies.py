"""The body a governance record belongs to: a college (an organization) or a body it runs
with enterprises (a partnership: an industry college, an alliance, a joint centre)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import AccessQuerySet, organization_ids, sees_everything
from portal.models import DomainModel

# Who reads a body's records: the organization's members, or every member organization
# of the partnership (and its lead).
BODY_PATHS = ("organization", "partnership__lead", "partnership__members__organization")


class BodyAdminsAttach:
    """Files on a governance record are added and removed by the body's admins, who make
    every other change to it; its other readers (the body's staff, partnership members,
    seated members, government) only read them. ``body_record`` leads to the board or
    articles the rule is asked of ("" for the record itself)."""

    body_record = ""

    def attachments_changeable_by(self, user) -> bool:
        from ..services.rules import can_manage_body  # the rules import the models

        record = getattr(self, self.body_record) if self.body_record else self
        return can_manage_body(user, record)


class BodyRecord(BodyAdminsAttach, DomainModel):
    """A record that belongs to one body: exactly one of ``organization`` and
    ``partnership`` is set (a CHECK constraint in each concrete model's Meta)."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partnership"),
    )

    class Meta:
        abstract = True

    @property
    def body(self):
        return self.organization or self.partnership

    @property
    def body_name(self) -> str:
        body = self.body
        return body.name if body is not None else ""


def one_body(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(organization__isnull=False, partnership__isnull=True)
        | Q(organization__isnull=True, partnership__isnull=False),
        name=name,
    )


def seat_bodies(user) -> tuple[list[int], list[int]]:
    """The bodies (organization ids, partnership ids) on whose boards the user holds a
    seat today: a seated member sees that body's boards, meetings, resolutions and
    articles even when they belong to none of its organizations (an enterprise's
    director on a college's council)."""
    from django.utils import timezone

    from .boards import BoardMember

    today = timezone.localdate()
    rows = BoardMember.objects.filter(
        user_id=user.pk, term_start__lte=today, term_end__gte=today, left_on__isnull=True
    ).values_list("board__organization_id", "board__partnership_id")
    organizations = sorted({org for org, _part in rows if org})
    partnerships = sorted({part for _org, part in rows if part})
    return organizations, partnerships


class GovernanceQuerySet(AccessQuerySet):
    """Who reads a governance record: members of the body's organizations (the
    college, or the partnership's lead and members), its seated board members, and
    government. ``body_prefix`` leads from the model to its ``BodyRecord``."""

    body_prefix = ""

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if sees_everything(user):
            return self
        ids = list(organization_ids(user))
        organizations, partnerships = seat_bodies(user)
        condition = Q()
        for path in BODY_PATHS:
            if ids:
                condition |= Q(**{f"{self.body_prefix}{path}__in": ids})
        if organizations:
            condition |= Q(**{f"{self.body_prefix}organization_id__in": organizations})
        if partnerships:
            condition |= Q(**{f"{self.body_prefix}partnership_id__in": partnerships})
        if not condition:
            return self.none()
        return self.filter(pk__in=self.model._default_manager.filter(condition).values("pk"))


class BodyQuerySet(GovernanceQuerySet):
    """Articles and boards: the body is the record itself."""


class VersionQuerySet(GovernanceQuerySet):
    body_prefix = "document__"


class BoardPartQuerySet(GovernanceQuerySet):
    """Members, meetings and resolutions: the body is their board's."""

    body_prefix = "board__"
