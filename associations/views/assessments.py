"""The assessment pages: the list (filters, sorting, CSV), drafting one (first whom it is
by and of, then the assessment), an assessment's page (its score, the rubric, the
evidence linked where the reader sees it, the response, files, history), editing a draft,
publishing it, and the assessed organization's response with its own page. Every write
goes through ``associations.services.assessments``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from portal import access
from portal.attachments import attachment_add
from portal.views import (
    FilteredListView,
    RecordChangeMixin,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
)
from portal.workflow import InvalidTransition

from ..filters import AssessmentFilterSet
from ..forms.assessments import AssessmentForm, AssessmentResponseForm, AssessmentStartForm
from ..models import (
    MAX_CRITERIA,
    Assessment,
    AssessmentCriterion,
    AssessmentEvidence,
    AssessmentResponse,
    AssessmentStatus,
)
from ..services import assessments as service
from ..tables import AssessmentTable

RELATED = ("assessor", "organization")
DETAIL_RELATED = (
    "assessor",
    "organization",
    "entrustment",
    "partnership",
    "practice_base",
    "agreement",
    "certification__enterprise",
    "created_by",
    "response",
)


def form_error(form, error: ValidationError) -> ValidationError:
    """A service's error as the form has it: a subject's error on the subject, an error
    on a field the form lacks among the form's own."""
    if not hasattr(error, "error_dict"):
        return error
    mapped: dict[str, list] = {}
    for field, errors in error.error_dict.items():
        target = "subject" if field in service.SUBJECT_FIELDS else field
        if target not in form.fields or form.fields[target].widget.is_hidden:
            target = NON_FIELD_ERRORS
        mapped.setdefault(target, []).extend(errors)
    return ValidationError(mapped)


class AssessmentListView(FilteredListView):
    model = Assessment
    queryset = service.with_subject_kind(Assessment.objects.select_related(*RELATED))
    filterset_class = AssessmentFilterSet
    template_name = "associations/assessment_list.html"
    context_object_name = "assessments"
    table_class = AssessmentTable
    default_ordering = ("status", "-published_at", "-pk")  # drafts first, then newest
    csv_filename = "assessments.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = bool(service.assessing_organizations(self.request.user))
        return context


class AssessmentDetailView(RecordDetailView):
    model = Assessment
    queryset = Assessment.objects.select_related(*DETAIL_RELATED)
    template_name = "associations/assessment_detail.html"
    context_object_name = "assessment"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment, user = self.object, self.request.user
        context["actions"] = service.assessment_actions(user, assessment)
        context["subject_kind"] = service.SubjectKind(service.subject_kind(assessment)).label
        subject = service.subject_record(assessment)
        context["subject"] = subject
        context["subject_url"] = service.record_url(access.seen(user, subject))
        # An organization's page opens to its members and government only.
        context["assessor_url"] = service.record_url(access.seen(user, assessment.assessor))
        context["organization_url"] = service.record_url(access.seen(user, assessment.organization))
        if assessment.entrustment_id:
            context["entrustment_url"] = service.record_url(
                access.seen(user, assessment.entrustment)
            )
        response = assessment.response if service.has_response(assessment) else None
        context["response"] = response
        if context["tab"] == "overview":
            criteria = list(AssessmentCriterion.objects.filter(assessment_id=assessment.pk))
            context["criteria"] = criteria
            context["scored"] = service.scored_count(criteria)
            context["live_score"] = service.rubric_score(criteria)
            context["evidence"] = service.evidence_links(
                user, AssessmentEvidence.objects.filter(assessment_id=assessment.pk)
            )
        return context


def candidates(user, organization) -> tuple[dict, dict]:
    """The subjects and evidence a page offers, their names logged as read where the
    user reads them through an entrustment's scope."""
    subjects = service.subject_candidates(user, organization)
    evidence = service.evidence_candidates(user, organization)
    listed = [record for rows in (*subjects.values(), *evidence.values()) for record in rows]
    access.note_reads(user, listed)
    return subjects, evidence


class AssessmentCreateView(ServiceCreateView):
    """Draft an assessment: an association's admins and staff (of an organization in the
    scope of an open entrustment of theirs), or a department's. First whom it is by and
    of (a GET form), then the assessment."""

    form_class = AssessmentForm
    template_name = "associations/assessment_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            assessors = service.assessing_organizations(request.user)
            if not assessors:
                raise PermissionDenied(
                    _("Only an association's or a department's admins and staff assess.")
                )
            if not service.assessable_organizations(request.user).exists():
                # Not an empty "organization assessed" picker: say why, and what to do.
                raise PermissionDenied(
                    _(
                        "An association assesses the colleges and enterprises in the scope "
                        "of an open entrustment from a government department, and none of "
                        "yours names one today. Accept an entrustment, or ask the "
                        "department to add the organization to its scope."
                    )
                )
            data = (request.POST if request.method == "POST" else request.GET).copy()
            if "assessor" not in data and len(assessors) == 1:
                data["assessor"] = str(assessors[0].pk)  # ?organization=<id> is enough
            self.start = AssessmentStartForm(
                data if "organization" in data else None, user=request.user
            )
        return super().dispatch(request, *args, **kwargs)

    def parties_chosen(self) -> bool:
        return self.start.is_bound and self.start.is_valid()

    def get(self, request, *args, **kwargs):
        if not self.parties_chosen():
            return self.render_start()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.parties_chosen():
            return self.render_start()
        return super().post(request, *args, **kwargs)

    def render_start(self):
        return render(
            self.request, self.template_name, {"start_form": self.start, "creating": True}
        )

    def form_kwargs(self) -> dict:
        user = self.request.user
        organization = self.start.cleaned_data["organization"]
        subjects, evidence = candidates(user, organization)
        return {
            "user": user,
            "assessor": self.start.cleaned_data["assessor"],
            "organization": organization,
            "subjects": subjects,
            "evidence_records": evidence,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            creating=True,
            assessor=self.start.cleaned_data["assessor"],
            organization=self.start.cleaned_data["organization"],
            max_criteria=MAX_CRITERIA,
        )
        return context

    def create(self, form):
        data = form.cleaned_data
        try:
            return service.assessment_create(
                actor=self.request.user,
                assessor=data["assessor"],
                organization=data["organization"],
                entrustment=data.get("entrustment"),
                title=data["title"],
                summary=data["summary"],
                criteria=form.criteria_rows(),
                evidence=form.evidence_rows(),
                **form.subject_fields(),
            )
        except ValidationError as error:
            raise form_error(form, error) from error

    def success_message(self, record) -> str:
        return _("Draft saved: score every criterion, then publish it.")


class AssessmentUpdateView(ServiceUpdateView):
    """Edit a draft: its title, summary, subject, rubric and evidence (each replaced
    whole). A published assessment is not edited: the page says so."""

    model = Assessment
    queryset = Assessment.objects.select_related(*DETAIL_RELATED)
    form_class = AssessmentForm
    template_name = "associations/assessment_form.html"
    context_object_name = "assessment"
    success_message = gettext_lazy("Assessment saved.")

    def can_write(self, user, obj) -> bool:
        return service.can_change_assessment(user, obj)

    def get(self, request, *args, **kwargs):
        if self.object.status != AssessmentStatus.DRAFT:
            messages.error(request, _("A published assessment never changes."))
            return redirect(self.object)
        return super().get(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        user, assessment = self.request.user, self.object
        subjects, evidence = candidates(user, assessment.organization)
        return {
            "user": user,
            "organization": assessment.organization,
            "subjects": subjects,
            "evidence_records": evidence,
            "criteria": AssessmentCriterion.objects.filter(assessment_id=assessment.pk),
            "cited": AssessmentEvidence.objects.filter(assessment_id=assessment.pk),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["max_criteria"] = MAX_CRITERIA
        return context

    def save(self, form):
        data = form.cleaned_data
        subjects = form.subject_fields()
        current = {kind: getattr(self.object, f"{kind}_id") for kind in service.SUBJECT_FIELDS}
        changed = {
            kind: record
            for kind, record in subjects.items()
            if getattr(record, "pk", None) != current[kind]
        }
        if changed:  # the subject moves: name all four, so that the old one is cleared
            changed = subjects
        try:
            service.assessment_update(
                actor=self.request.user,
                assessment=self.object,
                title=data["title"],
                summary=data["summary"],
                criteria=form.criteria_rows(),
                evidence=form.evidence_rows(),
                **changed,
            )
        except ValidationError as error:
            raise form_error(form, error) from error


class AssessmentPublishView(TransitionView):
    model = Assessment
    success_message = gettext_lazy(
        "Published: the score is fixed and the assessed organization has been told."
    )

    def perform(self, assessment):
        service.assessment_publish(actor=self.request.user, assessment=assessment)


class AssessmentRespondView(RecordChangeMixin, FormView):
    """The assessed organization's admins and staff answer a published assessment, once."""

    model = Assessment
    form_class = AssessmentResponseForm
    template_name = "associations/assessment_response_form.html"

    def can_write(self, user, obj) -> bool:
        return obj.status == AssessmentStatus.PUBLISHED and service.acts_for_assessed(user, obj)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
            existing = AssessmentResponse.objects.filter(assessment_id=self.object.pk).first()
            if existing is not None:
                messages.info(request, _("This assessment has been answered already."))
                return redirect(existing)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(assessment=self.object, **kwargs)

    def form_valid(self, form):
        actor = self.request.user
        try:
            response = service.response_create(
                actor=actor, assessment=self.object, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except InvalidTransition as error:
            messages.error(self.request, error.message)
            return redirect(self.object)
        upload = form.cleaned_data.get("file")
        if upload:
            try:
                attachment_add(actor=actor, record=response, upload=upload)
            except ValidationError as error:
                messages.error(self.request, " ".join(error.messages))
        messages.success(self.request, _("Response sent: the assessor has been told."))
        return redirect(response)


class AssessmentResponseDetailView(RecordDetailView):
    """A response: its text, and the files that go with it."""

    model = AssessmentResponse
    queryset = AssessmentResponse.objects.select_related(
        "assessment__assessor", "assessment__organization", "created_by"
    )
    template_name = "associations/assessment_response_detail.html"
    context_object_name = "response"
    tabs = ("attachments", "history")


urlpatterns = [
    path("assessments/", AssessmentListView.as_view(), name="assessment-list"),
    path("assessments/new/", AssessmentCreateView.as_view(), name="assessment-create"),
    path("assessments/<int:pk>/", AssessmentDetailView.as_view(), name="assessment-detail"),
    path("assessments/<int:pk>/edit/", AssessmentUpdateView.as_view(), name="assessment-edit"),
    path(
        "assessments/<int:pk>/publish/",
        AssessmentPublishView.as_view(),
        name="assessment-publish",
    ),
    path(
        "assessments/<int:pk>/respond/",
        AssessmentRespondView.as_view(),
        name="assessment-respond",
    ),
    path(
        "assessment-responses/<int:pk>/",
        AssessmentResponseDetailView.as_view(),
        name="assessment-response-detail",
    ),
]
