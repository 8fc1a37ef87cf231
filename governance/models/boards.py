"""Boards (理事会, boards of directors, alliance councils, advisory committees) of a body,
with seats by constituency and their members."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.dates import validate_portal_date
from portal.limits import LONG_TEXT
from portal.models import DomainModel

from .bodies import BODY_PATHS, BoardPartQuerySet, BodyQuerySet, BodyRecord, one_body


class BoardKind(models.TextChoices):
    DIRECTORS = "directors", _("Board of directors")
    COUNCIL = "council", _("Council (理事会)")
    ALLIANCE_COUNCIL = "alliance_council", _("Alliance council")
    ADVISORY = "advisory", _("Advisory committee")


class BoardPowers(models.TextChoices):
    DECIDES = "decides", _("Decides")
    ADVISES = "advises", _("Advises")


class Constituency(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    ASSOCIATION = "association", _("Industry association")
    ENTERPRISE = "enterprise", _("Enterprise")
    LEADERSHIP = "leadership", _("College leadership")
    TEACHERS = "teachers", _("Teaching staff")
    STUDENTS = "students", _("Students")
    ALUMNI = "alumni", _("Alumni")
    COMMUNITY = "community", _("Community")


DEFAULT_TERM_YEARS = 5


class Board(BodyRecord):
    """A body's board: its kind and powers, the term of its members, its quorum rule and
    its seats by constituency (``BoardSeat``)."""

    access_organization_paths = BODY_PATHS
    attachable = True  # its charter, appointment letters, the rules it works by

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=BoardKind.choices)
    powers = models.CharField(
        _("powers"), max_length=20, choices=BoardPowers.choices, default=BoardPowers.DECIDES
    )
    term_years = models.PositiveSmallIntegerField(
        _("term (years)"),
        default=DEFAULT_TERM_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    quorum_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("quorum (% of seated members)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("More than this share of the seated members must attend (50: a majority)."),
    )
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        constraints = [
            one_body("board_one_body"),
            models.CheckConstraint(
                condition=Q(term_years__gte=1) & Q(term_years__lte=10), name="board_term_range"
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__gte=1) & Q(quorum_percent__lte=99),
                name="board_quorum_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("board-detail", args=[self.pk])

    @property
    def advisory(self) -> bool:
        return self.powers == BoardPowers.ADVISES


class BoardSeat(models.Model):
    """How many members a constituency has on the board: at least ``minimum``, at most
    ``maximum``."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="seats")
    constituency = models.CharField(_("constituency"), max_length=20, choices=Constituency.choices)
    minimum = models.PositiveSmallIntegerField(
        _("minimum"), default=0, validators=[MaxValueValidator(200)]
    )
    maximum = models.PositiveSmallIntegerField(
        _("maximum"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )

    class Meta:
        ordering = ["board", "constituency"]
        verbose_name = _("seats")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(fields=["board", "constituency"], name="board_seat_unique"),
            models.CheckConstraint(
                condition=Q(maximum__gte=F("minimum")) & Q(maximum__gte=1),
                name="board_seat_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board} · {self.get_constituency_display()}"


class Position(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class BoardMemberQuerySet(BoardPartQuerySet):
    def seated(self, on=None):
        """Members whose term covers the day (today by default) and who have not left."""
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(term_start__lte=day, term_end__gte=day, left_on__isnull=True)


class BoardMember(DomainModel):
    """A seat held: a portal user (who then votes in the portal) or an outside member
    named here, the organization they represent, their constituency and position, and
    their term."""

    access_organization_paths = tuple(f"board__{path}" for path in BODY_PATHS)

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="board_seats",
        verbose_name=_("portal user"),
    )
    name = models.CharField(_("name"), max_length=200)
    represents = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("represents"),
    )
    constituency = models.CharField(_("constituency"), max_length=20, choices=Constituency.choices)
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, default=Position.MEMBER
    )
    term_start = models.DateField(_("term starts"), validators=[validate_portal_date])
    term_end = models.DateField(_("term ends"), validators=[validate_portal_date])
    left_on = models.DateField(
        _("left on"), null=True, blank=True, validators=[validate_portal_date]
    )

    objects = BoardMemberQuerySet.as_manager()

    class Meta:
        ordering = ["board", "constituency", "name"]
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=F("term_start")), name="board_member_term_in_order"
            ),
            models.UniqueConstraint(
                fields=["board", "user"],
                condition=Q(user__isnull=False, left_on__isnull=True),
                name="board_member_one_seat_per_user",
            ),
        ]
        indexes = [
            models.Index(fields=["board", "constituency"], name="board_member_constituency"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.board}"
