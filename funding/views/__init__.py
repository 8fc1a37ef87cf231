from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import OrganizationKind
from portal import access
from portal.forms import form_errors
from portal.views import (
    FilteredListView,
    RecordChangeMixin,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
)

from .. import services
from ..filters import FundApplicationFilterSet, FundProgramFilterSet
from ..forms import (
    BudgetLineForm,
    CommentForm,
    CriterionForm,
    DecisionForm,
    FundApplicationForm,
    FundProgramForm,
    ReportScheduleForm,
    TrancheForm,
)
from ..forms.questions import QuestionForm
from ..models import (
    ApplicationStatus,
    Award,
    BudgetLine,
    FundApplication,
    FundProgram,
    ProgressReport,
    ReviewAssignment,
    ReviewCriterion,
)
from ..pickers import why_no_application, why_no_program
from ..tables import FundApplicationTable, FundProgramTable
from .applications import (  # noqa: F401  the more-information loop and versions pages
    AnswersExportMixin,
    ApplicationRequestInfoView,
    ApplicationResubmitView,
    ApplicationVersionsView,
    overview_context,
)
from .awards import (  # noqa: F401  the award's pages, kept importable from here
    BudgetRevisionAcceptView,
    BudgetRevisionProposeView,
    BudgetRevisionReturnView,
    IndicatorAddView,
    IndicatorRemoveView,
    PaymentListView,
    ReadyToReleaseView,
    ReportSubmitView,
    TrancheCancelView,
    TrancheEvidenceView,
    TrancheReleaseView,
    award_tab_context,
    budget_chart,
    program_indicators_context,
)
from .questions import (  # noqa: F401  a program's questions
    QuestionAddView,
    QuestionRemoveView,
    QuestionUpdateView,
)
from .reviews import (  # noqa: F401  the officers' pages live there, named here as before
    AssignmentCreateView,
    AssignmentRemoveView,
    AssignmentSpreadView,
    ConflictListView,
    ConflictWithdrawView,
    DecisionPageView,
    ProgramAssignmentsView,
    ReviewCreateView,
    ReviewPageView,
    ReviewQueueView,
    reviewed_by_assignee,
    visible_reviews,
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
        context["questions"] = list(program.questions.all())
        if "edit_questions" in actions:
            context["question_form"] = QuestionForm(prefix="question")
        context.update(program_indicators_context(user, program))
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
            # Ranked by the scores the reader may see: blind reviewers learn no places.
            context["ranking"] = (
                services.with_visible_score(applications, user)
                .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
                .annotate(review_count=Count("reviews"))
                .order_by(F("visible_score").desc(nulls_last=True), "submitted_at")
            )
        return context


class FundProgramCreateView(ServiceCreateView):
    form_class = FundProgramForm
    template_name = "funding/program_form.html"

    def dispatch(self, request, *args, **kwargs):
        # Not an empty "department" picker ending in "This field is required": say why.
        if request.user.is_authenticated and (reason := why_no_program(request.user)):
            raise PermissionDenied(reason)
        return super().dispatch(request, *args, **kwargs)

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


class FundApplicationListView(AnswersExportMixin, FilteredListView):
    model = FundApplication
    queryset = FundApplication.objects.select_related("program", "applicant", "award")
    filterset_class = FundApplicationFilterSet
    template_name = "funding/application_list.html"
    context_object_name = "applications"
    table_class = FundApplicationTable
    default_ordering = ("-created_at",)
    csv_filename = "fund-applications.csv"

    def restrict(self, queryset):
        # The score column shows (and sorts by) only the scores the reader may see.
        return services.with_visible_score(super().restrict(queryset), self.request.user)


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
        user = self.request.user
        actions = services.application_actions(user, application)
        context.update(
            actions=actions,
            can_change=services.can_edit_application(user, application),
            lines=list(application.budget_lines.all()),
            government=access.sees_everything(user),
            review_count=application.reviews.count(),
            scores_visible=services.scores_visible(user, application),
        )
        if "edit" in actions:
            context["line_form"] = BudgetLineForm()
        if context["tab"] == "overview":
            context.update(overview_context(application, actions))
        if context["tab"] == "reviews":
            if not context["government"]:
                raise PermissionDenied  # applicants never see reviewers
            context.update(self.reviews_tab(application, actions))
        if context["tab"] == "award":
            context.update(self.award_tab(application))
        return context

    def reviews_tab(self, application: FundApplication, actions: set[str]) -> dict:
        """The reviews the reader may see (blind until their own is in), and who is
        assigned; scoring is on the review page."""
        return {
            "reviews": visible_reviews(self.request.user, application),
            "assignments": ReviewAssignment.objects.filter(application=application)
            .select_related("reviewer")
            .annotate(reviewed=Exists(reviewed_by_assignee())),
        }

    def award_tab(self, application: FundApplication) -> dict:
        return award_tab_context(self.request.user, application)


class FundApplicationCreateView(ServiceCreateView):
    form_class = FundApplicationForm
    template_name = "funding/application_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.program = get_object_or_404(
                FundProgram.objects.visible_to(request.user), pk=kwargs["program"]
            )
            # Not an empty "applicant" picker, or a form for a closed program: say why.
            if reason := why_no_application(request.user, self.program):
                raise PermissionDenied(reason)
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user, "program": self.program}

    def get_context_data(self, **kwargs):
        return super().get_context_data(program=self.program, **kwargs)

    def create(self, form):
        data = form.application_data()
        applicant = data.pop("applicant")
        return services.application_create(
            actor=self.request.user,
            program=self.program,
            applicant=applicant,
            answers=form.answers(),
            **data,
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
            actor=self.request.user,
            application=self.object,
            answers=form.answers(),
            **form.application_data(),
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

    def get_success_url(self, application):
        # Whoever started the review and may score it goes straight to scoring.
        if services.can_review(self.request.user, application):
            return reverse("fund-review-create", args=[application.pk])
        return application.get_absolute_url()


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


# --- awards: tranches and reports --------------------------------------------------


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


class ReportAcceptView(ReportTransitionView):
    success_message = gettext_lazy("Report accepted.")

    def perform(self, report):
        services.report_accept(actor=self.request.user, report=report, comment=self.comment(report))


class ReportReturnView(ReportTransitionView):
    success_message = gettext_lazy("Report returned with comments.")

    def perform(self, report):
        services.report_return(actor=self.request.user, report=report, comment=self.comment(report))
