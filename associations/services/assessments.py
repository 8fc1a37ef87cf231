"""Assessments: an industry association, under a government entrustment, or a government
department directly rates an organization — or one narrower subject of it: a
partnership, a practice base, an agreement's fulfilment, a certification application —
on a weighted rubric, with evidence drawn from the portal's records.

draft → published. The assessor's admins and staff draft and edit (the rubric and the
evidence are replaced whole); publishing needs every criterion scored and fixes the
overall score. From then on the assessment never changes; the assessed organization's
admins and staff are told, read it, and may answer it once (``response_create``).

An association drafts, edits and publishes only while an entrustment of its is open
(accepted, delivered or returned, between its dates) whose scope includes the
organization assessed; the subject and the evidence must be records the drafter sees
(``visible_to``, which includes the reads through the entrustment's scope) and records
of that organization. A record the drafter cannot see is refused exactly as one that
does not exist.

Lock order: the assessment row alone; its criteria, evidence and response are written
under that lock."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, CharField, Q, Value, When
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, User
from portal import access
from portal.limits import parse_id
from portal.notifications import notify
from portal.roles import WRITE_ROLES, OrganizationKind
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import (
    MAX_CRITERIA,
    MAX_EVIDENCE,
    OPEN_STATUSES,
    Assessment,
    AssessmentCriterion,
    AssessmentEvidence,
    AssessmentResponse,
    AssessmentStatus,
    Entrustment,
)

S = AssessmentStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.PUBLISHED}),
    S.PUBLISHED: frozenset(),
}
LABEL = gettext_lazy("An assessment")
FIELDS = ("title", "summary")
ASSESSED_KINDS = (OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE)
# How many records of each kind a page offers as the subject or as evidence (the newest).
CANDIDATES_SHOWN = 200


class SubjectKind(models.TextChoices):
    """What an assessment is of: the organization as a whole, or one narrower record."""

    ORGANIZATION = "organization", gettext_lazy("The organization as a whole")
    PARTNERSHIP = "partnership", gettext_lazy("Partnership")
    PRACTICE_BASE = "practice_base", gettext_lazy("Practice base")
    AGREEMENT = "agreement", gettext_lazy("Agreement's fulfilment")
    CERTIFICATION = "certification", gettext_lazy("Certification application")


class EvidenceKind(models.TextChoices):
    """The kinds of portal record an assessment may rest on, by model label."""

    AGREEMENT = "partnerships.agreement", gettext_lazy("Agreement")
    PARTNERSHIP = "partnerships.partnership", gettext_lazy("Partnership")
    PRACTICE_BASE = "internships.practicebase", gettext_lazy("Practice base")
    PLACEMENT = "internships.placement", gettext_lazy("Internship placement")
    SECONDMENT = "internships.secondment", gettext_lazy("Teacher secondment")
    FUND_APPLICATION = "funding.fundapplication", gettext_lazy("Fund application")
    CERTIFICATION = (
        "associations.certificationapplication",
        gettext_lazy("Certification application"),
    )


# The narrower subjects: the assessment's field, and the model label of its record.
SUBJECT_FIELDS: dict[str, str] = {
    SubjectKind.PARTNERSHIP: "partnerships.partnership",
    SubjectKind.PRACTICE_BASE: "internships.practicebase",
    SubjectKind.AGREEMENT: "partnerships.agreement",
    SubjectKind.CERTIFICATION: "associations.certificationapplication",
}
# What a record's name needs besides its own row (so that naming many costs one query).
NAME_RELATED: dict[str, tuple[str, ...]] = {
    EvidenceKind.SECONDMENT: ("host",),
    EvidenceKind.CERTIFICATION: ("enterprise",),
}


def record_model(label: str) -> type[models.Model]:
    return apps.get_model(label)


# --- the score ------------------------------------------------------------------------

HUNDREDTH = Decimal("0.01")


def rubric_score(criteria: Iterable) -> Decimal | None:
    """Σ(weight × score / highest score) / Σweight × 100, to the hundredth (half up);
    None while a criterion is unscored, or with no criteria.

    Exact: the sum stays a fraction of the Decimal inputs until the one rounding at the
    end, so the score never depends on the order of the rows or on a rounding half-way
    (the page's preview does the same with whole numbers)."""
    criteria = list(criteria)
    if not criteria or any(criterion.score is None for criterion in criteria):
        return None
    weights = sum((Fraction(criterion.weight) for criterion in criteria), Fraction(0))
    if weights <= 0:
        return None
    total = sum(
        (
            Fraction(criterion.weight) * Fraction(criterion.score) / criterion.max_score
            for criterion in criteria
        ),
        Fraction(0),
    )
    hundredths = total / weights * 100 * 100
    rounded = (2 * hundredths.numerator + hundredths.denominator) // (2 * hundredths.denominator)
    return (Decimal(rounded) * HUNDREDTH).quantize(HUNDREDTH)


def scored_count(criteria: Iterable) -> int:
    return sum(1 for criterion in criteria if criterion.score is not None)


# --- who may do what ------------------------------------------------------------------


def assessing_organizations(user) -> list[Organization]:
    """The associations and government departments the user drafts assessments for
    (admin or staff); a superuser, any active one."""
    kinds = (OrganizationKind.ASSOCIATION, OrganizationKind.GOVERNMENT)
    queryset = Organization.objects.filter(kind__in=kinds, is_active=True).order_by("name")
    if getattr(user, "is_superuser", False):
        return list(queryset)
    return list(queryset.filter(pk__in=access.organization_ids(user, WRITE_ROLES, kinds=kinds)))


def can_assess_for(user, assessor: Organization) -> bool:
    if assessor.kind not in (OrganizationKind.ASSOCIATION, OrganizationKind.GOVERNMENT):
        return False
    if not assessor.is_active:
        return False
    return bool(getattr(user, "is_superuser", False)) or assessor.pk in access.organization_ids(
        user, WRITE_ROLES
    )


def can_change_assessment(user, assessment: Assessment) -> bool:
    """The assessor's admins and staff (a superuser too); the assessed organization
    and government read it but never change it."""
    return bool(getattr(user, "is_superuser", False)) or (
        assessment.assessor_id in access.organization_ids(user, WRITE_ROLES)
    )


def acts_for_assessed(user, assessment: Assessment) -> bool:
    """The assessed organization's admins and staff: they answer it."""
    return bool(getattr(user, "is_superuser", False)) or (
        assessment.organization_id in access.organization_ids(user, WRITE_ROLES)
    )


def has_response(assessment: Assessment) -> bool:
    try:
        assessment.response  # noqa: B018 - a select_related or one query
    except AssessmentResponse.DoesNotExist:
        return False
    return True


def assessment_actions(user, assessment: Assessment) -> set[str]:
    """``edit`` and ``publish`` a draft (the assessor's admins and staff, while the
    entrustment it is made under is open); ``respond`` to a published one not yet
    answered (the assessed organization's admins and staff)."""
    actions: set[str] = set()
    if (
        assessment.status == S.DRAFT
        and can_change_assessment(user, assessment)
        and (assessment.entrustment_id is None or _is_open(assessment.entrustment))
    ):
        actions.add("edit")
        if S.PUBLISHED in TRANSITIONS[assessment.status]:
            actions.add("publish")
    if (
        assessment.status == S.PUBLISHED
        and acts_for_assessed(user, assessment)
        and not has_response(assessment)
    ):
        actions.add("respond")
    return actions


def can_attach_to_assessment(user, assessment: Assessment) -> bool:
    """The assessor's admins and staff, while it is a draft: once published, its files
    are part of what was published."""
    return assessment.status == S.DRAFT and can_change_assessment(user, assessment)


def can_attach_to_response(user, response: AssessmentResponse) -> bool:
    """The assessed organization's admins and staff: the response is theirs."""
    return acts_for_assessed(user, response.assessment)


# --- the entrustment an association works under ---------------------------------------


def open_entrustments(assessor: Organization, organization: Organization):
    """The assessor's open entrustments (accepted, delivered or returned, between their
    dates) whose scope includes the organization."""
    today = timezone.localdate()
    return Entrustment.objects.filter(
        association_id=assessor.pk,
        status__in=OPEN_STATUSES,
        start_date__lte=today,
        end_date__gte=today,
        scope_organizations=organization,
    ).order_by("-start_date", "-pk")


def assessable_organizations(user):
    """The organizations the user may assess for one of their organizations: for a
    department, every active college and enterprise; for an association, those in the
    scope of its open entrustments."""
    assessors = assessing_organizations(user)
    queryset = Organization.objects.filter(kind__in=ASSESSED_KINDS, is_active=True)
    if any(assessor.kind == OrganizationKind.GOVERNMENT for assessor in assessors):
        return queryset.order_by("name")
    associations = [assessor.pk for assessor in assessors]
    if not associations:
        return queryset.none()
    today = timezone.localdate()
    scoped = Entrustment.scope_organizations.through.objects.filter(
        entrustment__association_id__in=associations,
        entrustment__status__in=OPEN_STATUSES,
        entrustment__start_date__lte=today,
        entrustment__end_date__gte=today,
    ).values("organization_id")
    return queryset.filter(pk__in=scoped).order_by("name")


def _is_open(entrustment: Entrustment) -> bool:
    today = timezone.localdate()
    return (
        entrustment.status in OPEN_STATUSES
        and entrustment.start_date <= today <= entrustment.end_date
    )


def _clean_parties(
    assessor: Organization, organization: Organization, entrustment: Entrustment | None
) -> Entrustment | None:
    """The entrustment the assessment is made under (None for a department), or field
    errors: an association assesses only under an open entrustment of its whose scope
    includes the organization."""
    if organization.kind not in ASSESSED_KINDS or not organization.is_active:
        raise ValidationError({"organization": _("Choose an active college or enterprise.")})
    if assessor.kind == OrganizationKind.GOVERNMENT:
        if entrustment is not None:
            raise ValidationError(
                {"entrustment": _("A department assesses directly, under no entrustment.")}
            )
        return None
    candidates = open_entrustments(assessor, organization)
    if entrustment is not None:
        if not candidates.filter(pk=entrustment.pk).exists():
            raise ValidationError(
                {
                    "entrustment": _(
                        "Choose an open entrustment of your association whose scope includes "
                        "%(organization)s."
                    )
                    % {"organization": organization.name}
                }
            )
        return entrustment
    found = list(candidates[:2])
    if not found:
        raise ValidationError(
            {
                "organization": _(
                    "Your association assesses an organization only under an open entrustment "
                    "whose scope includes it; none includes %(organization)s."
                )
                % {"organization": organization.name}
            }
        )
    if len(found) > 1:
        raise ValidationError(
            {"entrustment": _("Several open entrustments include it: choose the one.")}
        )
    return found[0]


def _require_open_entrustment(assessment: Assessment) -> None:
    """An association's draft changes and is published only while its entrustment is
    still open."""
    if assessment.entrustment_id is None:
        return
    entrustment = Entrustment.objects.get(pk=assessment.entrustment_id)
    if not _is_open(entrustment):
        raise ValidationError(
            {
                "entrustment": _(
                    "The entrustment “%(title)s” is no longer open: the association's "
                    "assessments under it no longer change."
                )
                % {"title": entrustment.title}
            }
        )


# --- the subject ----------------------------------------------------------------------


def subject_kind(assessment: Assessment) -> str:
    """Which subject the assessment is of (no query: the ids are on its row)."""
    for kind in SUBJECT_FIELDS:
        if getattr(assessment, f"{kind}_id") is not None:
            return kind
    return SubjectKind.ORGANIZATION


def subject_record(assessment: Assessment):
    """The narrower subject's record, or None for the organization as a whole."""
    kind = subject_kind(assessment)
    return None if kind == SubjectKind.ORGANIZATION else getattr(assessment, kind)


def with_subject_kind(queryset):
    """Each assessment with ``subject_kind`` from the database, to sort a list by it."""
    return queryset.annotate(
        subject_kind=Case(
            *(When(**{f"{kind}__isnull": False}, then=Value(str(kind))) for kind in SUBJECT_FIELDS),
            default=Value(str(SubjectKind.ORGANIZATION)),
            output_field=CharField(),
        )
    )


def subject_condition(kind: str) -> Q:
    """The assessments of one kind of subject."""
    if kind == SubjectKind.ORGANIZATION:
        return Q(**{f"{name}__isnull": True for name in SUBJECT_FIELDS})
    return Q(**{f"{kind}__isnull": False})


def _belongs_condition(kind: str, organization_id: int) -> Q:
    """The records of a kind of subject that are the organization's: a partnership it
    leads or is a member of, a practice base it hosts, an agreement it is a party to,
    its certification application."""
    return {
        SubjectKind.PARTNERSHIP: Q(lead_id=organization_id)
        | Q(members__organization_id=organization_id),
        SubjectKind.PRACTICE_BASE: Q(host_id=organization_id),
        SubjectKind.AGREEMENT: Q(parties__organization_id=organization_id),
        SubjectKind.CERTIFICATION: Q(enterprise_id=organization_id),
    }[kind]


def subject_candidates(user, organization: Organization) -> dict[str, list]:
    """The records the user sees that may be the subject of an assessment of the
    organization, by kind of subject: one query per kind, newest first, at most
    CANDIDATES_SHOWN of each."""
    found = {}
    for kind, label in SUBJECT_FIELDS.items():
        model = record_model(label)
        mine = model._default_manager.filter(_belongs_condition(kind, organization.pk))
        found[kind] = list(
            model._default_manager.visible_to(user)
            .filter(pk__in=mine.values("pk"))
            .select_related(*NAME_RELATED.get(label, ()))
            .order_by("-pk")[:CANDIDATES_SHOWN]
        )
    return found


def _clean_subject(actor, organization: Organization, subjects: Mapping) -> None:
    """Each subject given must be a record the actor sees (else it reads as missing)
    and one of the organization's."""
    errors: dict[str, list[str]] = {}
    given = {kind: record for kind, record in subjects.items() if record is not None}
    if len(given) > 1:
        raise ValidationError(_("An assessment has at most one subject besides the organization."))
    for kind, record in given.items():
        model = record_model(SUBJECT_FIELDS[kind])
        if not isinstance(record, model):
            errors[kind] = [_("No such record, or not one you can see.")]
            continue
        visible = model._default_manager.visible_to(actor).filter(pk=record.pk)
        if not visible.exists():
            errors[kind] = [_("No such record, or not one you can see.")]
        elif not visible.filter(
            pk__in=model._default_manager.filter(_belongs_condition(kind, organization.pk)).values(
                "pk"
            )
        ).exists():
            errors[kind] = [
                _("%(record)s is not one of %(organization)s's: choose one of its own.")
                % {"record": record, "organization": organization.name}
            ]
    if errors:
        raise ValidationError(errors)


# --- the rubric -----------------------------------------------------------------------


def _text(value) -> str:
    return str(value if value is not None else "").strip()


def _clean_criteria(rows: Iterable[Mapping]) -> list[AssessmentCriterion]:
    """The rubric as unsaved rows, or one error naming each bad row: a name, a weight
    from 0.01 to 100, a highest score from 1 to 100, a score (if given) from 0 to the
    highest; at most MAX_CRITERIA rows."""
    rows = list(rows)
    if len(rows) > MAX_CRITERIA:
        raise ValidationError({"criteria": _("At most %(max)d criteria.") % {"max": MAX_CRITERIA}})
    cleaned, errors = [], []
    for index, row in enumerate(rows):
        criterion = AssessmentCriterion(
            name=" ".join(_text(row.get("name")).split()),
            weight=row.get("weight"),
            max_score=row.get("max_score") if row.get("max_score") is not None else 10,
            score=row.get("score"),
            comment=_text(row.get("comment")),
            position=index,
        )
        try:
            criterion.full_clean(exclude=["assessment"])
        except ValidationError as error:
            errors.extend(
                _("Criterion %(n)d: %(problem)s") % {"n": index + 1, "problem": message}
                for message in error.messages
            )
            continue
        if criterion.score is not None and criterion.score > criterion.max_score:
            errors.append(
                _("Criterion %(n)d: the score is at most the highest score, %(max)d.")
                % {"n": index + 1, "max": criterion.max_score}
            )
            continue
        cleaned.append(criterion)
    if errors:
        raise ValidationError({"criteria": errors})
    return cleaned


def _replace_criteria(assessment: Assessment, rows: list[AssessmentCriterion]) -> None:
    AssessmentCriterion.objects.filter(assessment_id=assessment.pk).delete()
    for row in rows:
        row.assessment = assessment
    AssessmentCriterion.objects.bulk_create(rows)


# --- the evidence ---------------------------------------------------------------------


def evidence_queryset(user, label: str, organization_id: int):
    """The user's visible records of one kind that are the organization's."""
    model = record_model(label)
    return (
        model._default_manager.visible_to(user)
        .for_organizations([organization_id])
        .select_related(*NAME_RELATED.get(label, ()))
    )


def evidence_candidates(user, organization: Organization) -> dict[str, list]:
    """The records the user may cite as evidence in an assessment of the organization,
    by kind: one query per kind, newest first, at most CANDIDATES_SHOWN of each."""
    return {
        kind: list(
            evidence_queryset(user, kind, organization.pk).order_by("-pk")[:CANDIDATES_SHOWN]
        )
        for kind in EvidenceKind.values
    }


def _clean_evidence(actor, organization: Organization, rows: Iterable[Mapping]) -> list:
    """The evidence as unsaved rows with each record's name as the actor sees it now;
    a record the actor cannot see, or not the organization's, is refused as missing.
    The same record twice counts once. One query per kind of record."""
    rows = list(rows)
    if len(rows) > MAX_EVIDENCE:
        raise ValidationError(
            {"evidence": _("At most %(max)d records of evidence.") % {"max": MAX_EVIDENCE}}
        )
    errors: list[str] = []
    wanted: dict[tuple[str, int], str] = {}
    for index, row in enumerate(rows):
        kind = _text(row.get("record_kind"))
        record_id = parse_id(row.get("record_id"))
        note = _text(row.get("note"))
        if kind not in EvidenceKind.values:
            errors.append(
                _("Evidence %(n)d: choose among the kinds of record listed.") % {"n": index + 1}
            )
        elif record_id is None:
            errors.append(
                _("Evidence %(n)d: give the record's id, a whole number.") % {"n": index + 1}
            )
        elif len(note) > 500:
            errors.append(
                _("Evidence %(n)d: a note has at most 500 characters.") % {"n": index + 1}
            )
        else:
            wanted.setdefault((kind, record_id), note)
    if errors:
        raise ValidationError({"evidence": errors})
    by_kind: dict[str, list[int]] = {}
    for kind, record_id in wanted:
        by_kind.setdefault(kind, []).append(record_id)
    found: dict[tuple[str, int], models.Model] = {}
    for kind, ids in by_kind.items():
        for record in evidence_queryset(actor, kind, organization.pk).filter(pk__in=ids):
            found[(kind, record.pk)] = record
    # Naming a record as evidence reads it (its name is kept): logged like any read
    # through an entrustment's scope.
    access.note_reads(actor, list(found.values()))
    missing = [key for key in wanted if key not in found]
    if missing:
        raise ValidationError(
            {
                "evidence": [
                    _(
                        "%(kind)s #%(id)d: no such record of %(organization)s, "
                        "or not one you can see."
                    )
                    % {
                        "kind": EvidenceKind(kind).label,
                        "id": record_id,
                        "organization": organization.name,
                    }
                    for kind, record_id in missing
                ]
            }
        )
    return [
        AssessmentEvidence(
            record_kind=kind,
            record_id=record_id,
            record_name=str(found[(kind, record_id)])[:255],
            note=note,
        )
        for (kind, record_id), note in wanted.items()
    ]


def _replace_evidence(assessment: Assessment, rows: list[AssessmentEvidence]) -> None:
    AssessmentEvidence.objects.filter(assessment_id=assessment.pk).delete()
    for row in rows:
        row.assessment = assessment
    AssessmentEvidence.objects.bulk_create(rows)


@dataclass(frozen=True)
class EvidenceLink:
    """A row of evidence as a reader sees it: linked only if they see the record."""

    evidence: AssessmentEvidence
    kind_label: str
    url: str


def evidence_links(user, rows: Iterable[AssessmentEvidence]) -> list[EvidenceLink]:
    """The evidence with a link to each record the user sees (one query per kind of
    record cited), and the name as the assessor saw it for the others."""
    rows = list(rows)
    by_kind: dict[str, set[int]] = {}
    for row in rows:
        if row.record_kind in EvidenceKind.values:
            by_kind.setdefault(row.record_kind, set()).add(row.record_id)
    seen: dict[str, dict[int, models.Model]] = {}
    for kind, ids in by_kind.items():
        model = record_model(kind)
        seen[kind] = {
            record.pk: record
            for record in model._default_manager.visible_to(user).filter(pk__in=ids).only("pk")
        }
    links = []
    for row in rows:
        record = seen.get(row.record_kind, {}).get(row.record_id)
        label = (
            EvidenceKind(row.record_kind).label
            if row.record_kind in EvidenceKind.values
            else row.record_kind
        )
        links.append(EvidenceLink(row, str(label), record_url(record)))
    return links


def record_url(record) -> str:
    """A record's page, or "" when it has none (yet)."""
    if record is None:
        return ""
    try:
        return record.get_absolute_url()
    except NoReverseMatch:  # a kind whose pages are not installed: named, not linked
        return ""


# --- writes ---------------------------------------------------------------------------


def _clean_assessment(assessment: Assessment) -> None:
    assessment.title = " ".join(_text(assessment.title).split())
    assessment.summary = _text(assessment.summary)
    assessment.full_clean(exclude=["created_by", "score"], validate_constraints=False)


@transaction.atomic
def assessment_create(
    *,
    actor,
    assessor: Organization,
    organization: Organization,
    entrustment: Entrustment | None = None,
    criteria: Iterable[Mapping] = (),
    evidence: Iterable[Mapping] = (),
    partnership=None,
    practice_base=None,
    agreement=None,
    certification=None,
    **fields,
) -> Assessment:
    """Draft an assessment (the assessor's admins and staff): an association's under an
    open entrustment whose scope includes the organization, a department's directly;
    with at most one narrower subject, the rubric and the evidence if given."""
    access.require(
        can_assess_for(actor, assessor),
        _("Only an association's or a department's admins and staff draft its assessments."),
    )
    entrustment = _clean_parties(assessor, organization, entrustment)
    subjects = {
        SubjectKind.PARTNERSHIP: partnership,
        SubjectKind.PRACTICE_BASE: practice_base,
        SubjectKind.AGREEMENT: agreement,
        SubjectKind.CERTIFICATION: certification,
    }
    _clean_subject(actor, organization, subjects)
    assessment = Assessment(
        assessor=assessor,
        organization=organization,
        entrustment=entrustment,
        created_by=actor if getattr(actor, "pk", None) else None,
        **{str(kind): record for kind, record in subjects.items()},
        **{key: fields[key] for key in FIELDS if key in fields},
    )
    _clean_assessment(assessment)
    rows = _clean_criteria(criteria)
    cited = _clean_evidence(actor, organization, evidence)
    assessment.save()
    _replace_criteria(assessment, rows)
    _replace_evidence(assessment, cited)
    return assessment


@transaction.atomic
def assessment_update(
    *,
    actor,
    assessment: Assessment,
    criteria: Iterable[Mapping] | None = None,
    evidence: Iterable[Mapping] | None = None,
    **fields,
) -> Assessment:
    """Change a draft (the assessor's admins and staff): its title, summary and subject
    (each subject named replaces that one; set the others to None to move to another),
    and, when given, the rubric or the evidence as a whole. A published assessment never
    changes (InvalidTransition)."""
    # The lock keeps an edit and a publish from interleaving: an assessment is never
    # published with its rubric half replaced, nor changed after it was published.
    assessment = lock_row(Assessment, assessment.pk, "assessor", "organization")
    access.require(
        can_change_assessment(actor, assessment),
        _("Only the assessor's admins and staff change its assessments."),
    )
    if assessment.status != S.DRAFT:
        raise InvalidTransition(_("A published assessment never changes."))
    _require_open_entrustment(assessment)
    for key in FIELDS:
        if key in fields:
            setattr(assessment, key, fields[key])
    changed = {kind: fields[kind] for kind in SUBJECT_FIELDS if kind in fields}
    if changed:
        _clean_subject(actor, assessment.organization, changed)
        for kind, record in changed.items():
            setattr(assessment, kind, record)
        if sum(1 for kind in SUBJECT_FIELDS if getattr(assessment, f"{kind}_id")) > 1:
            raise ValidationError(
                _(
                    "An assessment has at most one subject besides the organization: "
                    "clear the other one."
                )
            )
    _clean_assessment(assessment)
    rows = _clean_criteria(criteria) if criteria is not None else None
    cited = (
        _clean_evidence(actor, assessment.organization, evidence) if evidence is not None else None
    )
    assessment.save()
    if rows is not None:
        _replace_criteria(assessment, rows)
    if cited is not None:
        _replace_evidence(assessment, cited)
    return assessment


@transaction.atomic
def assessment_publish(*, actor, assessment: Assessment) -> Assessment:
    """Draft → published, once every criterion is scored: the score is fixed, the
    assessment never changes again, and the assessed organization's admins and staff
    are told."""
    assessment = lock_row(Assessment, assessment.pk, "assessor", "organization")
    access.require(
        can_change_assessment(actor, assessment),
        _("Only the assessor's admins and staff publish its assessments."),
    )
    check_transition(assessment.status, S.PUBLISHED, TRANSITIONS, label=LABEL, choices=S)
    _require_open_entrustment(assessment)
    criteria = list(AssessmentCriterion.objects.filter(assessment_id=assessment.pk))
    if not criteria:
        raise ValidationError({"criteria": _("Give the rubric at least one criterion first.")})
    unscored = [criterion.name for criterion in criteria if criterion.score is None]
    if unscored:
        raise ValidationError(
            {
                "criteria": _("Score every criterion before publishing: %(names)s.")
                % {"names": ", ".join(unscored)}
            }
        )
    assessment.score = rubric_score(criteria)
    assessment.status = S.PUBLISHED
    assessment.published_at = timezone.now()
    assessment.save()
    notify(
        recipients=User.objects.acting_for([assessment.organization_id]),
        title=format_lazy(
            gettext_lazy("Assessment of {organization} published: {title}"),
            organization=assessment.organization.name,
            title=assessment.title,
        ),
        body=format_lazy(
            gettext_lazy("{assessor} scored it {score} of 100. You may answer it on its page."),
            assessor=assessment.assessor.name,
            score=assessment.score,
        ),
        url=assessment.get_absolute_url(),
    )
    return assessment


@transaction.atomic
def response_create(*, actor, assessment: Assessment, text: str) -> AssessmentResponse:
    """The assessed organization's one answer to a published assessment (its admins and
    staff); the assessor's admins and staff are told. Files go on the response's page."""
    # Under the assessment's lock two answers sent at once are one answer and a refusal.
    assessment = lock_row(Assessment, assessment.pk, "assessor", "organization")
    access.require(
        acts_for_assessed(actor, assessment),
        _("Only the assessed organization's admins and staff answer an assessment."),
    )
    if assessment.status != S.PUBLISHED:
        raise InvalidTransition(_("Only a published assessment is answered."))
    if AssessmentResponse.objects.filter(assessment_id=assessment.pk).exists():
        raise ValidationError(_("This assessment has been answered already: one response each."))
    response = AssessmentResponse(
        assessment=assessment,
        text=_text(text),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    response.full_clean(exclude=["created_by", "assessment"])
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as error:  # only without the lock, say a direct call
        raise ValidationError(_("This assessment has been answered already.")) from error
    notify(
        recipients=User.objects.acting_for([assessment.assessor_id]),
        title=format_lazy(
            gettext_lazy("{organization} answered your assessment: {title}"),
            organization=assessment.organization.name,
            title=assessment.title,
        ),
        body=response.text[:500],
        url=response.get_absolute_url(),
    )
    return response
