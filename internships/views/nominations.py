"""Nomination pages: the list (with CSV export); a nomination's page (the student, the
placement, the gates before starting, the evaluations, and the steps the user may take
now); recording the gates and the evaluations; nominating students from a placement's
page. Every write goes through ``internships.services``, which decides who may do what;
these views only turn its answers into messages.

Uploaded documents (the student's consent, the tripartite agreement's scan, the
guardian's consent) are stored as attachments of the nomination in the same transaction
as the step that points to them: a refused step leaves neither the row nor the file.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from portal import access
from portal.attachments import attachment_add
from portal.forms import form_errors
from portal.models import Attachment
from portal.views import FilteredListView, RecordDetailView, ServiceUpdateView, TransitionView

from .. import compliance, services
from ..filters import NominationFilterSet
from ..forms.nominations import AcceptForm, EvaluationForm, GatesForm, NominateForm, ReasonForm
from ..models import (
    OPEN_STATUSES,
    Evaluation,
    EvaluatorRole,
    Nomination,
    NominationStatus,
    Placement,
    PlacementStatus,
    PracticeBase,
    Student,
    StudentStatus,
)
from ..tables import NominationTable

# --- list and page -----------------------------------------------------------------


class NominationListView(FilteredListView):
    model = Nomination
    queryset = Nomination.objects.select_related("student", "college", "placement__host")
    filterset_class = NominationFilterSet
    template_name = "internships/nomination_list.html"
    context_object_name = "nominations"
    table_class = NominationTable
    default_ordering = ("-updated_at", "-pk")
    csv_filename = "nominations.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Filtering by placement comes from a placement's page: kept, named, not typed.
        context["filterset"].form.fields["placement"].widget = forms.HiddenInput()
        placement_id = (
            self.filterset.form.cleaned_data.get("placement")
            if (self.filterset.is_bound and self.filterset.form.is_valid())
            else None
        )
        if placement_id:
            context["for_placement"] = (
                Placement.objects.visible_to(self.request.user).filter(pk=placement_id).first()
            )
        return context


def gate_rows(nomination: Nomination) -> list[dict]:
    """Each gate of ``compliance.GATES`` that applies to the nomination, in order: its
    code, whether it is in place, and the message (with its article) while it is not.

    The guardian's consent is listed only for a student who needs one (or has one on
    file); the policy's cover is "in place" only once its dates are recorded."""
    missing = {gate.code for gate in compliance.missing_gates(nomination)}
    kind = nomination.placement.internship_type
    needs_consent = compliance.needs_guardian_consent(nomination)
    rows = []
    for gate in compliance.GATES:
        if kind not in gate.applies_to:
            continue
        if gate.field == "guardian_consent" and not (
            needs_consent or nomination.guardian_consent_id
        ):
            continue
        done = gate.code not in missing
        if gate.code == "insurance_not_covering":
            done = done and bool(nomination.policy_start and nomination.policy_end)
        rows.append(
            {
                "code": gate.code,
                "field": gate.field,
                "done": done,
                "message": compliance.gate_message(gate),
            }
        )
    return rows


def missing_gates_by_field(nomination: Nomination) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for gate in compliance.missing_gates(nomination):
        grouped.setdefault(gate.field, []).append(compliance.gate_message(gate))
    return grouped


class NominationDetailView(RecordDetailView):
    model = Nomination
    queryset = Nomination.objects.select_related(
        "student",
        "college",
        "placement__host",
        "placement__practice_base",
        "student_consent",
        "tripartite_scan",
        "guardian_consent",
    ).prefetch_related("evaluations")
    template_name = "internships/nomination_detail.html"
    context_object_name = "nomination"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nomination, user = self.object, self.request.user
        context["actions"] = services.nomination_actions(user, nomination)
        if context["tab"] == "overview":
            context["student_visible"] = (
                Student.objects.visible_to(user).filter(pk=nomination.student_id).exists()
            )
            context["gates"] = gate_rows(nomination)
            context["linked_base"] = access.seen(user, nomination.placement.practice_base)
            context["needs_guardian_consent"] = compliance.needs_guardian_consent(nomination)
            done = {evaluation.role: evaluation for evaluation in nomination.evaluations.all()}
            context["evaluations"] = [
                {
                    "role": role,
                    "evaluation": done.get(role),
                    "can_record": f"evaluate_{role}" in context["actions"],
                }
                for role in EvaluatorRole
            ]
            if nomination.status == NominationStatus.STARTED:
                context["missing_evaluations"] = services.missing_evaluations(nomination)
            context["reject_form"] = ReasonForm(auto_id="id_reject_%s")
            context["withdraw_form"] = ReasonForm(auto_id="id_withdraw_%s")
            context["accept_form"] = AcceptForm()
        return context


# --- steps -------------------------------------------------------------------------

MOVE_MESSAGES = {
    "shortlist": gettext_lazy("Shortlisted: the college has been told."),
    "offer": gettext_lazy("Offered: the college records the student's answer."),
    "reject": gettext_lazy("Rejected: the college has been told."),
    "withdraw": gettext_lazy("Withdrawn: the host has been told."),
    "decline": gettext_lazy("Declined: the host has been told."),
}


class NominationMoveView(TransitionView):
    """The host's shortlist / offer / reject and the college's withdraw / decline; a
    reason comes with the last three (the service requires it where the law wants one)."""

    model = Nomination
    verb = ""

    @property
    def success_message(self):
        return MOVE_MESSAGES[self.verb]

    def perform(self, nomination):
        form = ReasonForm(self.request.POST)
        if not form.is_valid():
            raise form_errors(form)
        services.nomination_move(
            actor=self.request.user,
            nomination=nomination,
            verb=self.verb,
            reason=form.cleaned_data["reason"],
        )


def with_uploads(store: Callable[[list[Attachment]], object]):
    """Run ``store`` in one transaction, handing it a list to put each attachment it
    stores in. If anything fails, the rows roll back and their files are removed too
    (``attachment_add`` keeps a stored file once its row is written)."""
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            return store(stored)
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise


def attach_upload(*, actor, nomination: Nomination, upload, field: str, description: str):
    """An uploaded document as an attachment of the nomination; a refused file (type,
    size, content) is an error of the form's ``field``."""
    try:
        return attachment_add(
            actor=actor, record=nomination, upload=upload, description=description
        )
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


class NominationAcceptView(TransitionView):
    """The college records the student's yes: the signed consent is uploaded, attached
    to the nomination, and named by ``nomination_accept``, all in one transaction."""

    model = Nomination
    success_message = gettext_lazy("Accepted: the student holds one of the placement's slots.")

    def perform(self, nomination):
        user = self.request.user
        if not services.is_college_side(user, nomination):
            raise PermissionDenied  # before any file is stored
        form = AcceptForm(self.request.POST, self.request.FILES)
        if not form.is_valid():
            raise form_errors(form)

        def accept(stored: list[Attachment]):
            consent = attach_upload(
                actor=user,
                nomination=nomination,
                upload=form.cleaned_data["consent"],
                field="consent",
                description=_("Student's signed consent"),
            )
            stored.append(consent)
            return services.nomination_accept(actor=user, nomination=nomination, consent=consent)

        with_uploads(accept)


class NominationStartView(TransitionView):
    model = Nomination
    success_message = gettext_lazy("Started: the internship is under way.")

    def perform(self, nomination):
        try:
            services.nomination_start(actor=self.request.user, nomination=nomination)
        except ValidationError:
            messages.error(self.request, _("Not started: every item below must be in place first."))
            raise


class NominationCompleteView(TransitionView):
    model = Nomination
    success_message = gettext_lazy("Completed.")

    def perform(self, nomination):
        try:
            services.nomination_complete(actor=self.request.user, nomination=nomination)
        except ValidationError:
            messages.error(self.request, _("Not completed yet:"))
            raise


# --- gates and evaluations ---------------------------------------------------------


class NominationGatesView(ServiceUpdateView):
    """Record the gates before starting (either side's admins and staff, while the
    nomination is offered or accepted). Uploads become attachments of the nomination in
    the same transaction as the record."""

    model = Nomination
    queryset = Nomination.objects.select_related(
        "student", "college", "placement__host", "tripartite_scan", "guardian_consent"
    )
    form_class = GatesForm
    template_name = "internships/nomination_gates.html"
    context_object_name = "nomination"
    success_message = gettext_lazy("Gates recorded.")

    def can_write(self, user, obj) -> bool:
        return services.is_host_side(user, obj) or services.is_college_side(user, obj)

    def get(self, request, *args, **kwargs):
        if "gates" not in services.nomination_actions(request.user, self.object):
            messages.info(
                request,
                _("The gates are recorded once an offer is made and before starting."),
            )
            return redirect(self.object)
        return super().get(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"needs_guardian_consent": compliance.needs_guardian_consent(self.object)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        saved = Nomination.objects.select_related("student", "placement").get(pk=self.object.pk)
        context["missing"] = missing_gates_by_field(saved)
        return context

    def save(self, form):
        user, nomination = self.request.user, self.object
        values = form.gate_values()
        labels = {
            "tripartite_scan": _("Signed tripartite agreement (scan)"),
            "guardian_consent": _("Guardian's signed consent"),
        }

        def record(stored: list[Attachment]):
            for field, description in labels.items():
                upload = form.cleaned_data.get(field)
                if upload:
                    attachment = attach_upload(
                        actor=user,
                        nomination=nomination,
                        upload=upload,
                        field=field,
                        description=description,
                    )
                    stored.append(attachment)
                    values[field] = attachment
            return services.nomination_record_gates(actor=user, nomination=nomination, **values)

        with_uploads(record)


class NominationEvaluateView(ServiceUpdateView):
    """The enterprise guide's evaluation (the host's to record) or the tracking
    teacher's (the college's), with the practice base's ratings when there is one."""

    model = Nomination
    queryset = Nomination.objects.select_related(
        "student", "college", "placement__host", "placement__practice_base"
    )
    form_class = EvaluationForm
    template_name = "internships/nomination_evaluate.html"
    context_object_name = "nomination"
    success_message = gettext_lazy("Evaluation recorded.")

    def dispatch(self, request, *args, **kwargs):
        if kwargs.get("role") not in EvaluatorRole.values:
            raise Http404(_("No such record, or not one you can see."))
        self.role = EvaluatorRole(kwargs["role"])
        return super().dispatch(request, *args, **kwargs)

    def can_write(self, user, obj) -> bool:
        return services.can_evaluate(user, obj, self.role)

    def get(self, request, *args, **kwargs):
        if self.object.status != NominationStatus.STARTED:
            messages.info(request, _("Evaluations are recorded while the internship runs."))
            return redirect(self.object)
        return super().get(request, *args, **kwargs)

    def rates_base(self) -> bool:
        return self.role == EvaluatorRole.TEACHER and bool(self.object.placement.practice_base_id)

    def form_kwargs(self) -> dict:
        evaluation = self.object.evaluations.filter(role=self.role).first()
        return {
            "instance": evaluation or Evaluation(nomination=self.object, role=self.role),
            "rates_base": self.rates_base(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role"] = self.role
        return context

    def save(self, form):
        services.evaluation_record(
            actor=self.request.user,
            nomination=self.object,
            role=self.role,
            **form.cleaned_data,
        )


# --- on the placement's, the practice base's and the student's pages ---------------


def nominating_audience(user, placement: Placement) -> set[int]:
    """The user's colleges that may nominate to the placement now (its admins and staff,
    while the placement is published and open to them)."""
    if placement.status != PlacementStatus.PUBLISHED:
        return set()
    colleges = services.nominating_colleges(user)
    return placement.audience_ids() & colleges if colleges else set()


def nominable_students(placement: Placement, colleges: set[int]):
    """The colleges' enrolled students not already nominated to the placement. The rules
    (first year, age, overlapping dates) are the service's to check and explain."""
    open_here = Nomination.objects.filter(
        student_id=OuterRef("pk"), placement_id=placement.pk, status__in=OPEN_STATUSES
    )
    return (
        Student.objects.filter(college_id__in=colleges, status=StudentStatus.ENROLLED)
        .exclude(Exists(open_here))
        .order_by("class_name", "name", "pk")
    )


# The placement page shows at most this many nominations (the list page has them all)
# and offers at most this many students at once (a search narrows them).
NOMINATIONS_SHOWN = 100
STUDENTS_SHOWN = 200


def placement_nominations(user, placement: Placement, student_query: str = "") -> dict:
    """The placement page's nominations tab: the nominations the user sees (the host's
    members all of them, a college its own), the first ``NOMINATIONS_SHOWN``; and, for a
    college that may nominate, the form with up to ``STUDENTS_SHOWN`` of its students,
    those matching ``student_query`` (name or number prefix, class or specialty)."""
    shown = list(
        Nomination.objects.visible_to(user)
        .filter(placement_id=placement.pk)
        .select_related("student", "college")
        .order_by("-created_at", "-pk")[: NOMINATIONS_SHOWN + 1]
    )
    context = {
        "nominations": shown[:NOMINATIONS_SHOWN],
        "more_nominations": len(shown) > NOMINATIONS_SHOWN,
        "student_query": student_query,
    }
    audience = nominating_audience(user, placement)
    if audience:
        students = nominable_students(placement, audience)
        query = student_query.strip()
        if query:
            students = students.filter(
                Q(name__startswith=query)
                | Q(student_number__startswith=query)
                | Q(class_name__icontains=query)
                | Q(specialty__icontains=query)
            )
        offered = list(students[: STUDENTS_SHOWN + 1])
        context["more_students"] = len(offered) > STUDENTS_SHOWN
        context["nominate_form"] = NominateForm(
            students=Student.objects.filter(
                pk__in=[s.pk for s in offered[:STUDENTS_SHOWN]]
            ).order_by("class_name", "name", "pk")
        )
    return context


class PlacementNominateView(LoginRequiredMixin, View):
    """Nominate students of the user's college to a published placement open to it. A
    placement not open to the college is not one it sees: 404."""

    def post(self, request, pk: int):
        placement = get_object_or_404(Placement.objects.visible_to(request.user), pk=pk)
        back = placement.get_absolute_url() + "?tab=nominations"
        colleges = services.nominating_colleges(request.user)
        if not colleges:
            raise PermissionDenied(_("Only a college's admins and staff nominate its students."))
        audience = placement.audience_ids() & colleges
        if not audience:
            raise Http404(_("No such record, or not one you can see."))
        form = NominateForm(request.POST, students=nominable_students(placement, audience))
        try:
            if not form.is_valid():
                raise form_errors(form)
            nominations = services.nomination_create(
                actor=request.user,
                placement=placement,
                students=list(form.cleaned_data["students"]),
                note=form.cleaned_data["note"],
            )
        except services.InvalidTransition as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(request, _("No one was nominated:"))
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d student nominated: the host has been told.",
                    "%(count)d students nominated: the host has been told.",
                    len(nominations),
                )
                % {"count": len(nominations)},
            )
        return redirect(back)


def practice_base_interns(base: PracticeBase) -> dict:
    """The practice base page's figures: interns hosted per year (started or completed
    nominations, by their placement's start year) and the tracking teachers' average
    ratings of the base. One aggregate query each."""
    per_year = list(
        Nomination.objects.filter(
            placement__practice_base_id=base.pk,
            status__in=(NominationStatus.STARTED, NominationStatus.COMPLETED),
        )
        .annotate(year=ExtractYear("placement__start_date"))
        .values("year")
        .annotate(interns=Count("pk"))
        .order_by("year")
    )
    ratings = Evaluation.objects.filter(
        role=EvaluatorRole.TEACHER,
        nomination__placement__practice_base_id=base.pk,
        base_safety__isnull=False,
    ).aggregate(
        count=Count("pk"),
        safety=Avg("base_safety"),
        guidance=Avg("base_guidance"),
        conditions=Avg("base_conditions"),
    )
    return {"interns_per_year": per_year, "base_ratings": ratings}


def student_nominations(user, student: Student) -> list[Nomination]:
    """The student's nominations the user sees (a host, only those to its placements)."""
    return list(
        Nomination.objects.visible_to(user)
        .filter(student_id=student.pk)
        .select_related("placement__host")
        .order_by("-created_at", "-pk")
    )
