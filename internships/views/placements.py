"""The placement pages: list, page (with its nominations tab), drafting, editing, publishing,
closing, cancelling."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import access
from portal.forms import form_errors
from portal.views import (
    FilteredListView,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
)

from .. import compliance, services
from ..filters import PlacementFilterSet
from ..forms import (
    CancelForm,
    PlacementEditForm,
    PlacementForm,
    acting_organizations,
)
from ..models import Placement, PlacementStatus
from ..tables import PlacementTable
from .nominations import placement_nominations

# --- placements --------------------------------------------------------------------


class PlacementListView(FilteredListView):
    model = Placement
    queryset = Placement.objects.select_related("host")
    filterset_class = PlacementFilterSet
    template_name = "internships/placement_list.html"
    context_object_name = "placements"
    table_class = PlacementTable
    default_ordering = ("-created_at",)
    csv_filename = "placements.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = acting_organizations(self.request.user, ["enterprise"]).exists()
        return context


class PlacementDetailView(RecordDetailView):
    model = Placement
    queryset = Placement.objects.select_related("host", "practice_base", "published_by")
    template_name = "internships/placement_detail.html"
    context_object_name = "placement"
    tabs = ("overview", "nominations", "attachments", "history")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        placement, user = self.object, self.request.user
        actions = services.placement_actions(user, placement)
        context["actions"] = actions
        context["can_change"] = services.can_change_placement(user, placement)
        if context["tab"] == "overview":
            context["linked_base"] = access.seen(user, placement.practice_base)
            context["open_to_colleges"] = list(placement.open_to_colleges.all())
            if context["can_change"] and placement.status == PlacementStatus.DRAFT:
                context["blocking"] = compliance.blocking(placement)
                context["warnings"] = compliance.warnings(placement)
            context["cancel_form"] = CancelForm()
        if context["tab"] == "nominations":
            query = self.request.GET.get("student_q", "")[:100]
            context.update(placement_nominations(user, placement, query))
        return context


class PlacementCreateView(ServiceCreateView):
    form_class = PlacementForm
    template_name = "internships/placement_form.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not acting_organizations(user, ["enterprise"]).exists():
            raise PermissionDenied(
                _(
                    "Placements are offered by enterprises: only an enterprise's admins and "
                    "staff post one. A college nominates its students to the placements "
                    "open to it."
                )
            )
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def create(self, form):
        data = dict(form.cleaned_data)
        return services.placement_create(actor=self.request.user, host=data.pop("host"), **data)

    def success_message(self, record) -> str:
        return _("Draft placement saved. Check it and publish it when it is ready.")


class PlacementUpdateView(ServiceUpdateView):
    """Edit a draft. The compliance rules it breaks show next to their fields."""

    model = Placement
    form_class = PlacementEditForm
    template_name = "internships/placement_form.html"
    context_object_name = "placement"
    success_message = gettext_lazy("Placement saved.")

    def can_write(self, user, obj) -> bool:
        return "edit" in services.placement_actions(user, obj)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # What blocks the saved draft: a form that failed validation has put its unchecked
        # values on self.object (a start date in year 9999 broke the six-month rule).
        saved = Placement.objects.get(pk=self.object.pk)
        context["compliance"] = compliance.by_field(compliance.check(saved))
        return context

    def save(self, form):
        services.placement_update(
            actor=self.request.user, placement=self.object, **form.cleaned_data
        )


class PlacementPublishView(TransitionView):
    model = Placement
    success_message = gettext_lazy("Published: the colleges it is open to can see it now.")

    def post(self, request, *args, **kwargs):
        placement = self.get_object()
        try:
            services.placement_publish(actor=request.user, placement=placement)
        except services.InvalidTransition as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(
                request, _("Not published: fix what the rules below point out, then publish.")
            )
            for message in error.messages:
                messages.error(request, message)
            if "edit" in services.placement_actions(request.user, placement):
                return redirect(reverse("placement-edit", args=[placement.pk]))
        else:
            messages.success(request, self.success_message)
        return redirect(placement)


class PlacementCloseView(TransitionView):
    model = Placement
    success_message = gettext_lazy("Placement closed.")

    def perform(self, placement):
        services.placement_close(actor=self.request.user, placement=placement)


class PlacementCancelView(TransitionView):
    model = Placement
    success_message = gettext_lazy("Placement cancelled.")

    def perform(self, placement):
        form = CancelForm(self.request.POST)
        if not form.is_valid():
            raise form_errors(form)
        services.placement_cancel(
            actor=self.request.user, placement=placement, reason=form.cleaned_data["reason"]
        )
