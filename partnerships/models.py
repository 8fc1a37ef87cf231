"""Strategic partnerships, multi-party agreements, and each party's rights and
responsibilities (clauses)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organization
from portal.access import AccessQuerySet
from portal.dates import validate_portal_date
from portal.limits import LONG_TEXT, NOTE_TEXT
from portal.models import Attachment, DomainModel


class PartnershipKind(models.TextChoices):
    STRATEGIC_ALLIANCE = "strategic_alliance", _("Strategic alliance")
    INDUSTRY_COLLEGE = "industry_college", _("Industry college")
    JOINT_RD_CENTRE = "joint_rd_centre", _("Joint R&D centre")
    TEACHER_WORKSTATION = "teacher_workstation", _("Teacher training workstation")
    OTHER = "other", _("Other")


class PartnershipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class Partnership(DomainModel):
    """A lasting alliance between colleges and enterprises (an industry college, a joint
    R&D centre, a teacher training workstation), led by one organization."""

    access_organization_paths = ("lead", "members__organization")
    attachable = True

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=PartnershipKind.choices)
    lead = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="led_partnerships",
        verbose_name=_("lead organization"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.PROPOSED,
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, validators=[validate_portal_date]
    )
    end_date = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_portal_date]
    )
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="partnership_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership-detail", args=[self.pk])

    def history_related(self):
        return [
            (
                lambda record: _("Member: %(name)s") % {"name": record.organization},
                PartnershipMember.history.filter(partnership_id=self.pk).select_related(
                    "organization"
                ),
            )
        ]


class PartnershipMember(DomainModel):
    """An organization taking part in a partnership, and the role it plays there."""

    access_organization_paths = ("partnership__lead", "partnership__members__organization")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="partnership_memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(
        _("role"),
        max_length=200,
        blank=True,
        help_text=_("What this organization contributes, e.g. “provides training equipment”."),
    )

    class Meta:
        ordering = ["organization__name"]
        verbose_name = _("partnership member")
        verbose_name_plural = _("partnership members")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organization"], name="partnership_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.partnership}"


class AgreementKind(models.TextChoices):
    FRAMEWORK = "framework", _("Framework")
    INTERNSHIP = "internship", _("Internship")
    JOINT_TRAINING = "joint_training", _("Joint training")
    RND = "rnd", _("Research and development")
    PRACTICE_BASE = "practice_base", _("Practice base")
    OTHER = "other", _("Other")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


# Terms (text, dates, parties, clauses) may change only in these statuses; once every
# party has signed they are frozen, though clause statuses still move.
EDITABLE_STATUSES = frozenset({AgreementStatus.DRAFT, AgreementStatus.NEGOTIATING})
# Clauses are fulfilled, breached or waived while the agreement binds the parties.
BINDING_STATUSES = frozenset({AgreementStatus.SIGNED, AgreementStatus.ACTIVE})


class AgreementQuerySet(AccessQuerySet):
    def with_parties(self) -> AgreementQuerySet:
        return self.select_related("partnership").prefetch_related(
            models.Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("organization", "signed_by"),
            )
        )


class Agreement(DomainModel):
    """A legal agreement between two or more parties (colleges, enterprises, government
    departments, associations), fixing each party's rights and responsibilities."""

    access_organization_paths = ("parties__organization",)
    attachable = True

    reference = models.CharField(_("reference"), max_length=30, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("partnership"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
    )
    effective_date = models.DateField(_("effective date"), validators=[validate_portal_date])
    expiry_date = models.DateField(_("expiry date"), validators=[validate_portal_date])
    legal_basis = models.TextField(
        _("legal basis"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("The statutes or local regulations the agreement rests on."),
    )
    summary = models.TextField(_("summary"), max_length=LONG_TEXT, blank=True)
    renewed_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("renewal of"),
    )
    termination_reason = models.TextField(_("termination reason"), max_length=NOTE_TEXT, blank=True)
    terminated_at = models.DateTimeField(_("terminated at"), null=True, blank=True)
    terminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("terminated by"),
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(expiry_date__gte=models.F("effective_date")),
                name="agreement_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        # The CHECK constraint holds the rule in the database; this says it next to the
        # field, in forms and services alike.
        if self.effective_date and self.expiry_date and self.expiry_date < self.effective_date:
            raise ValidationError(
                {"expiry_date": _("The expiry date comes before the effective date.")}
            )

    def get_absolute_url(self) -> str:
        return reverse("agreement-detail", args=[self.pk])

    @property
    def party_names(self) -> str:
        return "; ".join(party.organization.name for party in self.parties.all())

    @property
    def terms_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def is_binding(self, today=None) -> bool:
        """Signed by every party and in effect: clauses can be breached or waived."""
        return self.status in BINDING_STATUSES and self.effective_date <= (
            today or timezone.localdate()
        )

    @property
    def binding(self) -> bool:
        return self.is_binding()

    @property
    def not_yet_binding(self) -> bool:
        """Still being drafted or negotiated, or signed but before its effective date:
        its clauses' statuses do not mean anything yet."""
        return self.status in EDITABLE_STATUSES or (
            self.status == AgreementStatus.SIGNED and self.effective_date > timezone.localdate()
        )

    def terms_hash(self) -> str:
        """A fingerprint of the terms: what a signature binds the signer to.

        Clause statuses are not terms, so fulfilling a clause leaves signatures intact.
        """
        parties = sorted((p.organization_id, p.role) for p in self.parties.all())
        clauses = sorted(
            (
                c.party.organization_id,
                c.kind,
                c.category,
                c.text,
                c.due_date.isoformat() if c.due_date else "",
            )
            for c in Clause.objects.filter(agreement=self).select_related("party")
        )
        terms = {
            "title": self.title,
            "kind": self.kind,
            "partnership": self.partnership_id,
            "effective": self.effective_date.isoformat(),
            "expiry": self.expiry_date.isoformat(),
            "legal_basis": self.legal_basis,
            "summary": self.summary,
            "parties": parties,
            "clauses": clauses,
        }
        return hashlib.sha256(json.dumps(terms, sort_keys=True).encode()).hexdigest()

    def history_related(self):
        """The parties' and clauses' history belongs on the agreement's History tab."""
        return [
            (
                lambda record: _("Party: %(name)s") % {"name": record.organization},
                AgreementParty.history.filter(agreement_id=self.pk).select_related("organization"),
            ),
            (
                lambda record: _("Clause #%(id)s") % {"id": record.id},
                Clause.history.filter(agreement_id=self.pk),
            ),
        ]


class AgreementParty(DomainModel):
    """One party to an agreement, and its signature (bound to the terms it signed)."""

    access_organization_paths = ("agreement__parties__organization",)

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="agreement_parties",
        verbose_name=_("organization"),
    )
    role = models.CharField(
        _("role in the agreement"),
        max_length=100,
        blank=True,
        help_text=_("e.g. “Party A”, “host enterprise”, “supervising department”."),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_terms_hash = models.CharField(max_length=64, blank=True, editable=False)
    signatory_name = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(
        _("signatory's title"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “President”, “Legal representative”, “Director”."),
    )
    signed_place = models.CharField(_("place of signing"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organization"], name="party_unique")
        ]

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def has_signed(self) -> bool:
        return self.signed_at is not None


class ClauseKind(models.TextChoices):
    RIGHT = "right", _("Right")
    RESPONSIBILITY = "responsibility", _("Responsibility")


class ClauseCategory(models.TextChoices):
    TALENT_TRAINING = "talent_training", _("Talent training")
    TEACHING_RESOURCES = "teaching_resources", _("Teaching resources")
    FUNDING = "funding", _("Funding")
    FACILITIES = "facilities", _("Facilities")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("Intellectual property")
    SAFETY_INSURANCE = "safety_insurance", _("Safety and insurance")
    EMPLOYMENT = "employment", _("Employment")
    ASSESSMENT = "assessment", _("Assessment")
    OTHER = "other", _("Other")


class ClauseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("clause status", "Open")
    # Fulfilled by the owing party's account, with evidence; the parties it is owed to
    # confirm it (fulfilled) or dispute it (open again).
    CLAIMED = "claimed", pgettext_lazy("clause status", "Awaiting confirmation")
    FULFILLED = "fulfilled", _("Fulfilled")
    BREACHED = "breached", _("Breached")
    WAIVED = "waived", _("Waived")


class ClauseQuerySet(AccessQuerySet):
    def owed_by(self, organization_ids) -> ClauseQuerySet:
        """The responsibilities of these organizations, on any agreement."""
        return self.filter(
            kind=ClauseKind.RESPONSIBILITY, party__organization_id__in=list(organization_ids)
        )

    def obligations(self, organization_ids) -> ClauseQuerySet:
        """What these organizations owe under agreements that bind them (signed or
        active): never drafts, nor agreements still being negotiated."""
        return self.owed_by(organization_ids).filter(agreement__status__in=BINDING_STATUSES)

    def overdue(self, today=None) -> ClauseQuerySet:
        """Open responsibilities past their due date on agreements that bind."""
        return self.filter(
            kind=ClauseKind.RESPONSIBILITY,
            status=ClauseStatus.OPEN,
            due_date__lt=today or timezone.localdate(),
            agreement__status__in=BINDING_STATUSES,
        )

    def due_within(self, days: int, today=None) -> ClauseQuerySet:
        today = today or timezone.localdate()
        return self.filter(
            kind=ClauseKind.RESPONSIBILITY,
            status=ClauseStatus.OPEN,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=days),
            agreement__status__in=BINDING_STATUSES,
        )


class Clause(DomainModel):
    """One right or responsibility of one party, and whether it has been honoured."""

    access_organization_paths = ("agreement__parties__organization",)
    attachable = True

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="clauses")
    party = models.ForeignKey(
        AgreementParty, on_delete=models.CASCADE, related_name="clauses", verbose_name=_("party")
    )
    kind = models.CharField(_("right or responsibility"), max_length=20, choices=ClauseKind.choices)
    category = models.CharField(_("category"), max_length=30, choices=ClauseCategory.choices)
    text = models.TextField(_("text"), max_length=LONG_TEXT)
    due_date = models.DateField(
        _("due date"), null=True, blank=True, validators=[validate_portal_date]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ClauseStatus.choices, default=ClauseStatus.OPEN
    )
    status_note = models.TextField(
        _("reason"),
        max_length=NOTE_TEXT,
        blank=True,
        help_text=_("Why it was breached or waived, or why its fulfilment was disputed."),
    )
    evidence = models.TextField(
        _("evidence of fulfilment"),
        max_length=NOTE_TEXT,
        blank=True,
        help_text=_("What was done, and where the parties can check it."),
    )
    evidence_attachment = models.ForeignKey(
        Attachment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence file"),
    )
    evidence_at = models.DateTimeField(_("evidence given at"), null=True, blank=True)
    evidence_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence given by"),
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )

    objects = ClauseQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "party_id", "kind", "due_date", "pk"]
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")

    def __str__(self) -> str:
        return f"{self.party}: {self.get_kind_display()} · {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return f"{reverse('agreement-detail', args=[self.agreement_id])}#clause-{self.pk}"

    @property
    def not_yet_binding(self) -> bool:
        """An open clause of an agreement that does not bind yet: its status means
        nothing so far."""
        return self.status == ClauseStatus.OPEN and self.agreement.not_yet_binding

    @property
    def evidence_or_reason(self) -> str:
        """The evidence of a fulfilment (claimed or confirmed); else the reason for the
        last step (a breach, a waiver, a dispute)."""
        if self.status in (ClauseStatus.CLAIMED, ClauseStatus.FULFILLED):
            return self.evidence
        return self.status_note

    @property
    def owed_to(self) -> list[str]:
        """Who the clause is owed to: the other parties for a responsibility, its own
        party for a right (reads the agreement's parties: prefetch them for a list)."""
        if self.kind == ClauseKind.RIGHT:
            return [self.party.organization.name]
        return [
            party.organization.name
            for party in self.agreement.parties.all()
            if party.pk != self.party_id
        ]

    @property
    def owed_to_text(self) -> str:
        return "; ".join(self.owed_to)

    @property
    def disputed(self) -> bool:
        """Open again after the parties it is owed to disputed its fulfilment."""
        return self.status == ClauseStatus.OPEN and bool(self.evidence) and bool(self.status_note)

    def attachment_in_use(self, attachment) -> str:
        """The evidence file of a fulfilment claimed or confirmed stays."""
        if attachment.pk == self.evidence_attachment_id and self.status in (
            ClauseStatus.CLAIMED,
            ClauseStatus.FULFILLED,
        ):
            return str(self._meta.get_field("evidence_attachment").verbose_name)
        return ""

    def is_overdue(self, today=None) -> bool:
        return (
            self.kind == ClauseKind.RESPONSIBILITY
            and self.status == ClauseStatus.OPEN
            and self.due_date is not None
            and self.due_date < (today or timezone.localdate())
        )
