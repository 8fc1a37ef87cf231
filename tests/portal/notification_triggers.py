"""One action per kind of notification, on the demo data (``seed_demo``): each makes a
``notify(...)`` call of the portal fire at least once. A reminder sent by a nightly job
is sent here by the job's own function for that one record.

Used by ``test_notification_language``; a new ``notify(...)`` needs a trigger here (the
test lists the calls no trigger made fire).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from accounts import services as accounts_services
from accounts.models import Organization, Role, User


def user(username: str) -> User:
    return User.objects.get(username=username)


def org(name_start: str) -> Organization:
    return Organization.objects.get(name__startswith=name_start)


def today():
    return timezone.localdate()


# --- partnerships ---------------------------------------------------------------------


def agreement_signed_by_all():
    from partnerships import services
    from partnerships.models import Agreement

    agreement = Agreement.objects.get(status="negotiating", parties__signed_at__isnull=False)
    services.agreement_sign(
        actor=user("college"),
        agreement=agreement,
        organization=org("Riverside"),
        signatory_title="President",
        place="Hangzhou",
    )


def agreement_sent_signed_and_changed():
    from partnerships import services
    from partnerships.models import Agreement

    agreement = Agreement.objects.filter(status="draft", clauses__isnull=False).distinct().get()
    services.agreement_send(actor=user("college2"), agreement=agreement)
    services.agreement_sign(
        actor=user("enterprise"),
        agreement=agreement,
        organization=org("Huaxin"),
        signatory_title="General manager",
        place="Hangzhou",
    )
    services.agreement_update_terms(
        actor=user("college2"), agreement=agreement, summary="Two sensors instead of one."
    )


def clause_fulfilled_confirmed_and_breached():
    from partnerships import services
    from partnerships.models import Clause

    responsibilities = Clause.objects.filter(
        agreement__status="active", kind="responsibility", status="open"
    ).order_by("pk")
    huaxins = responsibilities.filter(party__organization=org("Huaxin")).first()
    bureaus = responsibilities.filter(party__organization=org("Municipal")).first()
    services.clause_fulfil(
        actor=user("enterprise"), clause=huaxins, evidence="The register of 40 placements."
    )
    services.clause_confirm(actor=user("college"), clause=Clause.objects.get(pk=huaxins.pk))
    services.clause_breach(actor=user("enterprise"), clause=bureaus, note="Nothing was paid.")
    claimed = Clause.objects.get(agreement__status="active", status="claimed")
    services.clause_dispute(actor=user("enterprise"), clause=claimed, reason="No register.")


def clause_reminded():
    from partnerships.models import Clause
    from partnerships.services import daily

    clause = Clause.objects.filter(agreement__status="active").order_by("pk").first()
    if clause.due_date is None:
        Clause.objects.filter(pk=clause.pk).update(due_date=today() - timedelta(days=3))
        clause.refresh_from_db()
    daily._remind_clause(clause, overdue=True)
    daily._remind_expiry(clause.agreement, 30)


def agreement_terminated():
    from partnerships import services
    from partnerships.models import Agreement

    services.agreement_terminate(
        actor=user("college"),
        agreement=Agreement.objects.get(status="active"),
        reason="The industry college closes.",
    )


def agreement_expired():
    from partnerships import services
    from partnerships.models import Agreement

    agreement = Agreement.objects.filter(status="signed").order_by("pk").first()
    services.agreement_expire(agreement=agreement, today=agreement.expiry_date + timedelta(days=1))


def partnership_member_added():
    from partnerships import services
    from partnerships.models import Partnership

    partnership = Partnership.objects.get(status="active", lead=org("Riverside"))
    services.partnership_add_member(
        actor=user("college"), partnership=partnership, organization=org("Lanting")
    )


# --- internships ----------------------------------------------------------------------


def secondment_recorded():
    from internships import services
    from tests.internships.secondments import secondment_fields

    services.secondment_create(
        actor=user("college"),
        college=org("Riverside"),
        host=org("Huaxin"),
        **secondment_fields(teacher_number="T9001"),
    )


def practice_base_suspended():
    from internships import services
    from internships.models import PracticeBase

    services.practice_base_change_status(
        actor=user("enterprise"),
        practice_base=PracticeBase.objects.get(status="active"),
        status="suspended",
    )


def nomination_shortlisted():
    from internships import services
    from internships.models import Nomination

    nomination = Nomination.objects.filter(
        status="nominated", placement__host=org("Lanting")
    ).first()
    services.nomination_move(actor=user("enterprise2"), nomination=nomination, verb="shortlist")


def placement_published_and_cancelled():
    from internships import services
    from internships.models import Placement
    from tests.internships.helpers import make_placement

    placement = make_placement(
        org("Huaxin"),
        org("Riverside"),
        title="Welding assistant",
        guide_name="Chen Gang",
        start_date=today() + timedelta(days=60),
        end_date=today() + timedelta(days=150),
    )
    services.placement_publish(actor=user("enterprise"), placement=placement)
    services.placement_cancel(
        actor=user("enterprise"),
        placement=Placement.objects.get(pk=placement.pk),
        reason="The workshop is being rebuilt.",
    )


def internship_reminders():
    from internships import compliance, jobs
    from internships.models import Nomination

    accepted = Nomination.objects.filter(status="accepted").order_by("pk")
    nomination = next(n for n in accepted if compliance.missing_gates(n))
    jobs._remind_gates(nomination, compliance.missing_gates(nomination))
    started = Nomination.objects.filter(status="started").first()
    jobs._remind_evaluation(started, "guide")
    jobs._remind_evaluation(started, "teacher")


# --- governance -----------------------------------------------------------------------


def governance_reminders_and_changes():
    from governance import jobs
    from governance.models import BoardMember, Meeting, Resolution
    from governance.services import boards, meetings, resolutions

    scheduled = Meeting.objects.filter(status="scheduled").order_by("starts_at").first()
    jobs._remind_meeting(scheduled)
    voting = Resolution.objects.filter(status="voting").order_by("pk").first()
    jobs._remind_voting(voting)
    resolutions.resolution_close_voting(actor=user("college"), resolution=voting)
    draft = Resolution.objects.filter(status="draft").order_by("pk").first()
    resolutions.resolution_open_voting(actor=user("college"), resolution=draft)
    resolutions.resolution_withdraw(
        actor=user("college"), resolution=Resolution.objects.get(pk=draft.pk)
    )
    Meeting.objects.filter(pk=scheduled.pk).update(status="held")
    held = Meeting.objects.get(pk=scheduled.pk)
    meetings.meeting_record_minutes(actor=user("college"), meeting=held, minutes="Agreed.")
    meetings.meeting_approve_minutes(actor=user("college"), meeting=Meeting.objects.get(pk=held.pk))
    seat = BoardMember.objects.filter(user=user("enterprise"), left_on__isnull=True).first()
    boards.member_leave(actor=user("college"), member=seat)


# --- associations ---------------------------------------------------------------------


def association_reminders():
    from associations import jobs
    from associations.models import AssociationMembership, CertificationApplication, Deliverable

    membership = AssociationMembership.objects.order_by("pk").first()
    jobs._remind_ending(membership)
    jobs._tell_lapsed(membership)
    deliverable = Deliverable.objects.filter(entrustment__status="accepted").first()
    jobs._remind_deliverable(deliverable, 7)
    application = CertificationApplication.objects.first()
    application.valid_until = today() + timedelta(days=60)
    jobs._remind_certificate_ending(application)


def entrustment_accepted_and_approved():
    from associations.models import Entrustment
    from associations.services import entrustments

    entrustments.entrustment_accept(
        actor=user("association"), entrustment=Entrustment.objects.get(status="proposed")
    )
    entrustments.entrustment_approve(
        actor=user("officer2"), entrustment=Entrustment.objects.get(status="delivered")
    )


def certification_steps():
    from associations.models import CertificationApplication, Entrustment
    from associations.services import certifications
    from tests.associations.certifications import investment_rows

    draft = certifications.certification_create(
        actor=user("enterprise2"),
        enterprise=org("Lanting"),
        statement="Lanting hosts software interns from two colleges every year.",
        investments=investment_rows(),
    )
    certifications.certification_submit(actor=user("enterprise2"), application=draft)
    review = Entrustment.objects.filter(kind="certification", status="accepted").first()
    review.scope_organizations.add(org("Lanting"))
    certifications.certification_start_review(
        actor=user("officer2"),
        application=CertificationApplication.objects.get(pk=draft.pk),
        entrustment=review,
    )
    certifications.certification_refuse(
        actor=user("officer2"),
        application=CertificationApplication.objects.get(enterprise=org("Huaxin")),
        reasons="The evidence of investment is missing.",
    )


def assessment_published_and_answered():
    from associations.models import Assessment, AssessmentCriterion
    from associations.services import assessments

    draft = Assessment.objects.get(status="draft")
    AssessmentCriterion.objects.filter(assessment=draft).update(score=7)
    assessments.assessment_publish(actor=user("association"), assessment=draft)
    answered = Assessment.objects.filter(status="published").order_by("pk").first()
    assessments.response_create(
        actor=user("enterprise"), assessment=answered, text="We add two guides next year."
    )


# --- discovery and accounts -----------------------------------------------------------


def discovery_steps():
    from discovery.models import CooperationNeed, Interest
    from discovery.services import interests, needs

    interest = Interest.objects.filter(agreement__isnull=True).first() or Interest.objects.first()
    side = org("Riverside") if interest.organization_id == org("Riverside").pk else None
    actor = user("college") if side else user("enterprise2")
    interests.interest_reply(actor=actor, interest=interest, message="When could we meet?")
    needs.tell_expired(CooperationNeed.objects.filter(~Q(status="draft")).first())


def invitation_accepted():
    _invitation, token = accounts_services.invitation_create(
        actor=user("college"),
        organization=org("Riverside"),
        email="newcomer@example.org",
        role=Role.STAFF,
    )
    accounts_services.invitation_accept(
        token=token,
        username="newcomer",
        first_name="Xu",
        last_name="Lan",
        password="a-long-password-2026",
    )
    # A reader of Chinese, as every demo user here (later triggers tell Riverside too).
    User.objects.filter(username="newcomer").update(language="zh-hans")


# --- funding --------------------------------------------------------------------------


def _fund_application(title: str):
    from funding.models import FundApplication

    return FundApplication.objects.get(title=title)


def fund_program_opened():
    from funding import services
    from funding.demo import DRAFT_TITLE
    from funding.models import FundProgram

    services.program_open(
        actor=user("officer2"), program=FundProgram.objects.get(title=DRAFT_TITLE)
    )


def fund_application_submitted_assigned_reviewed_and_rejected():
    from funding import services
    from funding.models import ReviewAssignment
    from funding.services import assignments

    draft = _fund_application("Smart manufacturing teaching lab")
    _goals, students, matching, start, kind = draft.program.questions.order_by("order")
    services.application_update(
        actor=user("college2"),
        application=draft,
        answers={
            students.pk: "30",
            matching.pk: "50000.00",
            start.pk: (today() + timedelta(days=40)).isoformat(),
            kind.pk: "Practice base",
        },
    )
    services.application_submit(actor=user("college2"), application=_fund_application(draft.title))
    assignment = services.assignment_create(
        actor=user("officer2"),
        application=_fund_application(draft.title),
        reviewer=user("officer"),
        due_date=today() + timedelta(days=7),
    )
    services.assignment_remove(actor=user("officer2"), assignment=assignment)
    submitted = _fund_application("Software testing practice base")
    services.application_start_review(actor=user("officer"), application=submitted)
    services.assignment_create(
        actor=user("officer2"),
        application=_fund_application(submitted.title),
        reviewer=user("officer"),
        due_date=today() + timedelta(days=7),
    )
    assignments._remind(
        ReviewAssignment.objects.filter(application=submitted).order_by("pk").first(),
        overdue=True,
    )
    criteria = list(submitted.program.criteria.all())
    for reviewer in ("officer", "reviewer"):
        services.review_submit(
            actor=user(reviewer),
            application=_fund_application(submitted.title),
            scores={criterion.pk: 3 for criterion in criteria},
            recommendation="do_not_fund",
            comment="No enterprise partner named.",
        )
    services.application_reject(
        actor=user("officer2"),
        application=_fund_application(submitted.title),
        reasons="No enterprise partner is named.",
    )


def fund_application_asked_resubmitted_approved_and_revised():
    from decimal import Decimal

    from funding import services
    from funding.models import Award, BudgetRevision

    title = "Robot technician training centre"
    services.application_request_info(
        actor=user("officer"),
        application=_fund_application(title),
        questions="Who pays the trainers after the first year?",
    )
    services.application_resubmit(actor=user("enterprise"), application=_fund_application(title))
    award = services.application_approve(
        actor=user("officer2"),
        application=_fund_application(title),
        amount=Decimal("500000.00"),
        reasons="The training centre, without the second robot arm.",
    )
    revision = services.budget_revision_propose(
        actor=user("enterprise"),
        award=Award.objects.get(pk=award.pk),
        lines=[
            {"category": "equipment", "description": "One robot arm", "amount": "300000.00"},
            {"category": "training", "description": "Trainers", "amount": "200000.00"},
        ],
        note="One robot arm instead of two.",
    )
    services.budget_revision_return(
        actor=user("officer"), revision=revision, comment="Keep the mentors' time."
    )
    waiting = BudgetRevision.objects.get(
        status="proposed", award__application__title="Industrial robot maintenance course"
    )
    services.budget_revision_accept(actor=user("officer"), revision=waiting, comment="Agreed.")


def fund_tranches_and_reports():
    from decimal import Decimal

    from funding import services
    from funding.models import ProgressReport, Tranche
    from funding.services import reports

    award = _fund_application("CNC workshop for the industry college").award
    later = Tranche.objects.get(
        award=award, status="planned", due_date__gt=today() + timedelta(days=30)
    )
    services.tranche_cancel(actor=user("officer2"), tranche=later, reason="Split in two.")
    services.tranche_plan(
        actor=user("officer"),
        award=award,
        amount=Decimal("120000.00"),
        due_date=today() + timedelta(days=90),
        milestone="40 placements delivered",
    )
    ready = Tranche.objects.get(
        award=award, status="planned", due_date__lte=today() + timedelta(days=7)
    )
    services.tranche_release(
        actor=user("officer2"),
        tranche=ready,
        voucher_number="JZ-2026-0501",
        payee_account="6222 0001",
    )
    services.report_schedule(
        actor=user("officer"),
        award=award,
        due_date=today() + timedelta(days=120),
        period_start=today(),
        period_end=today() + timedelta(days=110),
    )
    services.report_accept(
        actor=user("officer"), report=ProgressReport.objects.get(award=award, status="submitted")
    )
    due = ProgressReport.objects.filter(award=award, status="due").order_by("due_date").first()
    services.report_submit(
        actor=user("college"),
        report=due,
        narrative="The workshop is in use.",
        indicator_values=[(i.pk, "1") for i in award.program.indicators.all()],
        spend=[(line.pk, "1000") for line in award.application.budget_lines.all()],
    )
    reports._remind(ProgressReport.objects.filter(award=award, status="due").first(), late=True)


def triggers() -> list[tuple[str, Callable[[], object]]]:
    return [
        (function.__name__, function)
        for function in (
            agreement_signed_by_all,
            agreement_sent_signed_and_changed,
            clause_fulfilled_confirmed_and_breached,
            clause_reminded,
            agreement_terminated,
            agreement_expired,
            partnership_member_added,
            secondment_recorded,
            practice_base_suspended,
            nomination_shortlisted,
            placement_published_and_cancelled,
            internship_reminders,
            governance_reminders_and_changes,
            association_reminders,
            entrustment_accepted_and_approved,
            certification_steps,
            assessment_published_and_answered,
            discovery_steps,
            invitation_accepted,
            fund_program_opened,
            fund_application_submitted_assigned_reviewed_and_rejected,
            fund_application_asked_resubmitted_approved_and_revised,
            fund_tranches_and_reports,
        )
    ]
