"""Certification of industry–education integration enterprises (产教融合型企业).

An enterprise's admins and staff draft an application — a self-declaration and what the
enterprise invested in education, by year and kind (rows replaced as a whole) — and
submit it. A government department's admins or staff start the review under an open
certification-review entrustment whose scope takes in the enterprise and certification
applications: from then on the association reads the application through the scope
(every read logged) and assesses it. A government admin certifies it for a period, or
refuses it with reasons; a certificate is revoked (with reasons) at any time, and
expires by the daily job once its last day has passed.

draft → submitted → under review → certified or refused; certified → revoked or
expired. Each step checks permission, locks the application row inside the
transaction, checks the status against ``TRANSITIONS`` and tells whom it concerns
after the commit.

Lock order: the entrustment (when a review starts under it), then the application."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, User
from portal import access
from portal.dates import check_date_in_range
from portal.limits import LONG_TEXT, NOTE_TEXT
from portal.notifications import notify
from portal.references import next_reference
from portal.reminders import send_once
from portal.roles import WRITE_ROLES, OrganizationKind, Role
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import (
    DEFAULT_VALIDITY_YEARS,
    MAX_INVESTMENT_ROWS,
    CertificationApplication,
    CertificationStatus,
    DeclaredInvestment,
    Entrustment,
    EntrustmentKind,
    EntrustmentStatus,
)
from ..models.certifications import surtax_credit
from .entrustments import acts_for_department

S = CertificationStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.UNDER_REVIEW}),
    S.UNDER_REVIEW: frozenset({S.CERTIFIED, S.REFUSED}),
    S.CERTIFIED: frozenset({S.REVOKED, S.EXPIRED}),
    S.REFUSED: frozenset(),
    S.EXPIRED: frozenset(),
    S.REVOKED: frozenset(),
}
LABEL = gettext_lazy("A certification application")
REFERENCE_PREFIX = "IEC"  # industry–education integration enterprise certification
SCOPE_KIND = "associations.certificationapplication"
# What a government admin decides; the verb on pages and in the API, and its status.
DECISIONS = {"certify": S.CERTIFIED, "refuse": S.REFUSED, "revoke": S.REVOKED}


# --- who may do what ------------------------------------------------------------------


def drafting_enterprises(user) -> set[int]:
    """The enterprises whose applications the user drafts: admin or staff there."""
    return access.organization_ids(user, WRITE_ROLES, kinds={OrganizationKind.ENTERPRISE})


def can_draft_for(user, enterprise: Organization) -> bool:
    """Admins and staff of an active enterprise (a superuser too)."""
    if enterprise.kind != OrganizationKind.ENTERPRISE or not enterprise.is_active:
        return False
    return bool(getattr(user, "is_superuser", False)) or enterprise.pk in drafting_enterprises(user)


def acts_for_enterprise(user, application: CertificationApplication) -> bool:
    """The enterprise's admins and staff: they draft, change and submit."""
    if getattr(user, "is_superuser", False):
        return True
    return application.enterprise_id in access.organization_ids(user, WRITE_ROLES)


def decides(user) -> bool:
    """A government department's admins (a superuser too): they certify, refuse and
    revoke. Staff prepare the review but do not decide."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(access.organization_ids(user, {Role.ADMIN}, kinds={OrganizationKind.GOVERNMENT}))


def certification_actions(user, application: CertificationApplication) -> set[str]:
    """``edit`` and ``submit`` a draft (the enterprise's admins and staff);
    ``start_review`` a submitted one (government admins and staff); ``certify`` or
    ``refuse`` one under review and ``revoke`` a certificate (government admins)."""
    allowed = TRANSITIONS[application.status]
    actions: set[str] = set()
    if application.status == S.DRAFT and acts_for_enterprise(user, application):
        actions |= {"edit", "submit"}
    if S.UNDER_REVIEW in allowed and access.acts_for_government(user):
        actions.add("start_review")
    if decides(user):
        actions |= {verb for verb, target in DECISIONS.items() if target in allowed}
    return actions


# --- investment rows ------------------------------------------------------------------


def _clean_investments(rows: Iterable[Mapping]) -> list[DeclaredInvestment]:
    """The rows as unsaved ``DeclaredInvestment``s, or a field error on ``investments``
    naming each row's problems (rows counted from 1). A year after this one is not an
    investment made."""
    rows = list(rows)
    if len(rows) > MAX_INVESTMENT_ROWS:
        raise ValidationError(
            {
                "investments": _("At most %(max)d rows; this has %(count)d.")
                % {"max": MAX_INVESTMENT_ROWS, "count": len(rows)}
            }
        )
    this_year = timezone.localdate().year
    cleaned, problems = [], []
    for number, row in enumerate(rows, start=1):
        investment = DeclaredInvestment(
            year=row.get("year"),
            kind=row.get("kind") or "",
            amount=row.get("amount"),
            qualifying=bool(row.get("qualifying", True)),
            description=" ".join(str(row.get("description") or "").split()),
        )
        try:
            investment.full_clean(exclude=["application"])
        except ValidationError as error:
            problems.extend(
                _("Row %(n)d: %(problem)s") % {"n": number, "problem": message}
                for message in error.messages
            )
            continue
        if investment.year > this_year:
            problems.append(
                _("Row %(n)d: %(year)d has not happened yet; declare what was invested.")
                % {"n": number, "year": investment.year}
            )
            continue
        cleaned.append(investment)
    if problems:
        raise ValidationError({"investments": problems})
    return cleaned


def _replace_investments(
    application: CertificationApplication, rows: list[DeclaredInvestment]
) -> None:
    DeclaredInvestment.objects.filter(application_id=application.pk).delete()
    for row in rows:
        row.application = application
    DeclaredInvestment.objects.bulk_create(rows)


def _clean_statement(application: CertificationApplication) -> None:
    application.statement = (application.statement or "").strip()
    if len(application.statement) > LONG_TEXT:
        raise ValidationError({"statement": _("At most %(max)d characters.") % {"max": LONG_TEXT}})


# --- telling people -------------------------------------------------------------------


def _tell_enterprise(application: CertificationApplication, template, body="", roles=None):
    notify(
        recipients=User.objects.acting_for([application.enterprise_id], roles=roles or WRITE_ROLES),
        title=format_lazy(
            template, number=application.number, enterprise=application.enterprise.name
        ),
        body=body,
        url=application.get_absolute_url(),
    )


def _tell_government(application: CertificationApplication, template) -> None:
    departments = Organization.objects.filter(
        kind=OrganizationKind.GOVERNMENT, is_active=True
    ).values_list("pk", flat=True)
    notify(
        recipients=User.objects.acting_for(departments),
        title=format_lazy(
            template, number=application.number, enterprise=application.enterprise.name
        ),
        url=application.get_absolute_url(),
    )


# --- writes ---------------------------------------------------------------------------


def _live_error(enterprise: Organization) -> ValidationError:
    live = (
        CertificationApplication.objects.filter(
            enterprise=enterprise,
            status__in=[S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.CERTIFIED],
        )
        .order_by("-pk")
        .first()
    )
    if live is None:  # pragma: no cover - only when the other one was just removed
        return ValidationError(_("The enterprise already has an application under way."))
    return ValidationError(
        _(
            "%(enterprise)s already has %(number)s (%(status)s): an enterprise has one "
            "application or certificate at a time. Continue that one, or wait until it "
            "is refused, expires or is revoked."
        )
        % {
            "enterprise": enterprise.name,
            "number": live.number,
            "status": live.get_status_display().lower(),
        }
    )


@transaction.atomic
def certification_create(
    *,
    actor,
    enterprise: Organization,
    statement: str = "",
    investments: Iterable[Mapping] = (),
) -> CertificationApplication:
    """Draft an application of an enterprise (its admins and staff), numbered at once;
    only one live application or certificate per enterprise (the database holds it
    too, so two drafted at the same moment leave one)."""
    access.require(
        can_draft_for(actor, enterprise),
        _("Only an enterprise's admins and staff apply for its certification."),
    )
    application = CertificationApplication(enterprise=enterprise, statement=statement)
    _clean_statement(application)
    rows = _clean_investments(investments)
    if CertificationApplication.objects.filter(
        enterprise=enterprise, status__in=[S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.CERTIFIED]
    ).exists():
        raise _live_error(enterprise)
    application.number = next_reference(REFERENCE_PREFIX)
    application.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # another draft of the same enterprise committed first
        raise _live_error(enterprise) from None
    _replace_investments(application, rows)
    return application


@transaction.atomic
def certification_update(
    *,
    actor,
    application: CertificationApplication,
    statement: str | None = None,
    investments: Iterable[Mapping] | None = None,
) -> CertificationApplication:
    """Change a draft: its statement and, when ``investments`` is given, its rows as a
    whole. Anything past a draft never changes (InvalidTransition)."""
    # The lock keeps an edit and a submit from interleaving: nothing is submitted with
    # its rows half replaced, nor changed once submitted.
    application = lock_row(CertificationApplication, application.pk, "enterprise")
    access.require(
        acts_for_enterprise(actor, application),
        _("Only the enterprise's admins and staff change its application."),
    )
    if application.status != S.DRAFT:
        raise InvalidTransition(
            _("Only a draft changes; this application is %(status)s.")
            % {"status": application.get_status_display().lower()}
        )
    if statement is not None:
        application.statement = statement
    _clean_statement(application)
    if investments is not None:
        _replace_investments(application, _clean_investments(investments))
    application.save()
    return application


def _lock(application: CertificationApplication) -> CertificationApplication:
    return lock_row(CertificationApplication, application.pk, "enterprise")


def _check(application: CertificationApplication, target: str) -> None:
    check_transition(application.status, target, TRANSITIONS, label=LABEL, choices=S)


@transaction.atomic
def certification_submit(
    *, actor, application: CertificationApplication
) -> CertificationApplication:
    """Draft → submitted (the enterprise's admins and staff), with a statement and at
    least one investment row; government is told."""
    application = _lock(application)
    access.require(
        acts_for_enterprise(actor, application),
        _("Only the enterprise's admins and staff submit its application."),
    )
    _check(application, S.SUBMITTED)
    errors = {}
    if not application.statement.strip():
        errors["statement"] = _("Write the self-declaration before submitting.")
    if not DeclaredInvestment.objects.filter(application_id=application.pk).exists():
        errors["investments"] = _("Declare at least one investment before submitting.")
    if errors:
        raise ValidationError(errors)
    application.status = S.SUBMITTED
    application.submitted_at = timezone.now()
    application.save()
    _tell_government(
        application,
        gettext_lazy("Certification application {number} of {enterprise}: to review"),
    )
    return application


def review_problem(
    entrustment: Entrustment, application: CertificationApplication, today: date | None = None
) -> str:
    """Why the application cannot be reviewed under the entrustment ("" if it can): a
    certification review, accepted by the association and within its dates, whose scope
    takes in the enterprise and certification applications."""
    today = today or timezone.localdate()
    if entrustment.kind != EntrustmentKind.CERTIFICATION:
        return _("%(title)s is not a certification review (it is a %(kind)s).") % {
            "title": entrustment.title,
            "kind": entrustment.get_kind_display().lower(),
        }
    if entrustment.status != EntrustmentStatus.ACCEPTED:
        return _(
            "%(title)s is %(status)s: reviews start only under an entrustment the "
            "association has accepted."
        ) % {"title": entrustment.title, "status": entrustment.get_status_display().lower()}
    if not entrustment.start_date <= today <= entrustment.end_date:
        return _("%(title)s runs from %(start)s to %(end)s, not today.") % {
            "title": entrustment.title,
            "start": entrustment.start_date.isoformat(),
            "end": entrustment.end_date.isoformat(),
        }
    if SCOPE_KIND not in (entrustment.scope_kinds or ()):
        return _(
            "The scope of %(title)s does not include certification applications: the "
            "association could not read this one."
        ) % {"title": entrustment.title}
    if not entrustment.scope_organizations.filter(pk=application.enterprise_id).exists():
        return _(
            "The scope of %(title)s does not include %(enterprise)s: the association "
            "could not read its application."
        ) % {"title": entrustment.title, "enterprise": application.enterprise.name}
    return ""


def review_entrustments(user, application: CertificationApplication) -> list[Entrustment]:
    """The entrustments the user may name to start the review: certification reviews of
    their departments, accepted, running today, whose scope takes in this enterprise
    and certification applications. One query."""
    today = timezone.localdate()
    entrustments = Entrustment.objects.filter(
        kind=EntrustmentKind.CERTIFICATION,
        status=EntrustmentStatus.ACCEPTED,
        start_date__lte=today,
        end_date__gte=today,
        scope_organizations=application.enterprise_id,
    ).select_related("association")
    if not getattr(user, "is_superuser", False):
        entrustments = entrustments.filter(
            department_id__in=access.organization_ids(
                user, WRITE_ROLES, kinds={OrganizationKind.GOVERNMENT}
            )
        )
    # The kinds are a JSON list: read here, since SQLite has no JSON containment.
    return [
        entrustment
        for entrustment in entrustments.order_by("-start_date", "-pk")
        if SCOPE_KIND in (entrustment.scope_kinds or ())
    ]


@transaction.atomic
def certification_start_review(
    *, actor, application: CertificationApplication, entrustment: Entrustment
) -> CertificationApplication:
    """Submitted → under review (a government department's admins or staff), under a
    certification-review entrustment of their department that the association has
    accepted and whose scope takes in the enterprise and certification applications;
    the association and the enterprise are told."""
    access.require(
        access.acts_for_government(actor),
        _("Only a government department's admins and staff start a review."),
    )
    # The entrustment first (the portal's order): it cannot be cancelled between the
    # check of its scope and the review starting under it.
    entrustment = lock_row(Entrustment, entrustment.pk, "association")
    application = _lock(application)
    _check(application, S.UNDER_REVIEW)
    if not acts_for_department(actor, entrustment):
        raise ValidationError({"entrustment": _("Name an entrustment your own department gave.")})
    problem = review_problem(entrustment, application)
    if problem:
        raise ValidationError({"entrustment": problem})
    application.status = S.UNDER_REVIEW
    application.reviewer = entrustment
    application.review_started_at = timezone.now()
    application.save()
    template = gettext_lazy("Certification application {number} of {enterprise}: review started")
    _tell_enterprise(application, template)
    notify(
        recipients=User.objects.acting_for([entrustment.association_id]),
        title=format_lazy(
            gettext_lazy("To assess: certification application {number} of {enterprise}"),
            number=application.number,
            enterprise=application.enterprise.name,
        ),
        body=entrustment.title,
        url=application.get_absolute_url(),
    )
    return application


def default_validity(valid_from: date) -> date:
    """The last day of ``DEFAULT_VALIDITY_YEARS`` full years from ``valid_from``: the day
    before the anniversary, as memberships end."""
    return valid_from + relativedelta(years=DEFAULT_VALIDITY_YEARS) - timedelta(days=1)


def _clean_validity(
    application: CertificationApplication, valid_from: date | None, valid_until: date | None
) -> tuple[date, date]:
    today = timezone.localdate()
    valid_from = valid_from or today
    check_date_in_range(valid_from, field="valid_from")
    valid_until = valid_until or default_validity(valid_from)
    check_date_in_range(valid_until, field="valid_until")
    submitted = timezone.localdate(application.submitted_at) if application.submitted_at else None
    errors = {}
    if submitted and valid_from < submitted:
        errors["valid_from"] = _(
            "A certificate starts no earlier than its application (%(day)s)."
        ) % {"day": submitted.isoformat()}
    if valid_until <= valid_from:
        errors["valid_until"] = _("The certificate ends after it starts.")
    elif valid_until < today:
        errors["valid_until"] = _("That day has passed: the certificate would be over already.")
    elif valid_until > default_validity(valid_from):
        errors["valid_until"] = _("A certificate lasts at most %(years)d years.") % {
            "years": DEFAULT_VALIDITY_YEARS
        }
    if errors:
        raise ValidationError(errors)
    return valid_from, valid_until


def _require_deciding(actor) -> None:
    access.require(
        decides(actor),
        _("Only a government department's admins certify, refuse or revoke."),
    )


def _require_reasons(reasons: str) -> str:
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons.")})
    if len(reasons) > NOTE_TEXT:
        raise ValidationError({"reasons": _("At most %(max)d characters.") % {"max": NOTE_TEXT}})
    return reasons


@transaction.atomic
def certification_certify(
    *,
    actor,
    application: CertificationApplication,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> CertificationApplication:
    """Under review → certified (a government admin), valid from ``valid_from`` (today
    unless given) until ``valid_until`` (``DEFAULT_VALIDITY_YEARS`` later unless given,
    never longer); the enterprise is told."""
    _require_deciding(actor)
    # The lock makes a certify and a revoke (or a refuse) sent at once follow one
    # another: the second sees the first's status, never a stale one.
    application = _lock(application)
    _check(application, S.CERTIFIED)
    application.valid_from, application.valid_until = _clean_validity(
        application, valid_from, valid_until
    )
    application.status = S.CERTIFIED
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.reasons = ""
    application.save()
    _tell_enterprise(
        application,
        gettext_lazy("{enterprise} is certified: {number}"),
        body=format_lazy(
            gettext_lazy("Valid from {start} until {end}."),
            start=application.valid_from.isoformat(),
            end=application.valid_until.isoformat(),
        ),
    )
    return application


@transaction.atomic
def certification_refuse(
    *, actor, application: CertificationApplication, reasons: str
) -> CertificationApplication:
    """Under review → refused with reasons (a government admin); the enterprise is
    told, and may apply again."""
    _require_deciding(actor)
    reasons = _require_reasons(reasons)
    application = _lock(application)
    _check(application, S.REFUSED)
    application.status = S.REFUSED
    application.reasons = reasons
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.save()
    _tell_enterprise(
        application,
        gettext_lazy("Certification application {number} of {enterprise} refused"),
        body=reasons,
    )
    return application


@transaction.atomic
def certification_revoke(
    *, actor, application: CertificationApplication, reasons: str
) -> CertificationApplication:
    """Certified → revoked with reasons (a government admin), at any time while it is
    in force; the badge goes at once, and the enterprise is told."""
    _require_deciding(actor)
    reasons = _require_reasons(reasons)
    application = _lock(application)
    _check(application, S.REVOKED)
    application.status = S.REVOKED
    application.reasons = reasons
    application.revoked_at = timezone.now()
    application.revoked_by = actor
    application.save()
    _tell_enterprise(
        application,
        gettext_lazy("Certificate {number} of {enterprise} revoked"),
        body=reasons,
    )
    return application


@transaction.atomic
def certification_expire(
    *, application: CertificationApplication, today: date
) -> CertificationApplication | None:
    """Certified → expired once its last day (``valid_until``) has passed: the daily
    job's step, with the enterprise's admins told once. None if it no longer applies
    (revoked meanwhile, say)."""
    application = _lock(application)
    if application.status != S.CERTIFIED or application.valid_until >= today:
        return None
    _check(application, S.EXPIRED)
    application.status = S.EXPIRED
    application.expired_at = timezone.now()
    application.save()
    send_once(
        f"certification:{application.pk}:expired",
        lambda: _tell_enterprise(
            application,
            gettext_lazy("Certificate {number} of {enterprise} has expired"),
            body=format_lazy(
                gettext_lazy("It was valid until {end}. Apply again to be certified anew."),
                end=application.valid_until.isoformat(),
            ),
            roles={Role.ADMIN},
        ),
    )
    return application


# --- reading --------------------------------------------------------------------------


def qualifying_investment(application: CertificationApplication) -> Decimal:
    """The sum of the qualifying rows, to the fen (the annotation when the queryset
    made it; SQLite gives a sum without its decimal places)."""
    total = getattr(application, "qualifying_investment", None)
    if total is None:
        total = sum(
            DeclaredInvestment.objects.filter(
                application_id=application.pk, qualifying=True
            ).values_list("amount", flat=True),
            Decimal("0.00"),
        )
    return Decimal(total).quantize(Decimal("0.01"))


def surtax_credit_of(application: CertificationApplication) -> Decimal:
    return surtax_credit(qualifying_investment(application))
