"""Meetings of a board (with attendance and minutes), its resolutions and the votes on
them, recorded by name."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.access import organization_ids, sees_everything
from portal.limits import LONG_TEXT, NOTE_TEXT
from portal.models import DomainModel
from portal.roles import Role

from .articles import ArticleVersion
from .boards import Board, BoardMember
from .bodies import BODY_PATHS, BoardPartQuerySet, BodyAdminsAttach

BOARD_PATHS = tuple(f"board__{path}" for path in BODY_PATHS)


class MeetingKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")
    COMMITTEE = "committee", _("Committee")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(BodyAdminsAttach, DomainModel):
    body_record = "board"
    access_organization_paths = BOARD_PATHS
    attachable = True  # the minutes' signed copy, papers for the agenda

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.PLENARY
    )
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    link = models.URLField(_("online link"), max_length=500, blank=True)
    agenda = models.TextField(_("agenda"), max_length=LONG_TEXT, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MeetingStatus.choices,
        default=MeetingStatus.SCHEDULED,
    )
    minutes = models.TextField(_("minutes"), max_length=LONG_TEXT * 5, blank=True)
    minutes_approved_at = models.DateTimeField(_("minutes approved at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=NOTE_TEXT, blank=True)

    objects = BoardPartQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["board", "-starts_at"], name="meeting_board_starts")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meeting-detail", args=[self.pk])


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    PROXY = "proxy", _("By proxy")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """Whether a seated member attended: in person, by proxy (held by another member who
    attends), or not."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(BoardMember, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    proxy_holder = models.ForeignKey(
        BoardMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proxy held by"),
    )

    class Meta:
        ordering = ["meeting", "member"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique"),
            models.CheckConstraint(
                condition=Q(status=AttendanceStatus.PROXY, proxy_holder__isnull=False)
                | ~Q(status=AttendanceStatus.PROXY) & Q(proxy_holder__isnull=True),
                name="attendance_proxy_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"


class ResolutionKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    BUDGET = "budget", _("Budget")
    PLAN = "plan", _("Plan")
    APPOINTMENT = "appointment", _("Appointment")
    ARTICLE_AMENDMENT = "article_amendment", _("Amendment of the articles")


class Threshold(models.TextChoices):
    VOTES_CAST = "votes_cast", _("Majority of the votes cast")
    MEMBERS = "members", _("Majority of the seated members")
    TWO_THIRDS = "two_thirds", _("Two thirds of the seated members")


class ResolutionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    VOTING = "voting", _("Voting")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Resolution(BodyAdminsAttach, DomainModel):
    """A motion on a meeting's agenda, or a written resolution (no meeting). Its
    threshold is fixed by its kind and the board's rules when voting opens; closing
    records the figures it was decided on."""

    access_organization_paths = BOARD_PATHS
    attachable = True
    body_record = "board"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="resolutions")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolutions",
        verbose_name=_("meeting"),
        help_text=_("Empty for a written resolution."),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text of the motion"), max_length=LONG_TEXT)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ResolutionKind.choices, default=ResolutionKind.ORDINARY
    )
    article_version = models.ForeignKey(
        ArticleVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolutions",
        verbose_name=_("article version to adopt"),
    )
    threshold = models.CharField(
        _("threshold"), max_length=20, choices=Threshold.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ResolutionStatus.choices,
        default=ResolutionStatus.DRAFT,
    )
    voting_closes_at = models.DateTimeField(_("voting closes at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("voting opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("voting closed at"), null=True, blank=True)
    # The figures the result was decided on, recorded at closing.
    seated = models.PositiveSmallIntegerField(_("seated members"), null=True, blank=True)
    attending = models.PositiveSmallIntegerField(_("attending"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)
    advisory = models.BooleanField(
        _("advice only"),
        default=False,
        help_text=_("Passed by an advisory board: advice to the body, not its decision."),
    )

    objects = BoardPartQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ResolutionKind.ARTICLE_AMENDMENT)
                | Q(article_version__isnull=False),
                name="resolution_amendment_names_version",
            ),
        ]
        indexes = [models.Index(fields=["board", "status"], name="resolution_board_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resolution-detail", args=[self.pk])


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class VoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Votes by name are the board's and government's to read: government, the
        body's admins, and whoever has held a seat on the board."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if sees_everything(user):
            return self
        admin_of = list(organization_ids(user, {Role.ADMIN}))
        seats = BoardMember.objects.filter(user_id=user.pk).values("board_id")
        condition = Q(resolution__board_id__in=seats)
        if admin_of:
            condition |= Q(resolution__board__organization_id__in=admin_of) | Q(
                resolution__board__partnership__lead_id__in=admin_of
            )
        return self.filter(condition)


class Vote(models.Model):
    """One seated member's vote on a resolution, by name; ``cast_by`` is who entered it
    (the member, or the member holding their proxy)."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(BoardMember, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)
    by_proxy = models.BooleanField(_("by proxy"), default=False)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        ordering = ["resolution", "member"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["resolution", "member"], name="vote_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_choice_display()}"
