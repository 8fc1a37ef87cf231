"""Pages for the money after the decision and what it buys: the award tab (tranches with
their evidence and payments, the budget revised to a reduced award, the indicators and
the spend per budget line), releasing and cancelling a tranche, the tranches ready to
release, the payments list, a program's indicators and a progress report's submission."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from portal import access
from portal.forms import form_errors, known_fields
from portal.roles import OrganizationKind, Role
from portal.views import (
    FilteredListView,
    RecordChangeMixin,
    RecordDetailView,
    TransitionView,
    VisibleRecordMixin,
    chart_context,
    safe_next,
)
from portal.workflow import InvalidTransition

from .. import services
from ..dashboard import budget_chart as stacked_budget_chart
from ..filters import PaymentFilterSet
from ..forms import CommentForm, ReportScheduleForm, TrancheForm
from ..forms.awards import (
    BudgetRevisionForm,
    IndicatorForm,
    ReportForm,
    RevisionCommentForm,
    TrancheCancelForm,
    TrancheReleaseForm,
    revision_formset,
)
from ..models import (
    Award,
    BudgetCategory,
    BudgetRevision,
    FundApplication,
    FundProgram,
    IndicatorValue,
    Payment,
    PerformanceIndicator,
    ProgressReport,
    RevisionStatus,
    Tranche,
    TrancheStatus,
)
from ..services.indicators import indicator_progress, latest_reported, spend_by_line
from ..services.payments import READY_WINDOW_DAYS
from ..services.revisions import proposed_revision
from ..tables import PaymentTable


def budget_chart(program: FundProgram) -> dict:
    """The program page's chart: one bar, released, committed and remaining."""
    return chart_context(
        stacked_budget_chart(
            [program],
            key=f"program-{program.pk}-budget",
            title=_("Budget: released, committed and remaining (yuan)"),
            horizontal=True,
        )
    )


# --- the award tab -------------------------------------------------------------------


def report_form(report: ProgressReport, indicators, lines, data=None) -> ReportForm:
    """The report's submission form; a returned report starts from what it said."""
    initial = {}
    if report.narrative:
        initial["narrative"] = report.narrative
        initial |= {f"indicator_{v.indicator_id}": v.value for v in report.indicator_values.all()}
        initial |= {f"spend_{s.budget_line_id}": s.amount for s in report.spend.all()}
    return ReportForm(
        data, prefix=f"report-{report.pk}", indicators=indicators, lines=lines, initial=initial
    )


def award_tab_context(user, application: FundApplication) -> dict:
    """What the application page's award tab shows ``user``."""
    award = Award.objects.filter(application=application).select_related("program").first()
    if award is None:
        return {"award": None}
    award.application = application
    tranches = list(award.tranches.with_evidence().select_related("payment"))
    files = services.evidence_files(tranches)
    for tranche in tranches:
        tranche.actions = services.tranche_actions(user, tranche, application)
        if award.needs_budget_revision:
            tranche.actions.discard("release")
        tranche.can_attach = "attach_evidence" in tranche.actions
        tranche.files = files[tranche.pk]
        tranche.paid = getattr(tranche, "payment", None)
    indicators = list(PerformanceIndicator.objects.filter(program_id=award.program_id))
    lines = list(application.budget_lines.all())
    values = IndicatorValue.objects.select_related("indicator")
    reports = list(
        award.reports.prefetch_related(Prefetch("indicator_values", queryset=values), "spend")
    )
    for report in reports:
        report.actions = services.report_actions(user, report, application)
        if "submit" in report.actions:
            report.submit_form = report_form(report, indicators, lines)
        # Each report carries its own forms, so field ids stay unique on the page.
        report.comment_form = CommentForm(prefix=f"review-{report.pk}")
    revisions = list(award.budget_revisions.all())
    categories = dict(BudgetCategory.choices)
    for revision in revisions:
        revision.display_lines = [
            {**line, "category_label": categories.get(line.get("category"), "")}
            for line in revision.lines
        ]
        revision.actions = services.revision_actions(user, revision, award)
        if revision.actions:
            revision.comment_form = RevisionCommentForm(prefix=f"revision-{revision.pk}")
    context = {
        "award": award,
        "tranches": tranches,
        "reports": reports,
        "revisions": revisions,
        "indicator_progress": indicator_progress(award),
        "line_spend": spend_by_line(award, latest_reported(award)),
        "tranche_form": TrancheForm(prefix="tranche"),
        "schedule_form": ReportScheduleForm(prefix="schedule"),
    }
    pending = next((r for r in revisions if r.status == RevisionStatus.PROPOSED), None)
    if pending is None and services.can_propose_revision(user, award):
        context["revision_formset"] = revision_formset(lines=lines)
        context["revision_form"] = BudgetRevisionForm()
    return context


# --- tranches ------------------------------------------------------------------------


class TrancheEvidenceView(RecordDetailView):
    """A tranche: the evidence attached to it (the awardee uploads files here), its
    payment once released, the reason once cancelled, and the department's actions."""

    model = Tranche
    queryset = Tranche.objects.select_related(
        "award__application__applicant", "award__program", "payment", "released_by"
    )
    template_name = "funding/tranche_detail.html"
    context_object_name = "tranche"
    tabs = ("attachments", "history")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tranche = self.object
        award = tranche.award
        tranche.has_evidence = services.evidence_attached(tranche)
        actions = services.tranche_actions(self.request.user, tranche, award.application)
        if award.needs_budget_revision:
            actions.discard("release")
        context["actions"] = actions
        context["payment"] = getattr(tranche, "payment", None)
        return context


class TrancheActionView(RecordChangeMixin, View):
    """A confirmation page for one of the department admins' steps on a tranche: GET
    shows what will happen and asks for the details, POST does it."""

    model = Tranche
    queryset = Tranche.objects.select_related("award__application__applicant", "award__program")
    form_class: type = TrancheReleaseForm
    template_name = ""

    def can_write(self, user, tranche) -> bool:
        return services.can_decide(user, tranche.award.program)

    def done_url(self, tranche) -> str:
        fallback = (
            reverse("fund-application-detail", args=[tranche.award.application_id])
            + f"?tab=award#tranche-{tranche.pk}"
        )
        return safe_next(self.request, fallback)

    def render_form(self, tranche, form, status=200):
        tranche.files = services.evidence_files([tranche])[tranche.pk]
        context = {
            "tranche": tranche,
            "award": tranche.award,
            "form": form,
            "next": safe_next(self.request, ""),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        tranche = self.get_object()
        if tranche.status != TrancheStatus.PLANNED:
            messages.info(
                request,
                _("This tranche is %(status)s.") % {"status": tranche.get_status_display()},
            )
            return redirect("tranche-evidence", tranche.pk)
        return self.render_form(tranche, self.form_class())

    def post(self, request, pk):
        tranche = self.get_object()
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                message = self.perform(tranche, form.cleaned_data)
            except InvalidTransition as error:
                messages.error(request, error.message)
                return redirect(self.done_url(tranche))
            except ValidationError as error:
                form.add_error(None, known_fields(form, error))
            else:
                messages.success(request, message)
                return redirect(self.done_url(tranche))
        return self.render_form(tranche, form, status=400)

    def perform(self, tranche, data) -> str:  # pragma: no cover - each subclass defines it
        raise NotImplementedError


class TrancheReleaseView(TrancheActionView):
    """Release a tranche and record its payment, after a confirmation."""

    form_class = TrancheReleaseForm
    template_name = "funding/tranche_release.html"

    def perform(self, tranche, data) -> str:
        services.tranche_release(
            actor=self.request.user,
            tranche=tranche,
            paid_on=data["paid_on"],
            voucher_number=data["voucher_number"],
            payee_account=data["payee_account"],
        )
        return _("Tranche released: %(amount)s yuan paid to %(payee)s, voucher %(voucher)s.") % {
            "amount": f"{tranche.amount:,.2f}",
            "payee": tranche.award.application.applicant.name,
            "voucher": data["voucher_number"].strip(),
        }


class TrancheCancelView(TrancheActionView):
    """Cancel a planned tranche, with the reason the awardee reads."""

    form_class = TrancheCancelForm
    template_name = "funding/tranche_cancel.html"

    def perform(self, tranche, data) -> str:
        services.tranche_cancel(actor=self.request.user, tranche=tranche, reason=data["reason"])
        return _("Tranche cancelled.")


class ReadyToReleaseView(LoginRequiredMixin, ListView):
    """Planned tranches the department's admins may release now: due within a week or
    late, evidence attached (an advance waits for none), budget settled."""

    template_name = "funding/ready_to_release.html"
    context_object_name = "tranches"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_superuser
            and not access.organization_ids(user, {Role.ADMIN}, {OrganizationKind.GOVERNMENT})
        ):
            raise PermissionDenied(_("This list is for the admins of a government department."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return services.ready_to_release(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tranches = list(context["tranches"])
        files = services.evidence_files(tranches)
        for tranche in tranches:
            tranche.files = files[tranche.pk]
        context["tranches"] = tranches
        context["window_days"] = READY_WINDOW_DAYS
        context["today"] = timezone.localdate()
        return context


class PaymentListView(FilteredListView):
    """The payments that released tranches; finance exports them as CSV."""

    model = Payment
    queryset = Payment.objects.select_related(
        "tranche__award__application__applicant", "tranche__award__program", "recorded_by"
    )
    filterset_class = PaymentFilterSet
    template_name = "funding/payment_list.html"
    context_object_name = "payments"
    table_class = PaymentTable
    default_ordering = ("-paid_on", "-pk")
    csv_filename = "payments.csv"


# --- the budget revised to a reduced award ---------------------------------------------


class BudgetRevisionProposeView(VisibleRecordMixin, View):
    """The awardee's budget lines revised to the award: the form sits on the award tab;
    this page shows it again with its errors (or alone, for a GET)."""

    model = Award
    template_name = "funding/budget_revision_form.html"

    def get_award(self, pk) -> Award:
        award = get_object_or_404(
            self.get_queryset().select_related("application__applicant", "program"), pk=pk
        )
        if not services.can_propose_revision(self.request.user, award):
            if not award.needs_budget_revision:
                raise PermissionDenied(_("This award's budget needs no revision."))
            raise PermissionDenied
        return award

    def render_form(self, award, form, formset, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "award": award,
                "application": award.application,
                "revision_form": form,
                "revision_formset": formset,
                "pending": proposed_revision(award),
            },
            status=status,
        )

    def get(self, request, pk):
        award = self.get_award(pk)
        lines = award.application.budget_lines.all()
        return self.render_form(award, BudgetRevisionForm(), revision_formset(lines=lines))

    def post(self, request, pk):
        award = self.get_award(pk)
        form = BudgetRevisionForm(request.POST)
        formset = revision_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                services.budget_revision_propose(
                    actor=request.user,
                    award=award,
                    lines=formset.lines(),
                    note=form.cleaned_data["note"],
                )
            except InvalidTransition as error:
                messages.error(request, error.message)
                return redirect(award)
            except ValidationError as error:
                form.add_error(None, known_fields(form, error))
            else:
                messages.success(
                    request, _("Revised budget sent; the department accepts or returns it.")
                )
                return redirect(award)
        return self.render_form(award, form, formset, status=400)


class RevisionDecisionView(TransitionView):
    model = BudgetRevision

    def get_success_url(self, revision):
        return revision.award.get_absolute_url()

    def comment(self, revision) -> str:
        form = RevisionCommentForm(self.request.POST, prefix=f"revision-{revision.pk}")
        if not form.is_valid():
            raise form_errors(form)
        return form.cleaned_data["comment"]


class BudgetRevisionAcceptView(RevisionDecisionView):
    success_message = gettext_lazy(
        "Revision accepted: the budget lines are replaced and tranches may be released."
    )

    def perform(self, revision):
        services.budget_revision_accept(
            actor=self.request.user, revision=revision, comment=self.comment(revision)
        )


class BudgetRevisionReturnView(RevisionDecisionView):
    success_message = gettext_lazy("Revision returned with comments.")

    def perform(self, revision):
        services.budget_revision_return(
            actor=self.request.user, revision=revision, comment=self.comment(revision)
        )


# --- indicators and reports -------------------------------------------------------


def program_indicators_context(user, program: FundProgram) -> dict:
    """The program page's indicators section."""
    context = {"indicators": list(program.indicators.all())}
    if services.can_define_indicators(user, program):
        context["indicator_form"] = IndicatorForm(prefix="indicator")
    return context


class IndicatorAddView(TransitionView):
    model = FundProgram

    def can_write(self, user, program) -> bool:
        return services.can_manage_program(user, program)

    def perform(self, program):
        form = IndicatorForm(self.request.POST, prefix="indicator")
        if not form.is_valid():
            raise form_errors(form)
        services.indicator_add(actor=self.request.user, program=program, **form.cleaned_data)
        messages.success(self.request, _("Indicator added."))


class IndicatorRemoveView(TransitionView):
    model = PerformanceIndicator

    def perform(self, indicator):
        services.indicator_remove(actor=self.request.user, indicator=indicator)
        messages.success(self.request, _("Indicator removed."))

    def get_success_url(self, indicator):
        return reverse("fund-program-detail", args=[indicator.program_id])


class ReportSubmitView(TransitionView):
    model = ProgressReport
    success_message = gettext_lazy("Report submitted.")

    def get_success_url(self, report):
        return report.get_absolute_url()

    def perform(self, report):
        report = ProgressReport.objects.select_related("award__application").get(pk=report.pk)
        indicators = PerformanceIndicator.objects.filter(program_id=report.award.program_id)
        lines = report.award.application.budget_lines.all()
        access.require(services.can_edit_application(self.request.user, report.award.application))
        form = ReportForm(
            self.request.POST, prefix=f"report-{report.pk}", indicators=indicators, lines=lines
        )
        if not form.is_valid():
            raise form_errors(form)
        services.report_submit(
            actor=self.request.user,
            report=report,
            narrative=form.cleaned_data["narrative"],
            indicator_values=form.indicator_values(),
            spend=form.spend(),
        )
