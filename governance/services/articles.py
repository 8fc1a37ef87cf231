"""Articles of association: a body's admins draft a version (a copy of the one in force,
or a first one), edit its numbered articles, and propose it; a resolution adopts it
(``version_adopt``, called by closing the vote) and it comes into force on its date,
superseding the version before. An adopted version never changes.

Locks: the articles (the document) before its versions, each step locking before it
reads what it writes. A resolution that adopts a version is locked before them (it is
closing that adopts).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, OrganizationKind
from partnerships.models import Partnership
from portal import access
from portal.text_diff import Segment
from portal.text_diff import word_diff as _segments
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import MAX_ARTICLES, Article, Articles, ArticleVersion, VersionStatus
from .rules import VERSION_TRANSITIONS, can_manage_body

LABEL = gettext_lazy("An article version")


def _check(version: ArticleVersion, target: str) -> None:
    check_transition(
        version.status, target, VERSION_TRANSITIONS, label=LABEL, choices=VersionStatus
    )


@transaction.atomic
def articles_create(
    *,
    actor,
    title: str,
    organization: Organization | None = None,
    partnership: Partnership | None = None,
) -> Articles:
    """Start a body's articles of association (its admins): a college, or a partnership
    (an industry college's, an alliance's). Its first version is drafted next."""
    if (organization is None) == (partnership is None):
        raise ValidationError({"organization": _("Name the college or the partnership.")})
    if organization is not None and organization.kind != OrganizationKind.COLLEGE:
        raise ValidationError({"organization": _("Articles of association are a college's.")})
    document = Articles(title=title, organization=organization, partnership=partnership)
    access.require(can_manage_body(actor, document))
    document.full_clean()
    document.save()
    return document


def _lock_version(version: ArticleVersion) -> ArticleVersion:
    """Lock the document, then the version (the portal's order)."""
    document_id = (
        ArticleVersion.objects.filter(pk=version.pk).values_list("document_id", flat=True).get()
    )
    lock_row(Articles, document_id)
    return lock_row(ArticleVersion, version.pk, "document")


def in_force(document: Articles) -> ArticleVersion | None:
    return document.versions.filter(status=VersionStatus.IN_FORCE).first()


@transaction.atomic
def version_create(*, actor, document: Articles, summary: str = "") -> ArticleVersion:
    """Draft the next version, starting from a copy of the articles in force (or empty,
    for the first)."""
    document = lock_row(Articles, document.pk, "organization", "partnership")
    access.require(can_manage_body(actor, document))
    number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ArticleVersion(document=document, number=number, summary=summary, created_by=actor)
    version.full_clean()
    version.save()
    current = in_force(document)
    if current is not None:
        Article.objects.bulk_create(
            Article(
                version=version,
                chapter=article.chapter,
                number=article.number,
                heading=article.heading,
                text=article.text,
            )
            for article in current.articles.all()
        )
    return version


def _require_draft(version: ArticleVersion) -> None:
    if not version.editable:
        raise InvalidTransition(
            _("Only a draft version can be changed; version %(number)d is %(status)s.")
            % {"number": version.number, "status": version.get_status_display().lower()}
        )


@transaction.atomic
def version_update(*, actor, version: ArticleVersion, **fields) -> ArticleVersion:
    """Change a draft's summary or the date it is meant to come into force."""
    version = _lock_version(version)
    access.require(can_manage_body(actor, version.document))
    _require_draft(version)
    for name in ("summary", "in_force_from"):
        if name in fields:
            setattr(version, name, fields[name])
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def article_save(
    *,
    actor,
    version: ArticleVersion,
    number: int,
    text: str,
    chapter: str = "",
    heading: str = "",
) -> Article:
    """Write article ``number`` of a draft (a new one, or a change to it)."""
    version = _lock_version(version)
    access.require(can_manage_body(actor, version.document))
    _require_draft(version)
    article = version.articles.filter(number=number).first() or Article(
        version=version, number=number
    )
    if article.pk is None and version.articles.count() >= MAX_ARTICLES:
        raise ValidationError(
            {"number": _("At most %(count)d articles.") % {"count": MAX_ARTICLES}}
        )
    article.chapter, article.heading, article.text = chapter, heading, text
    article.full_clean(exclude=["version"])
    article.save()
    return article


@transaction.atomic
def article_delete(*, actor, version: ArticleVersion, number: int) -> None:
    version = _lock_version(version)
    access.require(can_manage_body(actor, version.document))
    _require_draft(version)
    deleted, _detail = version.articles.filter(number=number).delete()
    if not deleted:
        raise ValidationError({"number": _("This version has no article %(n)d.") % {"n": number}})


@transaction.atomic
def version_propose(*, actor, version: ArticleVersion) -> ArticleVersion:
    """Draft → proposed: its text is put to the board (a resolution adopts it)."""
    version = _lock_version(version)
    _check(version, VersionStatus.PROPOSED)
    access.require(can_manage_body(actor, version.document))
    if not version.articles.exists():
        raise ValidationError({"articles": _("A version needs at least one article.")})
    version.status = VersionStatus.PROPOSED
    version.proposed_at = timezone.now()
    version.save()
    return version


@transaction.atomic
def version_reopen(*, actor, version: ArticleVersion) -> ArticleVersion:
    """Proposed → draft, to change it again (not while a vote on it is open)."""
    version = _lock_version(version)
    _check(version, VersionStatus.DRAFT)
    access.require(can_manage_body(actor, version.document))
    if version.resolutions.filter(status="voting").exists():
        raise InvalidTransition(_("A vote on this version is open: close it first."))
    version.status = VersionStatus.DRAFT
    version.proposed_at = None
    version.save()
    return version


@transaction.atomic
def version_withdraw(*, actor, version: ArticleVersion) -> ArticleVersion:
    version = _lock_version(version)
    _check(version, VersionStatus.WITHDRAWN)
    access.require(can_manage_body(actor, version.document))
    if version.resolutions.filter(status="voting").exists():
        raise InvalidTransition(_("A vote on this version is open: close it first."))
    version.status = VersionStatus.WITHDRAWN
    version.save()
    return version


def _put_in_force(document: Articles, version: ArticleVersion) -> None:
    """The version comes into force; the one in force before is superseded. The caller
    holds the document's lock."""
    current = (
        ArticleVersion.objects.select_for_update(of=("self",))
        .filter(document_id=document.pk, status=VersionStatus.IN_FORCE)
        .exclude(pk=version.pk)
        .first()
    )
    if current is not None:
        _check(current, VersionStatus.SUPERSEDED)
        current.status = VersionStatus.SUPERSEDED
        current.save()
    _check(version, VersionStatus.IN_FORCE)
    version.status = VersionStatus.IN_FORCE
    version.save()


@transaction.atomic
def version_adopt(*, resolution, version: ArticleVersion) -> ArticleVersion:
    """Proposed → adopted by a passed resolution (called by closing the vote, in its
    transaction): the version is fixed for good, and in force at once when its date
    has come (today if it named none); otherwise on its date (``versions_come_into_force``)."""
    version = _lock_version(version)
    _check(version, VersionStatus.ADOPTED)
    version.status = VersionStatus.ADOPTED
    version.adopted_at = timezone.now()
    version.adopted_by = resolution
    version.in_force_from = version.in_force_from or timezone.localdate()
    version.save()
    if version.in_force_from <= timezone.localdate():
        _put_in_force_unless_overtaken(version)
    return version


def _put_in_force_unless_overtaken(version: ArticleVersion) -> bool:
    """In force, unless a later version already is: then this one was overtaken (two
    amendments passed at once, or a later one came into force first) and is superseded
    at once; the later version stays. The caller holds the document's lock."""
    newer_in_force = version.document.versions.filter(
        status=VersionStatus.IN_FORCE, number__gt=version.number
    ).exists()
    if newer_in_force:
        _check(version, VersionStatus.SUPERSEDED)
        version.status = VersionStatus.SUPERSEDED
        version.save()
        return False
    _put_in_force(version.document, version)
    return True


def versions_come_into_force(today) -> int:
    """Adopted versions whose date has come go into force (the daily run); each in its
    own transaction, under its document's lock. Returns how many."""
    done = 0
    due = ArticleVersion.objects.filter(
        status=VersionStatus.ADOPTED, in_force_from__lte=today
    ).order_by("in_force_from", "number")
    for version_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            version = _lock_version(ArticleVersion(pk=version_id))
            if version.status != VersionStatus.ADOPTED:
                continue  # another run got there first
            done += _put_in_force_unless_overtaken(version)
    return done


# --- comparing two versions --------------------------------------------------------


@dataclass(frozen=True)
class ArticleChange:
    number: int
    change: str  # "same", "added", "removed" or "changed"
    left: Article | None
    right: Article | None
    segments: list[Segment]


def _full_text(article: Article) -> str:
    return "\n".join(part for part in (article.chapter, article.heading, article.text) if part)


def version_diff(left: ArticleVersion, right: ArticleVersion) -> list[ArticleChange]:
    """The two versions side by side, article by article (by number): each added,
    removed, changed (with the words added and removed marked) or the same. Two
    queries, whatever the number of articles."""
    if left.document_id != right.document_id:
        raise ValidationError({"against": _("Compare two versions of the same articles.")})
    before = {article.number: article for article in left.articles.all()}
    after = {article.number: article for article in right.articles.all()}
    changes = []
    for number in sorted(before.keys() | after.keys()):
        old, new = before.get(number), after.get(number)
        if old is None:
            changes.append(
                ArticleChange(number, "added", None, new, [Segment("added", _full_text(new))])
            )
        elif new is None:
            changes.append(
                ArticleChange(number, "removed", old, None, [Segment("removed", _full_text(old))])
            )
        else:
            old_text, new_text = _full_text(old), _full_text(new)
            if old_text == new_text:
                changes.append(ArticleChange(number, "same", old, new, [Segment("same", new_text)]))
            else:
                changes.append(
                    ArticleChange(number, "changed", old, new, _segments(old_text, new_text))
                )
    return changes
