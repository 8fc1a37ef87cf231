from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from accounts.models import OrganizationKind
from portal import access
from portal.dashboard import Chart
from portal.forms import form_errors
from portal.views import (
    FilteredListView,
    RecordChangeMixin,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
    VisibleRecordMixin,
    chart_context,
)

from .. import services
from ..filters import FundApplicationFilterSet, FundProgramFilterSet
from ..forms import (
    BudgetLineForm,
    CommentForm,
    ConflictForm,
    CriterionForm,
    DecisionForm,
    FundApplicationForm,
    FundProgramForm,
    ReportForm,
    ReportScheduleForm,
    ReviewForm,
    TrancheForm,
)
from ..models import (
    ApplicationStatus,
    Award,
    BudgetLine,
    ConflictOfInterest,
    FundApplication,
    FundProgram,
    ProgressReport,
    Review,
    ReviewCriterion,
    ReviewScore,
    Tranche,
)
from ..tables import FundApplicationTable, FundProgramTable


def budget_chart(program: FundProgram) -> dict:
    return chart_context(
        Chart(
            key=f"program-{program.pk}-budget",
            title=_("Budget: released, committed and remaining (yuan)"),
            kind="doughnut",
            labels=[str(_("Released")), str(_("Committed, not yet released")), str(_("Remaining"))],
            values=[
                float(program.released),
                float(program.committed - program.released),
                float(program.remaining),
            ],
        )
    )


# --- programs ----------------------------------------------------------------------


class FundProgramListView(FilteredListView):
    model = FundProgram
    queryset = FundProgram.objects.select_related("department").annotate(
        application_count=Count("applications")
    )
    filterset_class = FundProgramFilterSet
    template_name = "funding/program_list.html"
    context_object_name = "programs"
    table_class = FundProgramTable
    default_ordering = ("-opens_on",)
    csv_filename = "fund-programs.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = services.can_create_programs(self.request.user)
        return context


class FundProgramDetailView(RecordDetailView):
    model = FundProgram
    queryset = FundProgram.objects.select_related("department")
    template_name = "funding/program_detail.html"
    context_object_name = "program"
    tabs = ("overview", "applications", "ranking", "attachments", "history")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        program = self.object
        user = self.request.user
        actions = services.program_actions(user, program)
        context.update(
            actions=actions,
            can_change="edit" in actions,
            criteria=list(program.criteria.all()),
            chart=budget_chart(program),
            eligible_labels=[OrganizationKind(kind).label for kind in program.eligible_kinds],
        )
        if "add_criterion" in actions:
            context["criterion_form"] = CriterionForm()
        applications = (
            FundApplication.objects.visible_to(user)
            .filter(program=program)
            .select_related("applicant")
        )
        if context["tab"] == "applications":
            context["applications"] = applications.order_by("-submitted_at", "-created_at")
        if context["tab"] == "ranking":
            if "rank" not in actions:
                raise PermissionDenied
            context["ranking"] = (
                applications.exclude(
                    status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN]
                )
                .annotate(review_count=Count("reviews"))
                .order_by("-weighted_score", "submitted_at")
            )
        return context


class FundProgramCreateView(ServiceCreateView):
    form_class = FundProgramForm
    template_name = "funding/program_form.html"

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def create(self, form):
        data = dict(form.cleaned_data)
        department = data.pop("department")
        return services.program_create(actor=self.request.user, department=department, **data)

    def success_message(self, record) -> str:
        return _("Program drafted. Add its review criteria, then open it.")


class ProgramManageMixin(RecordChangeMixin):
    model = FundProgram

    def can_write(self, user, obj) -> bool:
        return services.can_manage_program(user, obj)


class FundProgramUpdateView(ProgramManageMixin, ServiceUpdateView):
    form_class = FundProgramForm
    template_name = "funding/program_form.html"
    context_object_name = "program"

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def save(self, form):
        services.program_update(actor=self.request.user, program=self.object, **form.cleaned_data)


class ProgramOpenView(TransitionView):
    model = FundProgram
    success_message = gettext_lazy("The program is open for applications.")

    def perform(self, program):
        services.program_open(actor=self.request.user, program=program)


class ProgramCloseView(TransitionView):
    model = FundProgram
    success_message = gettext_lazy("The program is closed to new submissions.")

    def perform(self, program):
        services.program_close(actor=self.request.user, program=program)


class ProgramFinalizeView(TransitionView):
    model = FundProgram
    success_message = gettext_lazy("The program is finalized.")

    def perform(self, program):
        services.program_finalize(actor=self.request.user, program=program)


class CriterionAddView(ProgramManageMixin, TransitionView):
    def perform(self, program):
        form = CriterionForm(self.request.POST)
        if not form.is_valid():
            raise form_errors(form)
        services.criterion_add(actor=self.request.user, program=program, **form.cleaned_data)


class CriterionRemoveView(TransitionView):
    model = ReviewCriterion

    def perform(self, criterion):
        services.criterion_remove(actor=self.request.user, criterion=criterion)

    def get_success_url(self, criterion):
        return criterion.program.get_absolute_url()


# --- applications ------------------------------------------------------------------


class FundApplicationListView(FilteredListView):
    model = FundApplication
    queryset = FundApplication.objects.select_related("program", "applicant", "award")
    filterset_class = FundApplicationFilterSet
    template_name = "funding/application_list.html"
    context_object_name = "applications"
    table_class = FundApplicationTable
    default_ordering = ("-created_at",)
    csv_filename = "fund-applications.csv"


class FundApplicationDetailView(RecordDetailView):
    model = FundApplication
    queryset = FundApplication.objects.select_related(
        "program__department", "applicant", "partnership", "decided_by"
    )
    template_name = "funding/application_detail.html"
    context_object_name = "application"
    tabs = ("overview", "reviews", "award", "attachments", "history")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        program = application.program
        user = self.request.user
        actions = services.application_actions(user, application)
        context.update(
            actions=actions,
            can_change=services.can_edit_application(user, application),
            lines=list(application.budget_lines.all()),
            government=access.sees_everything(user),
            review_count=application.reviews.count(),
        )
        if "edit" in actions:
            context["line_form"] = BudgetLineForm()
        if "approve" in actions:
            context["decision_form"] = DecisionForm(
                initial={
                    "amount": min(
                        application.requested_amount, program.max_award, program.remaining
                    )
                }
            )
        if context["tab"] == "reviews":
            if not context["government"]:
                raise PermissionDenied  # applicants never see reviewers
            context.update(self.reviews_tab(application, actions))
        if context["tab"] == "award":
            context.update(self.award_tab(application))
        return context

    def reviews_tab(self, application: FundApplication, actions: set[str]) -> dict:
        scores = ReviewScore.objects.select_related("criterion")
        tab = {
            "reviews": Review.objects.filter(application=application)
            .select_related("reviewer")
            .prefetch_related(Prefetch("scores", queryset=scores))
        }
        if "review" in actions:
            tab["review_form"] = ReviewForm(criteria=application.program.criteria.all())
        return tab

    def award_tab(self, application: FundApplication) -> dict:
        award = Award.objects.filter(application=application).first()
        if award is None:
            return {"award": None}
        user = self.request.user
        tranches = list(award.tranches.with_evidence())
        for tranche in tranches:
            tranche.actions = services.tranche_actions(user, tranche, application)
        reports = list(award.reports.all())
        for report in reports:
            # Each report carries its own forms, so field ids stay unique on the page.
            report.submit_form = ReportForm(prefix=f"report-{report.pk}")
            report.comment_form = CommentForm(prefix=f"review-{report.pk}")
            report.actions = services.report_actions(user, report, application)
        return {
            "award": award,
            "tranches": tranches,
            "reports": reports,
            "tranche_form": TrancheForm(prefix="tranche"),
            "schedule_form": ReportScheduleForm(prefix="schedule"),
        }


class FundApplicationCreateView(ServiceCreateView):
    form_class = FundApplicationForm
    template_name = "funding/application_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.program = get_object_or_404(
                FundProgram.objects.visible_to(request.user), pk=kwargs["program"]
            )
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user, "program": self.program}

    def get_context_data(self, **kwargs):
        return super().get_context_data(program=self.program, **kwargs)

    def create(self, form):
        data = dict(form.cleaned_data)
        applicant = data.pop("applicant")
        return services.application_create(
            actor=self.request.user, program=self.program, applicant=applicant, **data
        )

    def success_message(self, record) -> str:
        return _("Draft saved. Add budget lines adding up to the request, then submit.")


class ApplicationEditMixin(RecordChangeMixin):
    model = FundApplication

    def can_write(self, user, obj) -> bool:
        return services.can_edit_application(user, obj)


class FundApplicationUpdateView(ApplicationEditMixin, ServiceUpdateView):
    form_class = FundApplicationForm
    template_name = "funding/application_form.html"
    context_object_name = "application"

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(program=self.object.program, **kwargs)

    def save(self, form):
        services.application_update(
            actor=self.request.user, application=self.object, **form.cleaned_data
        )


class BudgetLineAddView(ApplicationEditMixin, TransitionView):
    def perform(self, application):
        form = BudgetLineForm(self.request.POST)
        if not form.is_valid():
            raise form_errors(form)
        services.budget_line_add(
            actor=self.request.user, application=application, **form.cleaned_data
        )


class BudgetLineRemoveView(TransitionView):
    model = BudgetLine

    def perform(self, line):
        services.budget_line_remove(actor=self.request.user, line=line)

    def get_success_url(self, line):
        return line.application.get_absolute_url()


class ApplicationSubmitView(TransitionView):
    model = FundApplication
    success_message = gettext_lazy("Submitted. The department will review it.")

    def perform(self, application):
        services.application_submit(actor=self.request.user, application=application)


class ApplicationWithdrawView(TransitionView):
    model = FundApplication
    success_message = gettext_lazy("Withdrawn.")

    def perform(self, application):
        services.application_withdraw(actor=self.request.user, application=application)


class ApplicationStartReviewView(TransitionView):
    model = FundApplication
    success_message = gettext_lazy("Review started.")

    def perform(self, application):
        services.application_start_review(actor=self.request.user, application=application)


class ApplicationApproveView(TransitionView):
    model = FundApplication
    success_message = gettext_lazy("Approved; the award is committed against the budget.")

    def perform(self, application):
        form = DecisionForm(self.request.POST)
        if not form.is_valid():
            raise form_errors(form)
        if form.cleaned_data.get("amount") is None:
            raise ValidationError(_("Give the amount to award."))
        services.application_approve(
            actor=self.request.user,
            application=application,
            amount=form.cleaned_data["amount"],
            reasons=form.cleaned_data["reasons"],
        )


class ApplicationRejectView(TransitionView):
    model = FundApplication
    success_message = gettext_lazy("Rejected.")

    def perform(self, application):
        form = DecisionForm(self.request.POST)
        if not form.is_valid():
            raise form_errors(form)
        services.application_reject(
            actor=self.request.user, application=application, reasons=form.cleaned_data["reasons"]
        )


class ReviewCreateView(VisibleRecordMixin, View):
    model = FundApplication

    def post(self, request, pk):
        application = get_object_or_404(self.get_queryset().select_related("program"), pk=pk)
        form = ReviewForm(request.POST, criteria=application.program.criteria.all())
        if form.is_valid():
            try:
                services.review_submit(
                    actor=request.user,
                    application=application,
                    scores=form.scores(),
                    recommendation=form.cleaned_data["recommendation"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            except services.InvalidTransition as error:
                messages.error(request, error.message)
                return redirect(application)
        if form.errors:
            return render(
                request,
                "funding/review_form.html",
                {"application": application, "form": form},
                status=400,
            )
        messages.success(request, _("Review saved."))
        return redirect(reverse("fund-review-queue"))


# --- awards: tranches and reports --------------------------------------------------


class TrancheEvidenceView(RecordDetailView):
    """A tranche and the evidence attached to it; the awardee uploads files here."""

    model = Tranche
    queryset = Tranche.objects.select_related("award__application__applicant", "award__program")
    template_name = "funding/tranche_detail.html"
    context_object_name = "tranche"
    tabs = ("attachments", "history")


class TranchePlanView(TransitionView):
    model = Award

    def get_success_url(self, award):
        return award.get_absolute_url()

    def perform(self, award):
        form = TrancheForm(self.request.POST, prefix="tranche")
        if not form.is_valid():
            raise form_errors(form)
        services.tranche_plan(actor=self.request.user, award=award, **form.cleaned_data)
        messages.success(self.request, _("Tranche planned."))


class TrancheTransitionView(TransitionView):
    model = Tranche

    def get_success_url(self, tranche):
        return (
            reverse("fund-application-detail", args=[tranche.award.application_id]) + "?tab=award"
        )


class TrancheReleaseView(TrancheTransitionView):
    success_message = gettext_lazy("Tranche released.")

    def perform(self, tranche):
        services.tranche_release(actor=self.request.user, tranche=tranche)


class TrancheCancelView(TrancheTransitionView):
    success_message = gettext_lazy("Tranche cancelled.")

    def perform(self, tranche):
        services.tranche_cancel(
            actor=self.request.user, tranche=tranche, reason=self.request.POST.get("reason", "")
        )


class ReportScheduleView(TransitionView):
    model = Award

    def get_success_url(self, award):
        return award.get_absolute_url()

    def perform(self, award):
        form = ReportScheduleForm(self.request.POST, prefix="schedule")
        if not form.is_valid():
            raise form_errors(form)
        services.report_schedule(actor=self.request.user, award=award, **form.cleaned_data)
        messages.success(self.request, _("Report scheduled."))


class ReportTransitionView(TransitionView):
    model = ProgressReport

    def get_success_url(self, report):
        return report.get_absolute_url()

    def comment(self, report) -> str:
        form = CommentForm(self.request.POST, prefix=f"review-{report.pk}")
        if not form.is_valid():
            raise form_errors(form)
        return form.cleaned_data["comment"]


class ReportSubmitView(ReportTransitionView):
    success_message = gettext_lazy("Report submitted.")

    def perform(self, report):
        form = ReportForm(self.request.POST, prefix=f"report-{report.pk}")
        if not form.is_valid():
            raise form_errors(form)
        services.report_submit(actor=self.request.user, report=report, **form.cleaned_data)


class ReportAcceptView(ReportTransitionView):
    success_message = gettext_lazy("Report accepted.")

    def perform(self, report):
        services.report_accept(actor=self.request.user, report=report, comment=self.comment(report))


class ReportReturnView(ReportTransitionView):
    success_message = gettext_lazy("Report returned with comments.")

    def perform(self, report):
        services.report_return(actor=self.request.user, report=report, comment=self.comment(report))


# --- officers: review queue and conflicts -------------------------------------------


class ReviewQueueView(LoginRequiredMixin, ListView):
    """Applications under review in my departments' programs that I may still review."""

    template_name = "funding/review_queue.html"
    context_object_name = "applications"

    def get_queryset(self):
        return (
            services.applications_to_review(self.request.user)
            .select_related("program", "applicant")
            .annotate(review_count=Count("reviews"))
            .order_by("submitted_at")
        )


class ConflictListView(LoginRequiredMixin, View):
    template_name = "funding/conflicts.html"

    def get(self, request, form=None):
        if not access.is_government(request.user):
            raise PermissionDenied
        conflicts = ConflictOfInterest.objects.filter(officer=request.user).select_related(
            "organization"
        )
        return render(
            request,
            self.template_name,
            {"conflicts": conflicts, "form": form or ConflictForm()},
            status=400 if form else 200,
        )

    def post(self, request):
        form = ConflictForm(request.POST)
        if form.is_valid():
            try:
                services.conflict_declare(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            return self.get(request, form=form)
        messages.success(
            request, _("Declared. You will not review or decide this organization's applications.")
        )
        return redirect("fund-conflicts")


class ConflictWithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk):
        conflict = get_object_or_404(ConflictOfInterest, pk=pk, officer=request.user)
        services.conflict_withdraw(actor=request.user, conflict=conflict)
        messages.success(request, _("Declaration withdrawn."))
        return redirect("fund-conflicts")
