"""The certification pages: the list (filters, sorting, CSV), drafting and editing an
application (its self-declaration and investment rows), its page (declaration,
investments and the surtax credit they make, the review and its published assessments,
each step; the evidence the portal assembles on its own tab; files; history), each
step, and the printable certificate. Every write goes through
``associations.services.certifications``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from portal import access
from portal.forms import form_errors, known_fields
from portal.views import (
    FilteredListView,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
    VisibleRecordMixin,
)

from ..filters import CertificationFilterSet
from ..forms.certifications import (
    CertificationForm,
    CertifyForm,
    NewCertificationForm,
    ReasonsForm,
    StartReviewForm,
    investment_formset,
)
from ..models import (
    SURTAX_CREDIT_RATE,
    SURTAX_RULE,
    Assessment,
    AssessmentStatus,
    CertificationApplication,
    CertificationStatus,
    DeclaredInvestment,
)
from ..services import certifications as service
from ..services.certification_evidence import certification_evidence
from ..tables import CertificationTable

RELATED = ("enterprise", "reviewer__association", "reviewer__department", "decided_by")


def with_investment(queryset):
    return queryset.select_related(*RELATED).with_qualifying_investment()


class CertificationListView(FilteredListView):
    model = CertificationApplication
    queryset = CertificationApplication.objects.select_related(
        "enterprise", "reviewer__association"
    )
    filterset_class = CertificationFilterSet
    template_name = "associations/certification_list.html"
    context_object_name = "applications"
    table_class = CertificationTable
    default_ordering = ("-created_at", "-pk")
    csv_filename = "certifications.csv"

    def get_queryset(self):
        return super().get_queryset().with_qualifying_investment()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = bool(service.drafting_enterprises(self.request.user))
        return context


def published_assessments(user, application: CertificationApplication) -> list[dict]:
    """The published assessments of the application the user sees, each with its page
    when the assessments' pages exist. One query."""
    assessments = (
        Assessment.objects.visible_to(user)
        .filter(certification_id=application.pk, status=AssessmentStatus.PUBLISHED)
        .select_related("assessor")
        .order_by("-published_at", "-pk")
    )
    shown = []
    for assessment in assessments:
        try:
            url = assessment.get_absolute_url()
        except NoReverseMatch:  # the assessments' pages are not there yet
            url = ""
        shown.append({"assessment": assessment, "url": url})
    return shown


class CertificationDetailView(RecordDetailView):
    model = CertificationApplication
    queryset = with_investment(CertificationApplication.objects.all())
    template_name = "associations/certification_detail.html"
    context_object_name = "application"
    tabs = ("overview", "evidence", "attachments", "history")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application, user = self.object, self.request.user
        actions = service.certification_actions(user, application)
        context["actions"] = actions
        context["qualifying_investment"] = service.qualifying_investment(application)
        context["surtax_credit"] = service.surtax_credit_of(application)
        context["surtax_rate"] = int(SURTAX_CREDIT_RATE * 100)
        context["surtax_rule"] = SURTAX_RULE
        if context["tab"] == "overview":
            context["investments"] = list(
                DeclaredInvestment.objects.filter(application_id=application.pk)
            )
            context["assessments"] = published_assessments(user, application)
            context["reviewer"] = access.seen(user, application.reviewer)
            if "start_review" in actions:
                entrustments = service.review_entrustments(user, application)
                context["review_form"] = StartReviewForm(entrustments=entrustments)
                context["review_choices"] = bool(entrustments)
            if "certify" in actions:
                today = timezone.localdate()
                context["certify_form"] = CertifyForm(
                    initial={"valid_from": today, "valid_until": service.default_validity(today)}
                )
            if {"refuse", "revoke"} & actions:
                context["reasons_form"] = ReasonsForm()
        elif context["tab"] == "evidence":
            context["evidence"] = certification_evidence(user, application.enterprise)
        return context


class CertificationFormMixin:
    """The self-declaration and the investment rows, validated together."""

    template_name = "associations/certification_form.html"

    def current_rows(self):
        return ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formset", investment_formset(rows=self.current_rows()))
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        formset = investment_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            self.rows = formset.rows()
            return self.form_valid(form)
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def form_invalid(self, form):
        formset = investment_formset(self.request.POST)
        formset.is_valid()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


class CertificationCreateView(CertificationFormMixin, ServiceCreateView):
    """Draft an application: an enterprise's admins and staff."""

    form_class = NewCertificationForm

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and not NewCertificationForm(user=request.user).can_create()
        ):
            raise PermissionDenied(
                _("Only an enterprise's admins and staff apply for its certification.")
            )
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def create(self, form):
        try:
            return service.certification_create(
                actor=self.request.user,
                enterprise=form.cleaned_data["enterprise"],
                statement=form.cleaned_data["statement"],
                investments=self.rows,
            )
        except ValidationError as error:
            raise known_fields(form, error) from error

    def success_message(self, record) -> str:
        return _("Draft %(number)s saved. Attach your documents, then submit it.") % {
            "number": record.number
        }


class CertificationUpdateView(CertificationFormMixin, ServiceUpdateView):
    """Edit a draft: its statement and its rows, as a whole."""

    model = CertificationApplication
    queryset = CertificationApplication.objects.select_related("enterprise")
    form_class = CertificationForm
    context_object_name = "application"
    success_message = gettext_lazy("Application saved.")

    def can_write(self, user, obj) -> bool:
        return service.acts_for_enterprise(user, obj)

    def get(self, request, *args, **kwargs):
        if self.object.status != CertificationStatus.DRAFT:
            messages.error(request, _("Only a draft changes; this application has been submitted."))
            return redirect(self.object)
        return super().get(request, *args, **kwargs)

    def current_rows(self):
        return DeclaredInvestment.objects.filter(application_id=self.object.pk)

    def save(self, form):
        try:
            service.certification_update(
                actor=self.request.user,
                application=self.object,
                statement=form.cleaned_data["statement"],
                investments=self.rows,
            )
        except ValidationError as error:
            raise known_fields(form, error) from error


STEPS = {
    "submit": gettext_lazy("Submitted: government has been told."),
    "start_review": gettext_lazy(
        "Review started: the association reads the application through its entrustment."
    ),
    "certify": gettext_lazy("Certified: the enterprise has been told."),
    "refuse": gettext_lazy("Refused: the enterprise has been told."),
    "revoke": gettext_lazy("Revoked: the enterprise has been told."),
}


class CertificationStepView(TransitionView):
    """One step; the service decides who may take it."""

    model = CertificationApplication
    queryset = CertificationApplication.objects.select_related("enterprise")
    verb = ""

    @property
    def success_message(self):
        return STEPS[self.verb]

    def perform(self, application):
        actor = self.request.user
        if self.verb == "start_review":
            entrustments = service.review_entrustments(actor, application)
            form = StartReviewForm(self.request.POST, entrustments=entrustments)
            if not form.is_valid():
                if not entrustments and access.acts_for_government(actor):
                    raise ValidationError(
                        _(
                            "No entrustment fits: entrust a certification review to an "
                            "association with this enterprise and certification "
                            "applications in its scope, and have it accepted first."
                        )
                    )
                raise form_errors(form)
            return service.certification_start_review(
                actor=actor, application=application, entrustment=form.cleaned_data["entrustment"]
            )
        if self.verb == "certify":
            form = CertifyForm(self.request.POST)
            if not form.is_valid():
                raise form_errors(form)
            return service.certification_certify(
                actor=actor, application=application, **form.cleaned_data
            )
        if self.verb in ("refuse", "revoke"):
            form = ReasonsForm(self.request.POST)
            if not form.is_valid():
                raise form_errors(form)
            step = getattr(service, f"certification_{self.verb}")
            return step(actor=actor, application=application, reasons=form.cleaned_data["reasons"])
        return service.certification_submit(actor=actor, application=application)


class CertificateView(VisibleRecordMixin, DetailView):
    """The printable certificate of a certified application (and of one expired or
    revoked since, marked so), for whoever sees the application; none before (404)."""

    model = CertificationApplication
    queryset = with_investment(CertificationApplication.objects.all())
    template_name = "associations/certification_certificate.html"
    context_object_name = "application"

    def get_object(self, queryset=None):
        application = super().get_object(queryset)
        if not application.has_certificate:
            raise Http404(_("Only a certified application has a certificate."))
        access.note_reads(self.request.user, [application])
        return application

    def get_context_data(self, **kwargs):
        application = self.object
        return super().get_context_data(
            today=timezone.localdate(),
            in_force=application.is_valid_on(timezone.localdate()),
            qualifying_investment=service.qualifying_investment(application),
            surtax_credit=service.surtax_credit_of(application),
            surtax_rate=int(SURTAX_CREDIT_RATE * 100),
            surtax_rule=SURTAX_RULE,
            **kwargs,
        )


urlpatterns = [
    path("certifications/", CertificationListView.as_view(), name="certification-list"),
    path("certifications/new/", CertificationCreateView.as_view(), name="certification-create"),
    path(
        "certifications/<int:pk>/", CertificationDetailView.as_view(), name="certification-detail"
    ),
    path(
        "certifications/<int:pk>/edit/",
        CertificationUpdateView.as_view(),
        name="certification-edit",
    ),
    path(
        "certifications/<int:pk>/certificate/",
        CertificateView.as_view(),
        name="certification-certificate",
    ),
    *(
        path(
            f"certifications/<int:pk>/{verb.replace('_', '-')}/",
            CertificationStepView.as_view(verb=verb),
            name=f"certification-{verb.replace('_', '-')}",
        )
        for verb in STEPS
    ),
]
