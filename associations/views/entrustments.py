"""The entrustment pages: the list, entrusting work (a department's admins and staff), an
entrustment's page (terms, scope, deliverables, the reads through its scope, files,
history), editing a proposal, each step, and a deliverable's page with its files.
Every write goes through ``associations.services.entrustments``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.forms import form_errors, known_fields
from portal.views import (
    FilteredListView,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
)

from ..filters import EntrustmentFilterSet
from ..forms.entrustments import CommentsForm, EntrustmentForm, ReasonForm
from ..models import Deliverable, Entrustment, ScopedRead
from ..services import entrustments as service
from ..tables import EntrustmentTable

RELATED = ("department", "association")
READS_PER_PAGE = 50


class EntrustmentListView(FilteredListView):
    model = Entrustment
    queryset = Entrustment.objects.select_related(*RELATED)
    filterset_class = EntrustmentFilterSet
    template_name = "associations/entrustment_list.html"
    context_object_name = "entrustments"
    table_class = EntrustmentTable
    default_ordering = ("-start_date", "-pk")
    csv_filename = "entrustments.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_entrust"] = bool(service.departments_of(self.request.user))
        return context


class EntrustmentDetailView(RecordDetailView):
    model = Entrustment
    queryset = Entrustment.objects.select_related(*RELATED)
    template_name = "associations/entrustment_detail.html"
    context_object_name = "entrustment"
    tabs = ("overview", "reads", "attachments", "history")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entrustment, user = self.object, self.request.user
        context["actions"] = service.entrustment_actions(user, entrustment)
        context["reads_open"] = service.reads_open(entrustment)
        if context["tab"] == "overview":
            context["scope_organizations"] = list(entrustment.scope_organizations.order_by("name"))
            context["deliverables"] = list(service.deliverables_with_files(entrustment))
            if {"decline", "cancel"} & context["actions"]:
                context["reason_form"] = ReasonForm()
            if "return" in context["actions"]:
                context["comments_form"] = CommentsForm()
        elif context["tab"] == "reads":
            reads = ScopedRead.objects.filter(entrustment_id=entrustment.pk).select_related("user")
            page = Paginator(reads.order_by("-read_at", "-pk"), READS_PER_PAGE).get_page(
                self.request.GET.get("page")
            )
            context["reads"] = page
        return context


class EntrustmentFormMixin:
    form_class = EntrustmentForm
    template_name = "associations/entrustment_form.html"

    def form_kwargs(self) -> dict:
        return {"departments": service.departments_of(self.request.user)}

    @staticmethod
    def fields(form) -> dict:
        data = dict(form.cleaned_data)
        data["scope_kinds"] = list(data.get("scope_kinds") or [])
        return data


class EntrustmentCreateView(EntrustmentFormMixin, ServiceCreateView):
    """Entrust work to an association: a government department's admins and staff."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not service.departments_of(request.user):
            raise PermissionDenied(
                _("Only a government department's admins and staff entrust work.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Entrust work to an association")
        return context

    def create(self, form):
        data = self.fields(form)
        try:
            return service.entrustment_create(actor=self.request.user, **data)
        except ValidationError as error:
            raise known_fields(form, error) from error

    def success_message(self, record) -> str:
        return _("Entrusted: the association has been told.")


class EntrustmentUpdateView(EntrustmentFormMixin, ServiceUpdateView):
    model = Entrustment
    queryset = Entrustment.objects.select_related(*RELATED)

    def can_write(self, user, obj) -> bool:
        return "edit" in service.entrustment_actions(user, obj)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Change the entrustment")
        return context

    def save(self, form):
        data = self.fields(form)
        for name in ("department", "association"):
            data.pop(name, None)
        try:
            return service.entrustment_update(
                actor=self.request.user, entrustment=self.object, **data
            )
        except ValidationError as error:
            raise known_fields(form, error) from error


STEPS = {
    "accept": gettext_lazy("Accepted: the department has been told."),
    "decline": gettext_lazy("Declined: the department has been told."),
    "deliver": gettext_lazy("Delivered: the department has been told."),
    "approve": gettext_lazy("Approved: the association has been told."),
    "return": gettext_lazy("Returned with your comments."),
    "cancel": gettext_lazy("Cancelled: the association has been told."),
}


class EntrustmentStepView(TransitionView):
    """One step; the service decides who may take it."""

    model = Entrustment
    queryset = Entrustment.objects.select_related(*RELATED)
    verb = ""

    @property
    def success_message(self):
        return STEPS[self.verb]

    def perform(self, entrustment):
        actor = self.request.user
        if self.verb in ("decline", "cancel"):
            form = ReasonForm(self.request.POST)
            if not form.is_valid():
                raise form_errors(form)
            step = getattr(service, f"entrustment_{self.verb}")
            return step(actor=actor, entrustment=entrustment, reason=form.cleaned_data["reason"])
        if self.verb == "return":
            form = CommentsForm(self.request.POST)
            if not form.is_valid():
                raise form_errors(form)
            return service.entrustment_return(
                actor=actor, entrustment=entrustment, comments=form.cleaned_data["comments"]
            )
        return getattr(service, f"entrustment_{self.verb}")(actor=actor, entrustment=entrustment)


class DeliverableDetailView(RecordDetailView):
    """A deliverable: its due date and the files delivered for it."""

    model = Deliverable
    queryset = Deliverable.objects.select_related(
        "entrustment__department", "entrustment__association"
    )
    template_name = "associations/deliverable_detail.html"
    context_object_name = "deliverable"
    tabs = ("attachments", "history")


urlpatterns = [
    path("entrustments/", EntrustmentListView.as_view(), name="entrustment-list"),
    path("entrustments/new/", EntrustmentCreateView.as_view(), name="entrustment-create"),
    path("entrustments/<int:pk>/", EntrustmentDetailView.as_view(), name="entrustment-detail"),
    path("entrustments/<int:pk>/edit/", EntrustmentUpdateView.as_view(), name="entrustment-edit"),
    *(
        path(
            f"entrustments/<int:pk>/{verb}/",
            EntrustmentStepView.as_view(verb=verb),
            name=f"entrustment-{verb}",
        )
        for verb in STEPS
    ),
    path("deliverables/<int:pk>/", DeliverableDetailView.as_view(), name="deliverable-detail"),
]
