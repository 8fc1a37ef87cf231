"""Articles of association (章程): a body's document in chapters and numbered articles,
kept in versions. A draft is edited, then proposed; a resolution adopts it and it comes
into force on its date, superseding the version before. An adopted version never
changes (the services refuse, and ``Article`` rows of a version that is no longer a
draft are refused by ``ArticleVersion.editable``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.dates import validate_portal_date
from portal.limits import LONG_TEXT
from portal.models import DomainModel

from .bodies import (
    BODY_PATHS,
    BodyAdminsAttach,
    BodyQuerySet,
    BodyRecord,
    VersionQuerySet,
    one_body,
)

ARTICLE_TEXT = 10_000
MAX_ARTICLES = 500


class Articles(BodyRecord):
    """A body's articles of association, whatever their version."""

    access_organization_paths = BODY_PATHS
    attachable = True

    title = models.CharField(_("title"), max_length=200)

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("articles of association")
        verbose_name_plural = _("articles of association")
        constraints = [one_body("articles_one_body")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles-detail", args=[self.pk])


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted, not yet in force")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Once adopted, a version's text is fixed for good.
FIXED_STATUSES = (VersionStatus.ADOPTED, VersionStatus.IN_FORCE, VersionStatus.SUPERSEDED)


class ArticleVersion(BodyAdminsAttach, DomainModel):
    """One version of a body's articles: its number counts from 1 within the articles."""

    body_record = "document"

    access_organization_paths = tuple(f"document__{path}" for path in BODY_PATHS)
    attachable = True

    # The articles of association this is a version of (``version.articles`` are its
    # numbered articles).
    document = models.ForeignKey(
        Articles, on_delete=models.CASCADE, related_name="versions", verbose_name=_("articles")
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    summary = models.TextField(_("what changes"), max_length=LONG_TEXT, blank=True)
    in_force_from = models.DateField(
        _("in force from"), null=True, blank=True, validators=[validate_portal_date]
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        "governance.Resolution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted by resolution"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="article_version_number"),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status=VersionStatus.IN_FORCE),
                name="article_version_one_in_force",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=FIXED_STATUSES)
                | Q(adopted_at__isnull=False, in_force_from__isnull=False),
                name="article_version_adopted_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} · v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("article-version-detail", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Article(models.Model):
    """One numbered article of a version, under its chapter."""

    version = models.ForeignKey(ArticleVersion, on_delete=models.CASCADE, related_name="articles")
    chapter = models.CharField(_("chapter"), max_length=200, blank=True)
    number = models.PositiveIntegerField(
        _("article number"), validators=[MinValueValidator(1), MaxValueValidator(MAX_ARTICLES)]
    )
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    text = models.TextField(_("text"), max_length=ARTICLE_TEXT)

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="article_number_unique")
        ]
        indexes = [
            # The global search finds articles of association by a substring of their
            # articles (``icontains``: ``UPPER(text) LIKE UPPER('%...%')``), which these
            # trigram indexes serve on PostgreSQL; migration 0002 creates them there only
            # (SQLite searches without them).
            GinIndex(OpClass(Upper("heading"), name="gin_trgm_ops"), name="article_heading_trgm"),
            GinIndex(OpClass(Upper("text"), name="gin_trgm_ops"), name="article_text_trgm"),
        ]

    def __str__(self) -> str:
        return _("Article %(number)d") % {"number": self.number}

    def citation(self) -> str:
        """ "Article 12 (version 3, in force from 2027-01-01)"."""
        version = self.version
        if version.in_force_from:
            return _("Article %(number)d (version %(version)d, in force from %(date)s)") % {
                "number": self.number,
                "version": version.number,
                "date": version.in_force_from.isoformat(),
            }
        return _("Article %(number)d (version %(version)d, %(status)s)") % {
            "number": self.number,
            "version": version.number,
            "status": version.get_status_display().lower(),
        }
