"""The talent-demand report pages: the list (filters, sorting, CSV), a report's page
(summary, specialties × years with totals, the chart of demand by specialty, files,
history), drafting (also as a correction of a published report), editing a draft and
publishing it. Every write goes through ``associations.services.demand``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.dashboard import Chart
from portal.forms import known_fields
from portal.limits import parse_id
from portal.views import (
    FilteredListView,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
    chart_context,
)

from ..filters import DemandReportFilterSet
from ..forms.demand import DemandReportEditForm, DemandReportForm, rows_text
from ..models import DemandRow, ReportStatus, TalentDemandReport
from ..services import demand as service
from ..tables import DemandReportTable

# The chart shows the most needed specialties, the rest as one bar (the table below it
# has every one).
CHART_SPECIALTIES = 12


class DemandReportListView(FilteredListView):
    model = TalentDemandReport
    queryset = service.with_total_people(TalentDemandReport.objects.select_related("association"))
    filterset_class = DemandReportFilterSet
    template_name = "associations/demand_report_list.html"
    context_object_name = "reports"
    table_class = DemandReportTable
    default_ordering = ("status", "-published_at", "-pk")  # drafts first, then newest
    csv_filename = "talent-demand-reports.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = bool(service.drafting_associations(self.request.user))
        return context


def demand_chart(report: TalentDemandReport, table: service.DemandTable) -> dict:
    """People needed by specialty over the report's years, most needed first, as the
    dashboard's charts are drawn."""
    shown = table.specialties[:CHART_SPECIALTIES]
    labels = [demand.specialty for demand in shown]
    values = [demand.total for demand in shown]
    rest = table.specialties[CHART_SPECIALTIES:]
    if rest:
        labels.append(_("%(count)d other specialties") % {"count": len(rest)})
        values.append(sum(demand.total for demand in rest))
    return chart_context(
        Chart(
            key=f"demand-report-{report.pk}",
            title=_("People needed by specialty, %(years)s") % {"years": report.years_label},
            kind="bar",
            labels=labels,
            values=values,
            series_label=_("People needed"),
        )
    )


class DemandReportDetailView(RecordDetailView):
    model = TalentDemandReport
    queryset = TalentDemandReport.objects.select_related("association", "created_by")
    template_name = "associations/demand_report_detail.html"
    context_object_name = "report"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        context["actions"] = service.report_actions(self.request.user, report)
        if context["tab"] == "overview":
            rows = list(DemandRow.objects.filter(report_id=report.pk))
            table = service.demand_table(report, rows)
            context["demand"] = table
            context["chart"] = demand_chart(report, table)
            context["newer_report"] = service.newer_report(report)
        return context


def report_fields(form) -> dict:
    return {key: form.cleaned_data[key] for key in service.REPORT_FIELDS}


def correction_source(request) -> TalentDemandReport | None:
    """The published report named by ``?from=<id>``, if the user may correct it."""
    pk = parse_id(request.GET.get("from", ""))
    if pk is None:
        return None
    report = (
        TalentDemandReport.objects.visible_to(request.user)
        .filter(pk=pk, status=ReportStatus.PUBLISHED)
        .first()
    )
    if report is None or "correct" not in service.report_actions(request.user, report):
        return None
    return report


class DemandReportCreateView(ServiceCreateView):
    """Draft a report: an association's admins and staff. ``?from=<id>`` fills it in
    from a published report it corrects."""

    form_class = DemandReportForm
    template_name = "associations/demand_report_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not DemandReportForm(user=request.user).can_create():
            raise PermissionDenied(
                _("Only an industry association's admins and staff draft its reports.")
            )
        self.corrects = correction_source(request) if request.user.is_authenticated else None
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        if self.corrects is not None:
            rows = DemandRow.objects.filter(report_id=self.corrects.pk)
            initial.update(service.correction_initial(self.corrects, rows))
            initial["rows"] = rows_text(initial["rows"])
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(corrects=self.corrects, **kwargs)

    def create(self, form):
        try:
            return service.report_create(
                actor=self.request.user,
                association=form.cleaned_data["association"],
                rows=form.cleaned_data["row_list"],
                **report_fields(form),
            )
        except ValidationError as error:
            raise known_fields(form, error) from error

    def success_message(self, record) -> str:
        return _("Draft saved. Check its table and chart, then publish it.")


class DemandReportUpdateView(ServiceUpdateView):
    """Edit a draft (its terms and its rows, as a whole). A published report is not
    edited: the page says so and offers a correction instead."""

    model = TalentDemandReport
    queryset = TalentDemandReport.objects.select_related("association")
    form_class = DemandReportEditForm
    template_name = "associations/demand_report_form.html"
    context_object_name = "report"
    success_message = gettext_lazy("Report saved.")

    def can_write(self, user, obj) -> bool:
        return service.can_change_report(user, obj)

    def get(self, request, *args, **kwargs):
        if self.object.status not in service.EDITABLE_REPORT_STATUSES:
            messages.error(
                request,
                _("A published report never changes; publish a correction as a new report."),
            )
            return redirect(self.object)
        return super().get(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"rows": DemandRow.objects.filter(report_id=self.object.pk)}

    def save(self, form):
        try:
            service.report_update(
                actor=self.request.user,
                report=self.object,
                rows=form.cleaned_data["row_list"],
                **report_fields(form),
            )
        except ValidationError as error:
            raise known_fields(form, error) from error


class DemandReportPublishView(TransitionView):
    model = TalentDemandReport
    success_message = gettext_lazy("Published: everyone signed in to the portal reads it now.")

    def perform(self, report):
        service.report_publish(actor=self.request.user, report=report)


urlpatterns = [
    path(
        "talent-demand-reports/", DemandReportListView.as_view(), name="talent-demand-report-list"
    ),
    path(
        "talent-demand-reports/new/",
        DemandReportCreateView.as_view(),
        name="talent-demand-report-create",
    ),
    path(
        "talent-demand-reports/<int:pk>/",
        DemandReportDetailView.as_view(),
        name="talent-demand-report-detail",
    ),
    path(
        "talent-demand-reports/<int:pk>/edit/",
        DemandReportUpdateView.as_view(),
        name="talent-demand-report-edit",
    ),
    path(
        "talent-demand-reports/<int:pk>/publish/",
        DemandReportPublishView.as_view(),
        name="talent-demand-report-publish",
    ),
]
